import { describe, expect, it } from '@jest/globals';
import { generateSigningKey } from './signing.js';
import {
  BundleStatusSchema,
  decodeReportMessage,
  encodeSignedReport,
  REPORT_MAX_BYTES,
  ReportSchema,
  SignedReportSchema,
  verifySignedReport,
  type BundleStatus,
  type Report,
} from './reports.js';

const clusterId = '6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const key = generateSigningKey();

const bundle: BundleStatus = {
  application: 'web',
  digest: `sha256:${'ab'.repeat(32)}`,
  commit: 'c0ffee'.padEnd(40, '0'),
  phase: 'Degraded',
  ready: 2,
  total: 3,
  failing: [{ id: 'shop_web_apps_Deployment', reason: 'ProgressDeadlineExceeded', message: 'timed out' }],
  driftCorrections: 1,
  observedAt: '2025-01-31T11:59:58.120Z',
};

const heartbeat: Report = {
  schemaVersion: 1,
  kind: 'heartbeat',
  clusterId,
  seq: 0,
  sentAt: '2025-01-31T12:00:00.000Z',
  agentVersion: '0.1.0',
  clusterStatus: 'Ready',
};

const status: Report = {
  schemaVersion: 1,
  kind: 'status',
  clusterId,
  seq: 17,
  sentAt: '2025-01-31T12:00:00Z',
  agentVersion: '0.1.0',
  clusterStatus: 'NotReady',
  facts: { kubernetesVersion: 'v1.31.2', nodeCount: 3 },
  bundles: [bundle],
};

const maintenance = { reason: 'node pool upgrade', since: '2025-01-31T11:00:00.000Z' };

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

describe('ReportSchema', () => {
  it.each<[string, unknown]>([
    ['heartbeat', heartbeat],
    ['heartbeat with facts', { ...heartbeat, facts: { provider: 'kind', region: 'local' } }],
    ['status', status],
    ['status with no bundles', { ...status, bundles: [] }],
    ['status with 200 bundles', { ...status, bundles: Array.from({ length: 200 }, () => bundle) }],
    ['large seq', { ...heartbeat, seq: Number.MAX_SAFE_INTEGER }],
    ['heartbeat in maintenance', { ...heartbeat, maintenance }],
    ['status in maintenance', { ...status, maintenance }],
    ['maintenance null (none)', { ...heartbeat, maintenance: null }],
    [
      'a maintenance reason of the longest length',
      { ...heartbeat, maintenance: { ...maintenance, reason: 'é'.repeat(128) } },
    ],
    ['an empty maintenance reason', { ...heartbeat, maintenance: { ...maintenance, reason: '' } }],
    ['status with removed applications', { ...status, removed: ['web', 'db'] }],
  ])('accepts %s', (_name, report) => {
    expect(ReportSchema.parse(report)).toEqual(report);
  });

  it.each<[string, unknown]>([
    ['schemaVersion 2', { ...heartbeat, schemaVersion: 2 }],
    ['unknown kind', { ...heartbeat, kind: 'goodbye' }],
    ['missing kind', { ...heartbeat, kind: undefined }],
    ['clusterId not a uuid', { ...heartbeat, clusterId: 'prod-eu-1' }],
    ['negative seq', { ...heartbeat, seq: -1 }],
    ['fractional seq', { ...heartbeat, seq: 1.5 }],
    ['seq as a string', { ...heartbeat, seq: '1' }],
    ['seq beyond safe integers', { ...heartbeat, seq: 2 ** 53 }],
    ['sentAt not ISO', { ...heartbeat, sentAt: 'Fri, 31 Jan 2025 12:00:00 GMT' }],
    ['sentAt with an offset', { ...heartbeat, sentAt: '2025-01-31T13:00:00+01:00' }],
    ['empty agentVersion', { ...heartbeat, agentVersion: '' }],
    ['unknown clusterStatus', { ...heartbeat, clusterStatus: 'Unknown' }],
    ['unknown fact', { ...heartbeat, facts: { zone: 'a' } }],
    ['unknown top-level key', { ...heartbeat, extra: 1 }],
    ['heartbeat with bundles', { ...heartbeat, bundles: [] }],
    ['status without bundles', { ...status, bundles: undefined }],
    ['status with 201 bundles', { ...status, bundles: Array.from({ length: 201 }, () => bundle) }],
    ['not an object', 'heartbeat'],
    [
      'a maintenance reason too long',
      { ...heartbeat, maintenance: { ...maintenance, reason: 'é'.repeat(129) } },
    ],
    ['maintenance without since', { ...heartbeat, maintenance: { reason: 'upgrade' } }],
    ['maintenance since not ISO', { ...heartbeat, maintenance: { ...maintenance, since: 'yesterday' } }],
    ['maintenance with an unknown key', { ...heartbeat, maintenance: { ...maintenance, until: 'soon' } }],
    ['maintenance as a bare string', { ...heartbeat, maintenance: 'upgrade' }],
    ['a heartbeat with removed applications', { ...heartbeat, removed: ['web'] }],
    ['an empty removed application name', { ...status, removed: [''] }],
  ])('rejects %s', (_name, report) => {
    expect(ReportSchema.safeParse(report).success).toBe(false);
  });
});

