import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ObjectBoundsSchema } from './project-bounds.js';
import { DNS1123_LABEL } from './common.js';
import { HealthChecksSchema } from './health-checks.js';

/**
 * The agent-facing HTTP API of the hub, versioned by path. Agents only ever call out (no inbound
 * connections to clusters). Every 4xx/5xx response body is an {@link AgentError}.
 *
 * Requests and responses ignore (strip) unknown keys so either side can add optional fields without
 * breaking the other; only {@link ClusterFactsSchema} is strict.
 */
export const AGENT_API_PREFIX = '/agent/v1';

export const AGENT_API_PATHS = {
  /** POST {@link RegisterRequest} → 200 {@link RegisterResponse}. */
  register: `${AGENT_API_PREFIX}/register`,
  /**
   * GET, long-poll: `?generation=N` (the generation the agent has) → 200 {@link AssignmentsResponse}
   * at once when the cluster's generation differs, else 304 after the hub's poll timeout (~30 s).
   */
  assignments: `${AGENT_API_PREFIX}/assignments`,
  /** GET `${bundles}/{digest}` → 200 {@link BundleResponse}; the agent verifies the digest. */
  bundles: `${AGENT_API_PREFIX}/bundles`,
  /**
   * POST {@link BundleBatchRequest} → 200 {@link BundleBatchResponse}: many bundles in one request
   * (an agent given 100 new assignments asks once, not 100 times). A hub without it answers 404,
   * and the agent falls back to one GET per digest.
   */
  bundleBatch: `${AGENT_API_PREFIX}/bundles/batch`,
  /**
   * POST, no body, with the current credential → 200 {@link RegisterResponse}: a new credential and
   * signing key (the agent saves them before using them). The old pair works for the hub's grace period.
   */
  rotateCredential: `${AGENT_API_PREFIX}/credentials/rotate`,
} as const;

/** A cluster name: a lowercase DNS-1123 label (alphanumerics and '-', 1..63, starts and ends alphanumeric). */
export const ClusterNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(
    DNS1123_LABEL,
    "must be a lowercase DNS-1123 label (a-z, 0-9 and '-', starting and ending alphanumeric)",
  );

/** What the agent knows about its cluster. Strict: unknown keys are rejected. */
export const ClusterFactsSchema = z.strictObject({
  kubernetesVersion: z.string().max(64).optional(),
  nodeCount: z.int().min(0).optional(),
  provider: z.string().max(64).optional(),
  region: z.string().max(64).optional(),
});
export type ClusterFacts = z.infer<typeof ClusterFactsSchema>;

export const RegisterRequestSchema = z.object({
  /** One-time (or limited-use) registration token issued by the hub. */
  token: z.string().min(1).max(512),
  clusterName: ClusterNameSchema,
  /** UID of the cluster's kube-system namespace: a stable identity that survives agent reinstalls. */
  kubeSystemUid: z.string().min(1).max(64),
  /** Initial cluster labels. Label syntax is checked by the hub (`@fleetwave/labels`). */
  labels: z.record(z.string(), z.string()).default({}),
  facts: ClusterFactsSchema.default({}),
  agentVersion: z.string().min(1).max(64),
});
/** A parsed request (`labels` and `facts` filled in). */
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>;
/** What an agent sends (`labels` and `facts` may be left out). */
export type RegisterRequestInput = z.input<typeof RegisterRequestSchema>;

export const RegisterResponseSchema = z.object({
  clusterId: z.uuid(),
  clusterName: ClusterNameSchema,
  /** Bearer credential for later agent API calls. */
  credential: z.string().min(1),
  /** Base64url HMAC key the agent signs its reports with (see `signPayload`). */
  signingKey: z.string().min(1),
  /** Kafka topic to report to (normally `TOPICS.reports`). */
  reportsTopic: z.string().min(1),
  heartbeatIntervalSeconds: z.int().min(1),
  /**
   * When the credential was issued and when it (and the signing key) stops working; the agent
   * rotates before then. Absent from hubs (and identities saved) before credentials expired.
   */
  credentialIssuedAt: z.iso.datetime().optional(),
  credentialExpiresAt: z.iso.datetime().optional(),
});
export type RegisterResponse = z.infer<typeof RegisterResponseSchema>;

/** The JSON body of every 4xx/5xx response from the agent API. */
export const AgentErrorSchema = z.object({
  /** Machine-readable, stable, e.g. `token-invalid`, `cluster-name-taken`. */
  code: z.string().min(1),
  /** Human-readable; never contains secrets. */
  message: z.string(),
});
export type AgentError = z.infer<typeof AgentErrorSchema>;

/** `sha256:` and 64 lowercase hex digits: a bundle's content address. */
export const DigestSchema = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256: followed by 64 lowercase hex digits');

