import { hash } from 'node:crypto';
import { z } from 'zod';
import { ClusterFactsSchema } from './agent-api.js';
import { canonicalJson } from './canonical-json.js';
import { formatIssues, IsoDateTimeSchema, truncateUtf8 } from './common.js';
import { type ArraySpans, topLevelArraySpans } from './json-spans.js';
import { signBytes, signPayload, verifyBytesSignature, verifySignature } from './signing.js';

/**
 * Agent → hub reports on `fleetwave.reports.v1` (key = cluster id). The message value is a signed
 * envelope in one of two forms, both accepted by the hub:
 * - v2 (what agents send): `{"v":2,"sig":"<sig>","report":<report JSON>}` laid out byte for byte
 *   like that, `sig` an HMAC over the exact bytes of `<report JSON>`: the hub verifies the bytes it
 *   received, with no canonical encoding to redo (the cost that bounded ingestion).
 * - v1 (older agents): a {@link SignedReport}, the report plus an HMAC over its canonical JSON.
 *
 * Report objects are strict (unknown keys rejected), on purpose: the signature covers the report
 * exactly as sent, so the parsed report the hub verifies must be the whole report. New fields come
 * with a new `schemaVersion` (or a new `kind`), or as optional fields an agent leaves out unless it
 * has something to say (e.g. `maintenance`); either way the hub learns them before agents send them.
 */

/** Default upper bound for one message value, in bytes. */
export const REPORT_MAX_BYTES = 256 * 1024;
/** Upper bound for {@link DecodeResult} `detail`, in UTF-8 bytes. */
export const DECODE_DETAIL_MAX_BYTES = 1024;

/** Most bundle statuses one status report may carry. */
export const BUNDLES_MAX = 200;

export const ClusterStatusSchema = z.enum(['Ready', 'NotReady']);
export type ClusterStatus = z.infer<typeof ClusterStatusSchema>;

export const BundlePhaseSchema = z.enum([
  'Pending',
  'Applying',
  'Progressing',
  'Healthy',
  'Degraded',
  'Failed',
  'Stalled',
]);
export type BundlePhase = z.infer<typeof BundlePhaseSchema>;

export const FailingResourceSchema = z.strictObject({
  /** `namespace_name_group_kind` of the object (empty namespace / group for cluster-scoped / core). */
  id: z.string().min(1),
  reason: z.string().max(128),
  message: z.string().max(1024),
});
export type FailingResource = z.infer<typeof FailingResourceSchema>;

export const BundleStatusSchema = z.strictObject({
  application: z.string().min(1).max(63),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256: followed by 64 lowercase hex digits'),
  commit: z.string().regex(/^[0-9a-f]{40}$/, 'must be 40 lowercase hex digits'),
  phase: BundlePhaseSchema,
  ready: z.int().min(0),
  total: z.int().min(0),
  failing: z.array(FailingResourceSchema).max(50),
  driftCorrections: z.int().min(0),
  observedAt: IsoDateTimeSchema,
});
export type BundleStatus = z.infer<typeof BundleStatusSchema>;

/** Longest maintenance reason reported; the agent cuts longer annotation values (UTF-8 bytes). */
export const MAINTENANCE_REASON_MAX_BYTES = 256;

/**
 * The cluster is in maintenance: its agent's own namespace carries the `fleetwave.io/maintenance`
 * annotation. `since` is when this agent process first saw it (a restarted agent sees it anew).
 */
export const MaintenanceSchema = z.strictObject({
  reason: z.string().refine((r) => Buffer.byteLength(r, 'utf8') <= MAINTENANCE_REASON_MAX_BYTES, {
    message: `must be at most ${MAINTENANCE_REASON_MAX_BYTES} UTF-8 bytes`,
  }),
  since: IsoDateTimeSchema,
});
export type Maintenance = z.infer<typeof MaintenanceSchema>;