describe('BundleStatusSchema', () => {
  it.each(['Pending', 'Applying', 'Progressing', 'Healthy', 'Degraded', 'Failed', 'Stalled'])(
    'accepts phase %s',
    (phase) => {
      expect(BundleStatusSchema.safeParse({ ...bundle, phase }).success).toBe(true);
    },
  );

  it('accepts 50 failing resources and edge lengths', () => {
    const failing = Array.from({ length: 50 }, () => ({
      id: 'a_b__Pod',
      reason: 'r'.repeat(128),
      message: 'm'.repeat(1024),
    }));
    expect(BundleStatusSchema.safeParse({ ...bundle, application: 'a'.repeat(63), failing }).success).toBe(
      true,
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ['empty application', { application: '' }],
    ['application too long', { application: 'a'.repeat(64) }],
    ['digest without prefix', { digest: 'ab'.repeat(32) }],
    ['digest uppercase', { digest: `sha256:${'AB'.repeat(32)}` }],
    ['digest too short', { digest: `sha256:${'a'.repeat(63)}` }],
    ['digest with another algorithm', { digest: `sha512:${'a'.repeat(64)}` }],
    ['short commit', { commit: 'a'.repeat(39) }],
    ['uppercase commit', { commit: 'A'.repeat(40) }],
    ['unknown phase', { phase: 'Unknown' }],
    ['negative ready', { ready: -1 }],
    ['fractional total', { total: 2.5 }],
    ['negative driftCorrections', { driftCorrections: -1 }],
    ['observedAt not ISO', { observedAt: '2025-01-31' }],
    ['51 failing resources', { failing: Array.from({ length: 51 }, () => bundle.failing[0]) }],
    ['failing reason too long', { failing: [{ id: 'x', reason: 'r'.repeat(129), message: '' }] }],
    ['failing message too long', { failing: [{ id: 'x', reason: '', message: 'm'.repeat(1025) }] }],
    ['failing with empty id', { failing: [{ id: '', reason: '', message: '' }] }],
    ['failing with unknown key', { failing: [{ id: 'x', reason: '', message: '', hint: '' }] }],
    ['unknown key', { health: 'ok' }],
  ])('rejects %s', (_name, patch) => {
    expect(BundleStatusSchema.safeParse({ ...bundle, ...patch }).success).toBe(false);
  });
});

describe('SignedReportSchema', () => {
  const envelope = { v: 1, report: heartbeat, sig: 'x'.repeat(43) };
  it.each<[string, unknown, boolean]>([
    ['valid envelope', envelope, true],
    ['v 2', { ...envelope, v: 2 }, false],
    ['missing sig', { ...envelope, sig: undefined }, false],
    ['empty sig', { ...envelope, sig: '' }, false],
    ['sig not a string', { ...envelope, sig: 1 }, false],
    ['invalid report', { ...envelope, report: { ...heartbeat, seq: -1 } }, false],
    ['unknown key', { ...envelope, keyId: 'k1' }, false],
  ])('%s → %p', (_name, value, ok) => {
    expect(SignedReportSchema.safeParse(value).success).toBe(ok);
  });
});

describe('encodeSignedReport', () => {
  it.each<[string, Report]>([
    ['heartbeat', heartbeat],
    ['status', status],
    ['heartbeat in maintenance', { ...heartbeat, maintenance }],
  ])('encodes a %s that decodes and verifies', (_name, report) => {
    const value = encodeSignedReport(report, key);
    const decoded = decodeReportMessage(value, REPORT_MAX_BYTES);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.envelope.v).toBe(1);
    expect(decoded.envelope.report).toEqual(report);
    expect(verifySignedReport(decoded.envelope, key)).toBe(true);
    expect(verifySignedReport(decoded.envelope, generateSigningKey())).toBe(false);
  });

  it('produces a signature the hub rejects once the report is altered in transit', () => {
    const wire = JSON.parse(encodeSignedReport(status, key).toString('utf8')) as { report: { seq: number } };
    wire.report.seq = 18;
    const decoded = decodeReportMessage(json(wire), REPORT_MAX_BYTES);
    expect(decoded.ok && verifySignedReport(decoded.envelope, key)).toBe(false);
  });

  it('throws on an invalid report', () => {
    expect(() => encodeSignedReport({ ...heartbeat, seq: -1 }, key)).toThrow();
  });

  it('throws on a bad signing key', () => {
    expect(() => encodeSignedReport(heartbeat, 'not-a-key')).toThrow(/signing key/);
  });
});

