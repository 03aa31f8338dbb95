import { z } from 'zod';
import { DNS1123_LABEL } from './common.js';

/**
 * The agent-facing HTTP API of the hub, versioned by path. Agents only ever call out (no inbound
 * connections to clusters). Every 4xx/5xx response body is an {@link AgentError}.
 *
 * Requests and responses ignore (strip) unknown keys so either side can add optional fields without
 * breaking the other; only {@link ClusterFactsSchema} is strict.
 */
export const AGENT_API_PREFIX = '/agent/v1';

export const AGENT_API_PATHS = {
  /** POST {@link RegisterRequest} → 201 {@link RegisterResponse}. */
  register: `${AGENT_API_PREFIX}/register`,
  // assignments / bundles paths come with their schemas below.
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

// Assignments (GET /agent/v1/assignments, long-poll) and bundles (GET /agent/v1/bundles/:digest)
// schemas are added here when those endpoints land.