const common = {
  schemaVersion: z.literal(1),
  clusterId: z.uuid(),
  /** Monotonic per agent, persisted so it survives restarts; the hub rejects replays. */
  seq: z.int().min(0),
  sentAt: IsoDateTimeSchema,
  agentVersion: z.string().min(1).max(64),
  /**
   * Optional and additive: absent or null both mean "not in maintenance" (agents before this field
   * never send it; agents that know it omit it when there is nothing to say, so a hub that predates
   * it keeps accepting their reports).
   */
  maintenance: MaintenanceSchema.nullable().optional(),
};

export const HeartbeatReportSchema = z.strictObject({
  ...common,
  kind: z.literal('heartbeat'),
  clusterStatus: ClusterStatusSchema,
  facts: ClusterFactsSchema.optional(),
});
export type HeartbeatReport = z.infer<typeof HeartbeatReportSchema>;

export const StatusReportSchema = z.strictObject({
  ...common,
  kind: z.literal('status'),
  clusterStatus: ClusterStatusSchema,
  facts: ClusterFactsSchema.optional(),
  bundles: z.array(BundleStatusSchema).max(BUNDLES_MAX),
  /**
   * Applications whose withdrawal this agent has carried out (objects pruned or orphaned, inventory
   * record gone). Optional and additive: left out when empty; repeated while the tombstone is still
   * in the agent's assignments, so a lost report is made good by the next one.
   */
  removed: z.array(z.string().min(1).max(63)).max(500).optional(),
});
export type StatusReport = z.infer<typeof StatusReportSchema>;

export const ReportSchema = z.discriminatedUnion('kind', [HeartbeatReportSchema, StatusReportSchema]);
export type Report = z.infer<typeof ReportSchema>;

/** The Kafka message value: `sig = signPayload(report, signingKey)`. */
export const SignedReportSchema = z.strictObject({
  v: z.literal(1),
  report: ReportSchema,
  sig: z.string().min(1).max(512),
});
export type SignedReport = z.infer<typeof SignedReportSchema>;

/** A v2 envelope as decoded: `signed` is the exact report bytes the signature covers. */
export interface SignedReportV2 {
  v: 2;
  report: Report;
  sig: string;
  signed: Buffer;
  /**
   * A status report's bundle statuses fingerprinted by their exact bytes (sha256, base64), one per
   * `report.bundles` element, in order; absent when the bytes are not laid out as expected (the
   * caller then compares field by field).
   */
  bundleHashes?: readonly string[];
  /** Per element, whether it was one the caller already knew (see {@link DecodeOptions}). */
  knownBundles?: readonly boolean[];
}

/**
 * `knownBundle`: the bundle status the caller already accepted with the bytes of this fingerprint,
 * if any. Such an element is neither parsed nor validated again (the same bytes give the same
 * status); the caller's object stands in for it, and it is flagged in `knownBundles`.
 */
export interface DecodeOptions {
  knownBundle?: (fingerprint: string) => BundleStatus | undefined;
}

/** Either form, as {@link decodeReportMessage} returns it. */
export type ReportEnvelope = SignedReport | SignedReportV2;

export type DecodeFailureReason = 'oversized' | 'malformed-json' | 'invalid-schema';
export type DecodeResult =
  { ok: true; envelope: ReportEnvelope } | { ok: false; reason: DecodeFailureReason; detail: string };

const V2_HEAD = Buffer.from('{"v":2,"sig":"', 'utf8');
const V2_REPORT = Buffer.from('","report":', 'utf8');
const SIG_MAX_LENGTH = 512;
const SIG = /^[A-Za-z0-9_-]+$/;

/**
 * Validates `report` (throws a ZodError when invalid), signs it and returns the message value, in
 * the v2 form (HMAC over the report's exact bytes). The size is not checked here: compare the
 * result with {@link REPORT_MAX_BYTES} before producing.
 */
