import { describe, expect, it } from '@jest/globals';
import { generateSigningKey } from './signing.js';
import {
  BundleStatusSchema,
  decodeReportMessage,
  encodeSignedReport,
  encodeSignedReportV1,
  REPORT_MAX_BYTES,
  ReportSchema,
  SignedReportSchema,
  verifySignedReport,
  type BundleStatus,
  type Report,
  type StatusReport,
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
  it.each<[string, Report, 1 | 2]>([
    ['heartbeat', heartbeat, 2],
    ['status', status, 2],
    ['heartbeat in maintenance', { ...heartbeat, maintenance }, 2],
    ['heartbeat', heartbeat, 1],
    ['status', status, 1],
    ['heartbeat in maintenance', { ...heartbeat, maintenance }, 1],
  ])('encodes a %s (v%p) that decodes and verifies', (_name, report, form) => {
    const value = (form === 2 ? encodeSignedReport : encodeSignedReportV1)(report, key);
    const decoded = decodeReportMessage(value, REPORT_MAX_BYTES);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.envelope.v).toBe(form);
    expect(decoded.envelope.report).toEqual(report);
    expect(verifySignedReport(decoded.envelope, key)).toBe(true);
    expect(verifySignedReport(decoded.envelope, generateSigningKey())).toBe(false);
  });

  it('lays v2 out byte for byte: the signature over the exact report bytes that follow it', () => {
    const text = encodeSignedReport(heartbeat, key).toString('utf8');
    expect(text).toMatch(/^\{"v":2,"sig":"[A-Za-z0-9_-]{43}","report":\{.*\}\}$/);
    expect(JSON.parse(text)).toMatchObject({ v: 2, report: heartbeat });
  });

  it.each<[string, (value: string) => string]>([
    ['v1: the seq changed', (v) => v.replace('"seq":17', '"seq":18')],
    ['v2: the seq changed', (v) => v.replace('"seq":17', '"seq":18')],
    ['v2: a space added inside the report', (v) => v.replace('"seq":17', '"seq": 17')],
    ['v2: a status changed', (v) => v.replace('"ready":2', '"ready":3')],
  ])('produces a signature the hub rejects once the report is altered in transit (%s)', (name, alter) => {
    const encode = name.startsWith('v1') ? encodeSignedReportV1 : encodeSignedReport;
    const wire = encode(status, key).toString('utf8');
    const altered = alter(wire);
    expect(altered).not.toBe(wire);
    const decoded = decodeReportMessage(Buffer.from(altered, 'utf8'), REPORT_MAX_BYTES);
    expect(decoded.ok).toBe(true);
    expect(decoded.ok && verifySignedReport(decoded.envelope, key)).toBe(false);
  });

  it('does not accept a v2 signature moved onto a v1 envelope, nor the reverse', () => {
    const v2 = decodeReportMessage(encodeSignedReport(status, key), REPORT_MAX_BYTES);
    const v1 = decodeReportMessage(encodeSignedReportV1(status, key), REPORT_MAX_BYTES);
    if (!v1.ok || !v2.ok || v2.envelope.v !== 2) throw new Error('both forms decode');
    expect(verifySignedReport({ v: 1, report: status, sig: v2.envelope.sig }, key)).toBe(false);
    expect(verifySignedReport({ ...v2.envelope, sig: v1.envelope.sig }, key)).toBe(false);
  });

  it('throws on an invalid report', () => {
    expect(() => encodeSignedReport({ ...heartbeat, seq: -1 }, key)).toThrow();
  });

  it('throws on a bad signing key', () => {
    expect(() => encodeSignedReport(heartbeat, 'not-a-key')).toThrow(/signing key/);
  });
});