/** When the agent may delete and re-create an object to change a field that is immutable. */
export const RecreatePolicySchema = z.enum(['never', 'annotated', 'always']);
export type RecreatePolicy = z.infer<typeof RecreatePolicySchema>;

/** One application this cluster must run, at one exact revision. */
export const AssignmentSchema = z.object({
  application: z.string().min(1).max(63),
  digest: DigestSchema,
  commit: z.string().regex(/^[0-9a-f]{40}$/, 'must be 40 lowercase hex digits'),
  /** Namespace for namespaced objects that name none. */
  defaultNamespace: z.string().min(1).max(63).optional(),
  /** Delete objects that left the bundle (default true). */
  prune: z.boolean().default(true),
  /** An empty bundle prunes everything only when this is set, explicitly. */
  allowEmpty: z.boolean().default(false),
  /** After this long without becoming healthy, the bundle is Failed (ProgressDeadlineExceeded). */
  progressDeadlineSeconds: z.int().min(1).max(86_400).default(600),
  /**
   * Custom health rules (CEL) for kinds kstatus cannot judge; absent from hubs that predate them.
   * Only their shape is checked here: the agent compiles them, and a rule it cannot compile stalls
   * this application alone rather than failing the whole response.
   */
  healthChecks: HealthChecksSchema.default([]),
  /**
   * An object whose apply is refused because a field is immutable (a Job's template, a Service's
   * clusterIP, a selector) is deleted and created again: `never`; `annotated` (default) only when
   * it carries `fleetwave.io/recreate: "true"`; `always`. Hubs that predate it send none: the default.
   */
  recreate: RecreatePolicySchema.default('annotated'),
  /**
   * The application's project bounds (docs/projects.md): the agent applies no object outside them.
   * Hubs that predate projects send none: nothing is bounded beyond the hub's own checks.
   */
  bounds: ObjectBoundsSchema.optional(),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

/** What the agent does with an application's objects when its placement on this cluster ends. */
export const DeletionPolicySchema = z.enum(['prune', 'orphan']);
export type DeletionPolicy = z.infer<typeof DeletionPolicySchema>;

/**
 * A tombstone: this application no longer belongs on this cluster. The only way the hub asks an
 * agent to remove anything — an application merely absent from `assignments` is left running (a hub
 * restored from an old backup must not wipe a fleet). `prune` deletes the application's inventory
 * (objects carrying the prune opt-out annotation stay); `orphan` leaves every object in place. Either
 * way the agent drops its inventory record and lists the application in `removed` of its next
 * status report; the hub keeps sending the tombstone until it has read that.
 */
export const WithdrawalSchema = z.object({
  application: z.string().min(1).max(63),
  deletionPolicy: DeletionPolicySchema.default('prune'),
});
export type Withdrawal = z.infer<typeof WithdrawalSchema>;

export const AssignmentsResponseSchema = z
  .object({
    /** Moves whenever anything in this cluster's assignments changes. */
    generation: z.int().min(0),
    assignments: z.array(AssignmentSchema).max(500),
    /** Absent from hubs that predate withdrawals. */
    withdrawals: z.array(WithdrawalSchema).max(500).default([]),
  })
  .refine((r) => !r.withdrawals.some((w) => r.assignments.some((a) => a.application === w.application)), {
    message: 'an application cannot be both assigned and withdrawn',
    path: ['withdrawals'],
  });
export type AssignmentsResponse = z.infer<typeof AssignmentsResponseSchema>;

export const BundleResponseSchema = z.object({
  digest: DigestSchema,
  /** Multi-document YAML; `sha256(utf8(manifests))` must equal the digest. */
  manifests: z.string(),
});
export type BundleResponse = z.infer<typeof BundleResponseSchema>;

/** Digests one batch request may name (a cluster's whole assignment set fits, at 100 per cluster). */
export const BUNDLE_BATCH_MAX_DIGESTS = 1_000;

export const BundleBatchRequestSchema = z.object({
  digests: z
    .array(DigestSchema)
    .min(1)
    .max(BUNDLE_BATCH_MAX_DIGESTS)
    .refine((digests) => new Set(digests).size === digests.length, 'must not repeat a digest'),
});
export type BundleBatchRequest = z.infer<typeof BundleBatchRequestSchema>;

export const BundleBatchResponseSchema = z.object({
  /** In the order asked; each verified by the agent as a single bundle is. */
  bundles: z.array(BundleResponseSchema),
  /** Not served to this cluster: not assigned to it, or not stored (what GET answers 404 to). */
  unavailable: z.array(DigestSchema),
  /** Left for another request: the response reached the hub's byte budget (at least one is served). */
  deferred: z.array(DigestSchema),
});
export type BundleBatchResponse = z.infer<typeof BundleBatchResponseSchema>;

/** The content address of rendered manifests. */
export function bundleDigest(manifests: string): string {
  return `sha256:${createHash('sha256').update(manifests, 'utf8').digest('hex')}`;
}