export function encodeSignedReport(report: Report, signingKey: string): Buffer {
  const text = JSON.stringify(ReportSchema.parse(report));
  return Buffer.from(
    `${V2_HEAD.toString('utf8')}${signBytes(text, signingKey)}${V2_REPORT.toString('utf8')}${text}}`,
    'utf8',
  );
}

/** The v1 form older agents send (HMAC over the canonical JSON): for tests and compatibility. */
export function encodeSignedReportV1(report: Report, signingKey: string): Buffer {
  const parsed = ReportSchema.parse(report);
  const envelope: SignedReport = { v: 1, report: parsed, sig: signPayload(parsed, signingKey) };
  return Buffer.from(canonicalJson(envelope), 'utf8');
}

/**
 * Decodes a message value without trusting it: size first (before any parsing), then strict UTF-8
 * JSON, then the schema. The signature is not checked here (the key depends on the cluster): call
 * {@link verifySignedReport} next. `detail` never contains the payload or the signature.
 */
export function decodeReportMessage(
  value: Buffer | null,
  maxBytes: number,
  options: DecodeOptions = {},
): DecodeResult {
  if (value === null) {
    return { ok: false, reason: 'malformed-json', detail: 'message has no value (tombstone)' };
  }
  if (value.length > maxBytes) {
    return {
      ok: false,
      reason: 'oversized',
      detail: `message value is ${value.length} bytes, limit is ${maxBytes}`,
    };
  }
  if (startsWith(value, V2_HEAD)) return decodeV2(value, options);
  const parsed = parseJson(value);
  if (!parsed.ok) return parsed;
  const json = parsed.json;
  const result = SignedReportSchema.safeParse(json);
  if (!result.success) {
    return { ok: false, reason: 'invalid-schema', detail: schemaDetail(result.error, json) };
  }
  return { ok: true, envelope: result.data };
}

/**
 * A v2 value: the fixed layout checked byte for byte, then the report bytes alone parsed (so the
 * report is exactly what the signature covers, nothing around it).
 */
function decodeV2(value: Buffer, options: DecodeOptions): DecodeResult {
  const sigEnd = value.indexOf(V2_REPORT, V2_HEAD.length);
  const sig = sigEnd < 0 ? '' : value.toString('latin1', V2_HEAD.length, sigEnd);
  if (sigEnd < 0 || value[value.length - 1] !== 0x7d) {
    return {
      ok: false,
      reason: 'invalid-schema',
      detail: '(root): a v2 message must be laid out {"v":2,"sig":"…","report":…}',
    };
  }
  if (sig.length === 0 || sig.length > SIG_MAX_LENGTH || !SIG.test(sig)) {
    return { ok: false, reason: 'invalid-schema', detail: 'sig: must be 1 to 512 base64url characters' };
  }
  const signed = value.subarray(sigEnd + V2_REPORT.length, value.length - 1);
  const scan = topLevelArraySpans(signed, 'bundles');
  const bundleHashes =
    scan && scan.spans.length > 0 && scan.spans.length <= BUNDLES_MAX
      ? scan.spans.map(([start, end]) => hash('sha256', signed.subarray(start, end), 'base64'))
      : undefined;
  let known = bundleHashes && options.knownBundle ? bundleHashes.map(options.knownBundle) : undefined;
  if (!known?.some((k) => k !== undefined)) known = undefined;
  // Known statuses are cut out before parsing (each is a JSON value accepted before, byte for byte);
  // should the rest not parse, the whole is parsed instead, for the same error as without them.
  let parsed = known && scan ? parseJson(withoutKnown(signed, scan, known)) : parseJson(signed);
  if (!parsed.ok && known) {
    known = undefined;
    parsed = parseJson(signed);
  }
  if (!parsed.ok) return parsed;
  const result = parseReport(parsed.json, known);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ ...i, path: ['report', ...i.path] }));
    return { ok: false, reason: 'invalid-schema', detail: schemaDetail({ issues }, { sig }) };
  }
  const envelope: SignedReportV2 = { v: 2, report: result.data, sig, signed };
  if (bundleHashes && result.data.kind === 'status' && result.data.bundles.length === bundleHashes.length) {
    envelope.bundleHashes = bundleHashes;
    if (known) envelope.knownBundles = known.map((k) => k !== undefined);
  }
  return { ok: true, envelope };
}

