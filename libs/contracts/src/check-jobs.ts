import { z } from 'zod';
import { AGENT_API_PREFIX } from './agent-api.js';
import { DNS1123_LABEL } from './common.js';

/**
 * Verification check Jobs: a `job` check of a rollout's wave runs a Kubernetes Job in each wave
 * cluster, through that cluster's agent. The agent asks the hub for the Jobs pending for its
 * cluster, creates each one (labelled, in its configured namespace), waits for it to complete or
 * fail, and reports the outcome; the hub's verification runner waits for every cluster's outcome.
 */
export const CHECK_JOB_PATHS = {
  /** GET → 200 {@link CheckJobsResponse}: the Jobs this cluster should run now (none: an empty list). */
  pending: `${AGENT_API_PREFIX}/check-jobs`,
  /** POST `${pending}/{id}` with {@link CheckJobOutcome} → 204; 404 when the hub no longer waits for it. */
  outcome: (id: string) => `${AGENT_API_PREFIX}/check-jobs/${id}`,
} as const;

/** Labels every check Job carries (and its pod, through the template). */
export const CHECK_JOB_LABELS = {
  /** The hub's id of the attempt; unique: the agent finds the Job again by it after a restart. */
  run: 'fleetwave.io/check-run',
  /** The check's name in the plan. */
  check: 'fleetwave.io/check',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

const ArgumentSchema = z.string().max(4096);

/**
 * A Job manifest from the application's repository (validated by the hub: one document, apiVersion
 * batch/v1, kind Job, a pod template). The agent owns its name, namespace and labels (see
 * services/agent/src/checks/check-job.ts); what else it says (containers, volumes, …) is run as is.
 */
export const CheckJobManifestSchema = z
  .object({
    apiVersion: z.literal('batch/v1'),
    kind: z.literal('Job'),
    metadata: z.record(z.string(), z.unknown()).optional(),
    spec: z.object({ template: z.record(z.string(), z.unknown()) }).loose(),
  })
  .loose();
export type CheckJobManifest = z.infer<typeof CheckJobManifestSchema>;

/**
 * One Job to run, already templated for this cluster by the hub: either one container (`image`,
 * `command`, `args`) or a Job `manifest` read from the repository at the rollout's commit.
 */
export const CheckJobSchema = z
  .object({
    /** The attempt's id (digits): the Job's name is `fleetwave-check-<id>`. */
    id: z.string().regex(/^[0-9]{1,18}$/, 'must be the digits of an attempt id'),
    check: z.string().regex(DNS1123_LABEL).max(63),
    image: z.string().min(1).max(512).optional(),
    command: z.array(ArgumentSchema).max(64).default([]),
    args: z.array(ArgumentSchema).max(64).default([]),
    manifest: CheckJobManifestSchema.optional(),
    /** The Job's activeDeadlineSeconds: the agent reports it failed when it ran longer. */
    timeoutSeconds: z.int().min(1).max(3600),
  })
  .refine((job) => (job.image === undefined) !== (job.manifest === undefined), {
    message: 'exactly one of image and manifest',
    path: ['image'],
  });
export type CheckJob = z.infer<typeof CheckJobSchema>;

export const CheckJobsResponseSchema = z.object({ jobs: z.array(CheckJobSchema).max(100) });
export type CheckJobsResponse = z.infer<typeof CheckJobsResponseSchema>;

/** What became of a Job: `passed` when it completed, `failed` with the reason otherwise. */
export const CheckJobOutcomeSchema = z.object({
  result: z.enum(['passed', 'failed']),
  message: z.string().max(2000),
});
export type CheckJobOutcome = z.infer<typeof CheckJobOutcomeSchema>;

/** The name of the Job an attempt runs as (a DNS-1123 subdomain, well below 63 characters). */
export function checkJobName(id: string): string {
  return `fleetwave-check-${id}`;
}
