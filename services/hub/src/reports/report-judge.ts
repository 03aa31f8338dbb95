import {
  type BundleStatus,
  type DeadLetterReason,
  decodeReportMessage,
  type Report,
  verifySignedReport,
} from '@fleetwave/contracts';
import {
  type CredentialLifetime,
  credentialRefusal,
  type CredentialSlot,
} from '../clusters/cluster-credential.js';

/** A raw message from fleetwave.reports.v1, as the consumer received it. */
export interface IncomingMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

/** What the hub knows about a cluster before the batch: enough to verify and order its reports. */
export interface ClusterReportState {
  id: string;
  signingKey: string | null;
  /** The key a rotation replaced, accepted until `credential.previousValidUntil`. */
  previousSigningKey: string | null;
  credential: CredentialLifetime;
  lastSeq: number;
}

/**
 * An accepted report. For a v2 status report, `bundleHashes` fingerprints each bundle status by its
 * bytes and `knownBundles` flags those the cluster's known set held (`StatusMemo`): not parsed or
 * validated again, since the same bytes were accepted before.
 */
export interface Accepted {
  kind: 'accept';
  message: IncomingMessage;
  report: Report;
  bundleHashes?: readonly string[];
  knownBundles?: readonly boolean[];
}

/** The fingerprints of a cluster's stored statuses this replica knows, by the claimed cluster id. */
export type KnownBundles = (clusterId: string) => ReadonlyMap<string, BundleStatus> | undefined;

export type Verdict =
  Accepted | { kind: 'reject'; message: IncomingMessage; reason: DeadLetterReason; detail: string };

/**
 * Decides, message by message and in partition order, which reports the hub accepts. Pure: the
 * same batch and state always give the same verdicts, which is what makes a redelivered batch
 * after a crash harmless (already-applied sequence numbers are rejected as replays). A report signed
 * with the key a rotation replaced is accepted until the grace ends (by `now`, when the hub reads
 * it); none is accepted with a revoked key, or with one past its credential's expiry.
 */
export function judgeReports(
  messages: readonly IncomingMessage[],
  clusters: ReadonlyMap<string, ClusterReportState>,
  maxBytes: number,
  now: Date,
  knownBundles: KnownBundles = () => undefined,
): Verdict[] {
  const lastSeq = new Map<string, number>();
  return messages.map((message): Verdict => {
    const reject = (reason: DeadLetterReason, detail: string): Verdict => ({
      kind: 'reject',
      message,
      reason,
      detail,
    });
    const known = knownBundles(message.key?.toString('utf8') ?? '');
    const decoded = decodeReportMessage(
      message.value,
      maxBytes,
      known ? { knownBundle: (fingerprint) => known.get(fingerprint) } : {},
    );
    if (!decoded.ok) return reject(decoded.reason, decoded.detail);
    const { report } = decoded.envelope;
    if (message.key?.toString('utf8') !== report.clusterId) {
      return reject('invalid-schema', 'message key must be the report clusterId');
    }
    const cluster = clusters.get(report.clusterId);
    if (!cluster?.signingKey)
      return reject('unknown-cluster', `no registered cluster has id ${report.clusterId}`);
    const slot = signedWith(decoded.envelope, cluster);
    if (!slot) return reject('bad-signature', 'signature does not match the cluster signing key');
    const refusal = credentialRefusal(cluster.credential, slot, now);
    if (refusal) {
      const reason = refusal.code === 'CREDENTIAL_REVOKED' ? 'revoked-credential' : 'expired-signing-key';
      return reject(reason, `signed with a ${slot} key that is refused: ${refusal.message}`);
    }
    const previous = lastSeq.get(cluster.id) ?? cluster.lastSeq;
    if (report.seq <= previous) {
      return reject('replayed-sequence', `seq ${report.seq} is not after the last accepted seq ${previous}`);
    }
    lastSeq.set(cluster.id, report.seq);
    const accepted: Accepted = { kind: 'accept', message, report };
    if (decoded.envelope.v === 2 && decoded.envelope.bundleHashes) {
      accepted.bundleHashes = decoded.envelope.bundleHashes;
      if (decoded.envelope.knownBundles) accepted.knownBundles = decoded.envelope.knownBundles;
    }
    return accepted;
  });
}

function signedWith(
  envelope: Parameters<typeof verifySignedReport>[0],
  cluster: ClusterReportState,
): CredentialSlot | undefined {
  if (cluster.signingKey && verifySignedReport(envelope, cluster.signingKey)) return 'current';
  if (cluster.previousSigningKey && verifySignedReport(envelope, cluster.previousSigningKey))
    return 'previous';
  return undefined;
}

/** The ids a batch claims, to load their state in one query. Only well-formed uuids. */
export function claimedClusterIds(messages: readonly IncomingMessage[]): string[] {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const ids = new Set<string>();
  for (const m of messages) {
    const key = m.key?.toString('utf8');
    if (key && uuid.test(key)) ids.add(key.toLowerCase());
  }
  return [...ids];
}