const COMMA = Buffer.from(',');

/** The report's bytes with the known elements of its bundle array left out. */
function withoutKnown(
  signed: Buffer,
  scan: ArraySpans,
  known: readonly (BundleStatus | undefined)[],
): Buffer {
  const pieces: Buffer[] = [signed.subarray(0, scan.open + 1)];
  scan.spans.forEach(([start, end], i) => {
    if (known[i] !== undefined) return;
    if (pieces.length > 1) pieces.push(COMMA);
    pieces.push(signed.subarray(start, end));
  });
  pieces.push(signed.subarray(scan.close));
  return Buffer.concat(pieces);
}

/**
 * The schema over a report whose known bundle statuses were left out of `json` (then put back, the
 * caller's objects, in their places). Issues keep the paths of the whole report.
 */
function parseReport(
  json: unknown,
  known: readonly (BundleStatus | undefined)[] | undefined,
): z.ZodSafeParseResult<Report> {
  if (known === undefined) return ReportSchema.safeParse(json);
  const checked: number[] = [];
  known.forEach((k, i) => {
    if (k === undefined) checked.push(i);
  });
  const result = ReportSchema.safeParse(json);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.path[0] === 'bundles' && typeof issue.path[1] === 'number') {
        issue.path[1] = checked[issue.path[1]] ?? issue.path[1];
      }
    }
    return result;
  }
  if (result.data.kind !== 'status') return result;
  const validated = result.data.bundles;
  let next = 0;
  const bundles = known.map((k) => k ?? validated[next++]!);
  return { success: true, data: { ...result.data, bundles } };
}

function parseJson(
  value: Uint8Array,
): { ok: true; json: unknown } | { ok: false; reason: 'malformed-json'; detail: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(value);
  } catch {
    return { ok: false, reason: 'malformed-json', detail: 'message value is not valid UTF-8' };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: 'malformed-json', detail: describeJsonError(error) };
  }
}

function startsWith(value: Buffer, head: Buffer): boolean {
  return value.length >= head.length && value.compare(head, 0, head.length, 0, head.length) === 0;
}

/** True when the envelope's signature matches its report under `signingKey`. Never throws. */
export function verifySignedReport(envelope: ReportEnvelope, signingKey: string): boolean {
  return envelope.v === 2
    ? verifyBytesSignature(envelope.signed, envelope.sig, signingKey)
    : verifySignature(envelope.report, envelope.sig, signingKey);
}

function describeJsonError(error: unknown): string {
  // Never echo the engine's message: V8 quotes a slice of the input ("... is not valid JSON").
  const raw =
    typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  const message = typeof raw === 'string' ? raw : '';
  if (/unexpected end/i.test(message)) return 'message value is not valid JSON: unexpected end of input';
  const position = /position (\d+)/.exec(message)?.[1];
  return position === undefined
    ? 'message value is not valid JSON'
    : `message value is not valid JSON (error at position ${position})`;
}

function schemaDetail(error: Pick<z.ZodError, 'issues'>, json: unknown): string {
  let detail = formatIssues(error.issues);
  // Issue messages carry no input values, but unrecognised key names are echoed; make sure a
  // signature never reaches logs that way.
  const sig = isRecord(json) ? json['sig'] : undefined;
  if (typeof sig === 'string' && sig.length >= 8) detail = detail.split(sig).join('[redacted]');
  return truncateUtf8(detail, DECODE_DETAIL_MAX_BYTES);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