describe('decodeReportMessage', () => {
  const valid = encodeSignedReportV1(heartbeat, key);
  const validV2 = encodeSignedReport(heartbeat, key);
  const v2 = (text: string) => Buffer.from(text, 'utf8');
  const sig = 'A'.repeat(43);

  it.each<[string, Buffer, 'malformed-json' | 'invalid-schema', string]>([
    ['trailing garbage', Buffer.concat([validV2, Buffer.from('x')]), 'invalid-schema', 'must be laid out'],
    ['no report member', v2(`{"v":2,"sig":"${sig}"}`), 'invalid-schema', 'must be laid out'],
    ['an empty sig', v2(`{"v":2,"sig":"","report":{}}`), 'invalid-schema', 'sig: '],
    ['a sig not base64url', v2(`{"v":2,"sig":"a+b/c","report":{}}`), 'invalid-schema', 'sig: '],
    ['a sig too long', v2(`{"v":2,"sig":"${'a'.repeat(513)}","report":{}}`), 'invalid-schema', 'sig: '],
    [
      'a report that is not JSON',
      v2(`{"v":2,"sig":"${sig}","report":{"seq":}`),
      'malformed-json',
      'not valid JSON',
    ],
    [
      'a report the schema refuses',
      v2(`{"v":2,"sig":"${sig}","report":{"kind":"bye"}}`),
      'invalid-schema',
      'report.',
    ],
    [
      'invalid UTF-8 in the report',
      Buffer.concat([v2(`{"v":2,"sig":"${sig}","report":"`), Buffer.from([0xff]), v2('"}')]),
      'malformed-json',
      'not valid UTF-8',
    ],
  ])('v2: refuses %s', (_name, value, reason, detail) => {
    const result = decodeReportMessage(value, REPORT_MAX_BYTES);
    expect(result).toMatchObject({ ok: false, reason });
    expect(!result.ok && result.detail).toContain(detail);
  });

  it('v2: checks the size before anything else', () => {
    expect(decodeReportMessage(validV2, validV2.length - 1)).toMatchObject({
      ok: false,
      reason: 'oversized',
    });
    expect(decodeReportMessage(validV2, validV2.length).ok).toBe(true);
  });

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

describe('decodeReportMessage: bundle statuses known by their bytes', () => {
  const sig = 'A'.repeat(43);
  /** A v2 value around any report text (the signature is not checked by decoding). */
  const v2 = (report: string) => Buffer.from(`{"v":2,"sig":"${sig}","report":${report}}`, 'utf8');
  const api = { ...bundle, application: 'api', phase: 'Healthy' as const, failing: [] };
  const three: Report = { ...status, bundles: [bundle, api, { ...bundle, application: 'db' }] };
  const decode = (value: Buffer, known?: ReadonlyMap<string, BundleStatus>) => {
    const result = decodeReportMessage(
      value,
      REPORT_MAX_BYTES,
      known ? { knownBundle: (h) => known.get(h) } : {},
    );
    if (!result.ok || result.envelope.v !== 2)
      throw new Error(`not a decoded v2 report: ${JSON.stringify(result)}`);
    return result.envelope;
  };
  const hashesOf = (report: Report) => decode(encodeSignedReport(report, key)).bundleHashes!;
  /** Every fingerprint of a value's statuses, valid or not, as decoding asks for them. */
  const asked = (value: Buffer) => {
    const seen: string[] = [];
    const result = decodeReportMessage(value, REPORT_MAX_BYTES, { knownBundle: (h) => void seen.push(h) });
    return { seen, result };
  };

  it('fingerprints each status by its bytes: the same bytes in another report, the same fingerprint; one field moved, another', () => {
    const first = hashesOf(three);
    expect(first).toHaveLength(3);
    expect(new Set(first).size).toBe(3);
    expect(hashesOf({ ...three, seq: 18, sentAt: '2025-01-31T12:01:00Z' })).toEqual(first);
    const moved = hashesOf({ ...three, bundles: [bundle, { ...api, ready: 3 }, three.bundles[2]!] });
    expect(moved[0]).toBe(first[0]);
    expect(moved[1]).not.toBe(first[1]);
    expect(moved[2]).toBe(first[2]);
    expect(decode(encodeSignedReport(three, key)).knownBundles).toBeUndefined();
  });

  it('no fingerprints for a heartbeat, an empty set or a v1 envelope', () => {
    expect(decode(encodeSignedReport(heartbeat, key)).bundleHashes).toBeUndefined();
    expect(decode(encodeSignedReport({ ...status, bundles: [] }, key)).bundleHashes).toBeUndefined();
    const v1 = decodeReportMessage(encodeSignedReportV1(three, key), REPORT_MAX_BYTES, {
      knownBundle: () => bundle,
    });
    expect(v1.ok && v1.envelope).not.toHaveProperty('bundleHashes');
  });

  it("flags the known statuses and puts the caller's objects in their places: the same report as a full decode", () => {
    const value = encodeSignedReport(three, key);
    const hashes = hashesOf(three);
    const known = new Map([
      [hashes[0]!, { ...bundle }],
      [hashes[2]!, { ...three.bundles[2]! }],
    ]);
    const partly = decode(value, known);
    expect(partly.knownBundles).toEqual([true, false, true]);
    expect(partly.bundleHashes).toEqual(hashes);
    expect(partly.report).toEqual(three);
    expect(partly.report.kind === 'status' && partly.report.bundles[0]).toBe(known.get(hashes[0]!));
    const all = decode(value, new Map(hashes.map((h, i) => [h, (three as StatusReport).bundles[i]!])));
    expect(all.report).toEqual(three);
    expect(all.knownBundles).toEqual([true, true, true]);
  });

  it('neither parses nor validates a known status again (the caller knows only bytes it accepted), and still validates the rest', () => {
    // Never the case with a real memo: shows that the known status is the one not looked at.
    const text = JSON.stringify({ ...three, bundles: [bundle, { ...api, ready: -1 }, three.bundles[2]] });
    const value = v2(text);
    const full = decodeReportMessage(value, REPORT_MAX_BYTES);
    expect(full).toMatchObject({ ok: false, reason: 'invalid-schema' });
    const { seen, result } = asked(value);
    expect(result).toEqual(full);
    expect(seen).toHaveLength(3);
    const stand = { ...api, ready: 7 };
    const known = decode(value, new Map([[seen[1]!, stand]]));
    expect(known.report.kind === 'status' && known.report.bundles[1]).toBe(stand);
  });

  it.each([
    ['refused by the schema', '{"application":"db","digest":"nope"}', 'invalid-schema', 'report.bundles[2]'],
    ['not JSON', '{"application":}', 'malformed-json', 'not valid JSON'],
    ['cut short', '{"application":"db"', 'malformed-json', 'not valid JSON'],
  ])(
    'an unknown status %s next to known ones: the same refusal as a full decode',
    (_name, element, reason, detail) => {
      const text = JSON.stringify(three).replace(/,\{"application":"db".*\}\]/, `,${element}]`);
      const value = v2(text);
      const full = decodeReportMessage(value, REPORT_MAX_BYTES);
      expect(full).toMatchObject({ ok: false, reason });
      expect(!full.ok && full.detail).toContain(detail);
      const hashes = hashesOf(three);
      const partly = decodeReportMessage(value, REPORT_MAX_BYTES, {
        knownBundle: (h) => (three as StatusReport).bundles[hashes.indexOf(h)],
      });
      expect(partly).toEqual(full);
    },
  );
});
