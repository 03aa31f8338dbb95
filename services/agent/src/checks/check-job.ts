import { CHECK_JOB_LABELS, type CheckJob, type CheckJobOutcome, checkJobName } from '@fleetwave/contracts';
import { isRecord, type KubeObject } from '../domain/index.js';

/** A finished check Job stays this long for `kubectl describe`, then Kubernetes deletes it (and its pod). */
export const CHECK_JOB_TTL_SECONDS = 600;

/**
 * The Job a verification check asks for, as the agent creates it: labelled with the attempt and
 * the check (the pod too), one try (`backoffLimit: 0`: a retry is the hub's decision), killed at
 * the check's timeout (`activeDeadlineSeconds`), deleted by the TTL controller `ttlSeconds` after
 * it finished. Pure.
 */
export function checkJobManifest(
  job: CheckJob,
  namespace: string,
  ttlSeconds: number = CHECK_JOB_TTL_SECONDS,
): KubeObject {
  const labels = {
    [CHECK_JOB_LABELS.run]: job.id,
    [CHECK_JOB_LABELS.check]: job.check,
    [CHECK_JOB_LABELS.managedBy]: 'fleetwave',
  };
  const container: Record<string, unknown> = { name: 'check', image: job.image };
  if (job.command.length > 0) container.command = job.command;
  if (job.args.length > 0) container.args = job.args;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: checkJobName(job.id), namespace, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: job.timeoutSeconds,
      ttlSecondsAfterFinished: ttlSeconds,
      template: {
        metadata: { labels },
        spec: { restartPolicy: 'Never', containers: [container] },
      },
    },
  };
}

/**
 * What a Job's status says: null while it runs, `passed` once `Complete`, `failed` with the reason
 * once `Failed` (BackoffLimitExceeded, DeadlineExceeded, …). Interim conditions (SuccessCriteriaMet,
 * FailureTarget) wait for the final one. Pure.
 */
export function checkJobOutcome(job: KubeObject): CheckJobOutcome | null {
  const status = isRecord(job.status) ? job.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isRecord) : [];
  const holds = (type: string) => conditions.find((c) => c.type === type && c.status === 'True');
  const complete = holds('Complete');
  if (complete !== undefined) return { result: 'passed', message: 'Complete' };
  const failed = holds('Failed');
  if (failed !== undefined) {
    const reason = typeof failed.reason === 'string' ? failed.reason : 'Failed';
    const message = typeof failed.message === 'string' && failed.message !== '' ? `: ${failed.message}` : '';
    return { result: 'failed', message: `${reason}${message}`.slice(0, 2000) };
  }
  return null;
}
