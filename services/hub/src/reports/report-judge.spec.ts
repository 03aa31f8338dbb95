import { describe, expect, it } from '@jest/globals';
import {
  encodeSignedReport,
  encodeSignedReportV1,
  generateSigningKey,
  type Report,
  signPayload,
  type StatusReport,
} from '@fleetwave/contracts';
import {
  claimedClusterIds,
  type ClusterReportState,
  type IncomingMessage,
  judgeReports,
} from './report-judge.js';

const NOW = new Date('2026-11-22T02:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const activeCredential = { expiresAt: at(86_400), revokedAt: null, previousValidUntil: null };
const east: ClusterReportState = {
  id: '11111111-1111-4111-8111-111111111111',
  signingKey: generateSigningKey(),
  previousSigningKey: null,
  credential: activeCredential,
  lastSeq: 4,
};
const west: ClusterReportState = {
  id: '22222222-2222-4222-8222-222222222222',
  signingKey: generateSigningKey(),
  previousSigningKey: null,
  credential: activeCredential,
  lastSeq: -1,
};
const ghost = '33333333-3333-4333-8333-333333333333';
const clusters = new Map<string, ClusterReportState>([
  [east.id, east],
  [west.id, west],
]);

function heartbeat(clusterId: string, seq: number): Report {
  return {
    schemaVersion: 1,
    kind: 'heartbeat',
    clusterId,
    seq,
    sentAt: '2026-11-22T02:00:00.000Z',
    agentVersion: '0.1.0',
    clusterStatus: 'Ready',
  };
}

let offset = 0;
function message(value: Buffer | null, key: string | null): IncomingMessage {
  return { partition: 0, offset: String(offset++), key: key === null ? null : Buffer.from(key), value };
}
const signed = (report: Report, key: string, msgKey = report.clusterId) =>
  message(encodeSignedReport(report, key), msgKey);
/** Signed correctly but never validated: what a buggy or newer agent could send. */
const unvalidated = (report: Record<string, unknown>, key: string) =>
  message(
    Buffer.from(JSON.stringify({ v: 1, report, sig: signPayload(report, key) })),
    String(report['clusterId']),
  );

/** The v1 form older agents send (HMAC over the canonical JSON). */
const signedV1 = (report: Report, key: string) =>
  message(encodeSignedReportV1(report, key), report.clusterId);
/** A v2 message with `from` replaced by `to` in its bytes after signing. */
const altered = (report: Report, key: string, from: string, to: string) =>
  message(Buffer.from(encodeSignedReport(report, key).toString('utf8').replace(from, to)), report.clusterId);

describe('judgeReports', () => {
  it.each([
    ['a valid heartbeat', signed(heartbeat(east.id, 5), east.signingKey!), 'accept', undefined],
    [
      'a valid heartbeat in the v1 form',
      signedV1(heartbeat(east.id, 5), east.signingKey!),
      'accept',
      undefined,
    ],
    ['a v1 replay', signedV1(heartbeat(east.id, 4), east.signingKey!), 'reject', 'replayed-sequence'],
    [
      'a v1 report signed with another key',
      signedV1(heartbeat(east.id, 5), west.signingKey!),
      'reject',
      'bad-signature',
    ],
    [
      'a v2 report altered after signing',
      altered(heartbeat(east.id, 5), east.signingKey!, '"Ready"', '"NotReady"'),
      'reject',
      'bad-signature',
    ],
    [
      'a v2 report whose signature was swapped for its v1 one',
      message(
        Buffer.from(
          encodeSignedReport(heartbeat(east.id, 5), east.signingKey!)
            .toString('utf8')
            .replace(/"sig":"[^"]+"/, `"sig":"${signPayload(heartbeat(east.id, 5), east.signingKey!)}"`),
        ),
        east.id,
      ),
      'reject',
      'bad-signature',
    ],
    [
      'a heartbeat from a cluster in maintenance',
      signed(
        {
          ...heartbeat(east.id, 5),
          maintenance: { reason: 'node pool upgrade', since: '2026-11-22T01:00:00.000Z' },
        },
        east.signingKey!,
      ),
      'accept',
      undefined,
    ],
    [
      'a maintenance field that breaks its schema',
      unvalidated({ ...heartbeat(east.id, 5), maintenance: { reason: 'upgrade' } }, east.signingKey!),
      'reject',
      'invalid-schema',
    ],
    [
      'a first report from a new cluster (seq 0)',
      signed(heartbeat(west.id, 0), west.signingKey!),
      'accept',
      undefined,
    ],
    [
      'a report signed with another cluster key',
      signed(heartbeat(east.id, 5), west.signingKey!),
      'reject',
      'bad-signature',
    ],
    [
      'a replayed sequence number',
      signed(heartbeat(east.id, 4), east.signingKey!),
      'reject',
      'replayed-sequence',
    ],
    [
      'an older sequence number',
      signed(heartbeat(east.id, 1), east.signingKey!),
      'reject',
      'replayed-sequence',
    ],
    ['an unknown cluster', signed(heartbeat(ghost, 0), east.signingKey!), 'reject', 'unknown-cluster'],
    [
      'a key that is not the clusterId',
      signed(heartbeat(east.id, 5), east.signingKey!, west.id),
      'reject',
      'invalid-schema',
    ],
    ['malformed JSON', message(Buffer.from('{"v":1,'), east.id), 'reject', 'malformed-json'],
    ['a tombstone', message(null, east.id), 'reject', 'malformed-json'],
    [
      'a schema violation',
      message(Buffer.from('{"v":1,"report":{},"sig":"x"}'), east.id),
      'reject',
      'invalid-schema',
    ],
    ['an oversized message', message(Buffer.alloc(2048, 0x20), east.id), 'reject', 'oversized'],
  ])('%s → %s %s', (_case, msg, kind, reason) => {
    const [verdict] = judgeReports([msg], clusters, 1024, NOW);
    expect(verdict!.kind).toBe(kind);
    if (verdict!.kind === 'reject') expect(verdict!.reason).toBe(reason);
  });

  it('tampering with any field after signing is caught', () => {
    const value = JSON.parse(encodeSignedReport(heartbeat(east.id, 9), east.signingKey!).toString());
    value.report.clusterStatus = 'NotReady';
    const [verdict] = judgeReports(
      [message(Buffer.from(JSON.stringify(value)), east.id)],
      clusters,
      4096,
      NOW,
    );
    expect(verdict).toMatchObject({ kind: 'reject', reason: 'bad-signature' });
  });

  it('orders within a batch: duplicates and stale reports after a newer one are replays', () => {
    const batch = [6, 5, 7, 7, 8].map((seq) => signed(heartbeat(east.id, seq), east.signingKey!));
    const verdicts = judgeReports(batch, clusters, 4096, NOW);
    expect(verdicts.map((v) => (v.kind === 'accept' ? v.report.seq : v.reason))).toEqual([
      6,
      'replayed-sequence',
      7,
      'replayed-sequence',
      8,
    ]);
  });

  it('is deterministic, so a redelivered batch is judged against the state it left behind', () => {
    const batch = [5, 6].map((seq) => signed(heartbeat(east.id, seq), east.signingKey!));
    const afterFirstDelivery = new Map(clusters).set(east.id, { ...east, lastSeq: 6 });
    expect(judgeReports(batch, afterFirstDelivery, 4096, NOW).map((v) => v.kind)).toEqual([
      'reject',
      'reject',
    ]);
  });
});

describe('judgeReports across a rotation and a revocation', () => {
  const oldKey = generateSigningKey();
  const rotated = (credential: Partial<ClusterReportState['credential']>): Map<string, ClusterReportState> =>
    new Map([
      [
        east.id,
        {
          ...east,
          previousSigningKey: oldKey,
          credential: { ...activeCredential, previousValidUntil: at(60), ...credential },
        },
      ],
    ]);

  it.each<[string, Partial<ClusterReportState['credential']>, string, string]>([
    ['the new key', {}, 'new', 'accept'],
    ['the replaced key within the grace', {}, 'old', 'accept'],
    ['the replaced key when the grace has ended', { previousValidUntil: NOW }, 'old', 'expired-signing-key'],
    ['the replaced key after the grace', { previousValidUntil: at(-1) }, 'old', 'expired-signing-key'],
    ['the new key once the credential expired', { expiresAt: at(-1) }, 'new', 'expired-signing-key'],
    ['the new key of a revoked credential', { revokedAt: at(-1) }, 'new', 'revoked-credential'],
    ['the replaced key of a revoked credential', { revokedAt: at(-1) }, 'old', 'revoked-credential'],
  ])('a report signed with %s → %s', (_case, credential, key, expected) => {
    const signingKey = key === 'new' ? east.signingKey! : oldKey;
    const [verdict] = judgeReports(
      [signed(heartbeat(east.id, 5), signingKey)],
      rotated(credential),
      4096,
      NOW,
    );
    expect(verdict!.kind === 'accept' ? 'accept' : verdict!.reason).toBe(expected);
  });

  it('keeps one sequence across the keys: old-key reports in flight, then new-key ones', () => {
    const batch = [
      signed(heartbeat(east.id, 5), oldKey),
      signed(heartbeat(east.id, 6), east.signingKey!),
      signed(heartbeat(east.id, 6), oldKey),
    ];
    const verdicts = judgeReports(batch, rotated({}), 4096, NOW);
    expect(verdicts.map((v) => (v.kind === 'accept' ? v.report.seq : v.reason))).toEqual([
      5,
      6,
      'replayed-sequence',
    ]);
  });

  it('a key from another cluster is still a bad signature', () => {
    const [verdict] = judgeReports([signed(heartbeat(east.id, 5), west.signingKey!)], rotated({}), 4096, NOW);
    expect(verdict).toMatchObject({ kind: 'reject', reason: 'bad-signature' });
  });
});

describe('claimedClusterIds', () => {
  it('keeps distinct well-formed uuids from message keys only', () => {
    const ids = claimedClusterIds([
      message(null, east.id),
      message(null, east.id.toUpperCase()),
      message(null, 'not-a-uuid'),
      message(null, null),
      message(null, west.id),
    ]);
    expect(ids).toEqual([east.id, west.id]);
  });
});

describe('judgeReports: bundle statuses known by their bytes', () => {
  const bundle = (application: string, ready: number) => ({
    application,
    digest: `sha256:${'a'.repeat(64)}`,
    commit: 'b'.repeat(40),
    phase: 'Healthy' as const,
    ready,
    total: 2,
    failing: [],
    driftCorrections: 0,
    observedAt: '2026-11-22T01:59:00.000Z',
  });
  const status = (clusterId: string, seq: number, ready: number): Report => ({
    ...heartbeat(clusterId, seq),
    kind: 'status',
    bundles: [bundle('web', 2), bundle('api', ready)],
  });

  it("flags the statuses of the key's known set, fingerprinted by bytes; other clusters get fingerprints only", () => {
    const [first] = judgeReports([signed(status(east.id, 5, 1), east.signingKey!)], clusters, 65_536, NOW);
    const hashes = first?.kind === 'accept' ? first.bundleHashes : undefined;
    expect(hashes).toHaveLength(2);
    const known = new Map([
      [east.id, new Map(hashes?.map((h, i) => [h, (status(east.id, 5, 1) as StatusReport).bundles[i]!]))],
    ]);
    const verdicts = judgeReports(
      [signed(status(east.id, 6, 2), east.signingKey!), signed(status(west.id, 0, 1), west.signingKey!)],
      clusters,
      65_536,
      NOW,
      (id) => known.get(id),
    );
    expect(verdicts.map((v) => v.kind === 'accept' && v.knownBundles)).toEqual([[true, false], undefined]);
    expect(verdicts.map((v) => v.kind === 'accept' && v.bundleHashes?.[0] === hashes?.[0])).toEqual([
      true,
      true,
    ]);
  });

  it('known statuses change nothing about forged or replayed reports: still refused', () => {
    const [first] = judgeReports([signed(status(east.id, 5, 1), east.signingKey!)], clusters, 65_536, NOW);
    const first5 = status(east.id, 5, 1) as StatusReport;
    const known = new Map(
      (first?.kind === 'accept' ? first.bundleHashes! : []).map((h, i) => [h, first5.bundles[i]!]),
    );
    const verdicts = judgeReports(
      [
        signed(status(east.id, 6, 1), west.signingKey!),
        altered(status(east.id, 7, 1), east.signingKey!, '"seq":7', '"seq":8'),
        signed(status(east.id, 4, 1), east.signingKey!),
      ],
      clusters,
      65_536,
      NOW,
      () => known,
    );
    expect(verdicts.map((v) => v.kind === 'reject' && v.reason)).toEqual([
      'bad-signature',
      'bad-signature',
      'replayed-sequence',
    ]);
  });
});
