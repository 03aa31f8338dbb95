import {
  CHECK_JOB_LABELS,
  type CheckJob,
  type CheckJobManifest,
  type CheckJobOutcome,
  checkJobName,
} from '@fleetwave/contracts';
import { isRecord, type KubeObject } from '../domain/index.js';

/** A finished check Job stays this long for `kubectl describe`, then Kubernetes deletes it (and its pod). */
export const CHECK_JOB_TTL_SECONDS = 600;

/**
 * The Job a verification check asks for, as the agent creates it: labelled with the attempt and
 * the check (the pod too), killed at the check's timeout (`activeDeadlineSeconds`), deleted by the
 * TTL controller `ttlSeconds` after it finished. From an image: one container, one try
 * (`backoffLimit: 0`: a retry is the hub's decision). From a manifest in the repository: its spec
 * as it is, except what the agent owns — name, namespace, the labels above, the deadline and TTL;
 * its selector is left to the Job controller, and it is never created suspended. Pure.
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
  const owned = { activeDeadlineSeconds: job.timeoutSeconds, ttlSecondsAfterFinished: ttlSeconds };
  if (job.manifest !== undefined) return fromManifest(job, job.manifest, namespace, labels, owned);
  const container: Record<string, unknown> = { name: 'check', image: job.image };
  if (job.command.length > 0) container.command = job.command;
  if (job.args.length > 0) container.args = job.args;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: checkJobName(job.id), namespace, labels },
    spec: {
      backoffLimit: 0,
      ...owned,
      template: {
        metadata: { labels },
        spec: { restartPolicy: 'Never', containers: [container] },
      },
    },
  };
}

function fromManifest(
  job: CheckJob,
  manifest: CheckJobManifest,
  namespace: string,
  labels: Record<string, string>,
  owned: Record<string, number>,
): KubeObject {
  const given = isRecord(manifest.metadata) ? manifest.metadata : {};
  const metadata: KubeObject['metadata'] = {
    name: checkJobName(job.id),
    namespace,
    labels: { ...stringMap(given.labels), ...labels },
  };
  if (isRecord(given.annotations)) metadata.annotations = stringMap(given.annotations);
  // The Job controller picks the selector (and labels the pods by it); suspend would never run it.
  const {
    selector: _selector,
    manualSelector: _manual,
    suspend: _suspend,
    template,
    ...spec
  } = manifest.spec;
  const pod = isRecord(template) ? template : {};
  const podMetadata = isRecord(pod.metadata) ? pod.metadata : {};
  const podSpec = isRecord(pod.spec) ? pod.spec : {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      backoffLimit: 0,
      ...spec,
      ...owned,
      template: {
        ...pod,
        metadata: { ...podMetadata, labels: { ...stringMap(podMetadata.labels), ...labels } },
        spec: { restartPolicy: 'Never', ...podSpec },
      },
    },
  };
}

/** The string entries of a label or annotation map (anything else is not one). */
function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
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