describe('decodeReportMessage', () => {
  const valid = encodeSignedReport(heartbeat, key);

  it('checks the size before parsing', () => {
    const huge = Buffer.alloc(REPORT_MAX_BYTES + 1, '{');
    expect(decodeReportMessage(huge, REPORT_MAX_BYTES)).toEqual({
      ok: false,
      reason: 'oversized',
      detail: `message value is ${REPORT_MAX_BYTES + 1} bytes, limit is ${REPORT_MAX_BYTES}`,
    });
  });

  it('accepts a message of exactly maxBytes and rejects one byte less', () => {
    expect(decodeReportMessage(valid, valid.length).ok).toBe(true);
    expect(decodeReportMessage(valid, valid.length - 1)).toMatchObject({ ok: false, reason: 'oversized' });
  });

  it.each<[string, Buffer | null, string]>([
    ['tombstone (null value)', null, 'message has no value (tombstone)'],
    ['empty value', Buffer.alloc(0), 'unexpected end of input'],
    ['truncated JSON', valid.subarray(0, valid.length - 1), 'not valid JSON'],
    ['trailing garbage', Buffer.concat([valid, Buffer.from('x')]), 'not valid JSON'],
    ['plain text', Buffer.from('sig=supersecretsignaturevalue'), 'not valid JSON'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'not valid UTF-8'],
  ])('reports malformed-json for %s', (_name, value, detail) => {
    const result = decodeReportMessage(value, REPORT_MAX_BYTES);
    expect(result).toMatchObject({ ok: false, reason: 'malformed-json' });
    expect(!result.ok && result.detail).toContain(detail);
    expect(!result.ok && result.detail).not.toContain('supersecret');
  });

  it.each<[string, unknown, string]>([
    ['JSON null', null, '(root): '],
    ['JSON array', [1, 2], '(root): '],
    ['empty object', {}, 'v: '],
    ['wrong envelope version', { v: 2, report: heartbeat, sig: 's' }, 'v: Invalid input: expected 1'],
    ['bad seq', { v: 1, report: { ...heartbeat, seq: -5 }, sig: 's' }, 'report.seq: '],
    [
      'bad bundle digest',
      { v: 1, report: { ...status, bundles: [bundle, { ...bundle, digest: 'md5:x' }] }, sig: 's' },
      'report.bundles[1].digest: must be sha256:',
    ],
    ['unknown kind', { v: 1, report: { ...heartbeat, kind: 'bye' }, sig: 's' }, 'report.kind: '],
  ])('reports invalid-schema for %s as path: message lines', (_name, value, line) => {
    const result = decodeReportMessage(json(value), REPORT_MAX_BYTES);
    expect(result).toMatchObject({ ok: false, reason: 'invalid-schema' });
    expect(!result.ok && result.detail.split('\n')).toEqual(
      expect.arrayContaining([expect.stringContaining(line)]),
    );
  });

  it('truncates the invalid-schema detail to 1 KiB', () => {
    const bad = { ...bundle, digest: 'x', commit: 'y', phase: 'z', ready: -1 };
    const value = json({
      v: 1,
      report: { ...status, bundles: Array.from({ length: 100 }, () => bad) },
      sig: 's',
    });
    const result = decodeReportMessage(value, REPORT_MAX_BYTES);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('invalid-schema');
    expect(Buffer.byteLength(result.detail, 'utf8')).toBeLessThanOrEqual(1024);
    expect(result.detail.endsWith('…')).toBe(true);
  });

  it('never puts the signature in the detail, even when it is echoed as a key name', () => {
    const sig = 'c2lnbmF0dXJlLXRoYXQtbXVzdC1zdGF5LXNlY3JldA';
    const value = json({ v: 1, report: { ...heartbeat, [sig]: 1 }, sig, [sig]: 2 });
    const result = decodeReportMessage(value, REPORT_MAX_BYTES);
    expect(result).toMatchObject({ ok: false, reason: 'invalid-schema' });
    expect(!result.ok && result.detail).not.toContain(sig);
    expect(!result.ok && result.detail).toContain('[redacted]');
  });

  it('returns the envelope for a valid message without checking the signature', () => {
    const value = json({ v: 1, report: heartbeat, sig: 'not-checked-here' });
    expect(decodeReportMessage(value, REPORT_MAX_BYTES)).toEqual({
      ok: true,
      envelope: { v: 1, report: heartbeat, sig: 'not-checked-here' },
    });
  });
});
