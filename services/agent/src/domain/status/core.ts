import { getPath, isRecord, type KubeObject } from '../kube-object.js';
import { groupOf } from '../object-id.js';
import { conditionsOf, findCondition, intField, stringField } from './fields.js';
import { checkGenerationSet } from './generic.js';
import { current, failed, inProgress, type ResourceStatus } from './types.js';

/**
 * Per-kind rules, ported from kstatus `core.go` (`legacyTypes`). Each rule reads only the object it
 * is given; where kstatus reads the clock (Pod scheduling window), the time comes in `context`.
 */
export interface RuleContext {
  /** The current time, for time-window rules. Without it those rules assume the window has not passed. */
  now?: Date;
}

export type KindRule = (obj: KubeObject, context: RuleContext) => ResourceStatus;

/** kstatus: how long a Pod may be Unschedulable before it counts as Failed. */
export const SCHEDULE_WINDOW_MS = 15_000;

const MAX_INT32 = 2_147_483_647;

const alwaysReady: KindRule = () => current('Resource is always ready');

/** StatefulSet: the controller sets no conditions, so only counts and revisions tell. */
const statefulSet: KindRule = (obj) => {
  if (stringField(obj, ['spec', 'updateStrategy', 'type'], '') === 'OnDelete') {
    return current('StatefulSet is using the ondelete update strategy');
  }
  const specReplicas = intField(obj, ['spec', 'replicas'], 1);
  const readyReplicas = intField(obj, ['status', 'readyReplicas'], 0);
  const currentReplicas = intField(obj, ['status', 'currentReplicas'], 0);
  const updatedReplicas = intField(obj, ['status', 'updatedReplicas'], 0);
  const statusReplicas = intField(obj, ['status', 'replicas'], 0);
  const partition = intField(obj, ['spec', 'updateStrategy', 'rollingUpdate', 'partition'], -1);

  if (specReplicas > statusReplicas)
    return inProgress('LessReplicas', `Replicas: ${statusReplicas}/${specReplicas}`);
  if (specReplicas > readyReplicas) return inProgress('LessReady', `Ready: ${readyReplicas}/${specReplicas}`);
  if (statusReplicas > specReplicas) {
    return inProgress('ExtraPods', `Pending termination: ${statusReplicas - specReplicas}`);
  }
  if (partition !== -1) {
    if (updatedReplicas < specReplicas - partition) {
      return inProgress('PartitionRollout', `updated: ${updatedReplicas}/${specReplicas - partition}`);
    }
    return current(`Partition rollout complete. updated: ${updatedReplicas}`);
  }
  if (specReplicas > currentReplicas)
    return inProgress('LessCurrent', `current: ${currentReplicas}/${specReplicas}`);
  const currentRevision = stringField(obj, ['status', 'currentRevision'], '');
  const updateRevision = stringField(obj, ['status', 'updateRevision'], '');
  if (currentRevision !== updateRevision) {
    return inProgress('RevisionMismatch', 'Waiting for updated revision to match current');
  }
  return current(`All replicas scheduled as expected. Replicas: ${statusReplicas}`);
};

/** Deployment: counts, then the Progressing and Available conditions. */
const deployment: KindRule = (obj) => {
  // Without a progress deadline the controller never sets Progressing, so do not wait for it.
  let progressing = intField(obj, ['spec', 'progressDeadlineSeconds'], MAX_INT32) === MAX_INT32;
  let available = false;
  for (const c of conditionsOf(obj)) {
    if (c.type === 'Progressing') {
      if (c.reason === 'ProgressDeadlineExceeded') {
        return failed(
          c.reason,
          c.message === '' ? 'Progress deadline exceeded' : `Progress deadline exceeded: ${c.message}`,
        );
      }
      if (c.status === 'True' && c.reason === 'NewReplicaSetAvailable') progressing = true;
    } else if (c.type === 'Available' && c.status === 'True') {
      available = true;
    }
  }

  const specReplicas = intField(obj, ['spec', 'replicas'], 1);
  const statusReplicas = intField(obj, ['status', 'replicas'], 0);
  const updatedReplicas = intField(obj, ['status', 'updatedReplicas'], 0);
  const readyReplicas = intField(obj, ['status', 'readyReplicas'], 0);
  const availableReplicas = intField(obj, ['status', 'availableReplicas'], 0);

  if (specReplicas > statusReplicas)
    return inProgress('LessReplicas', `Replicas: ${statusReplicas}/${specReplicas}`);
  if (specReplicas > updatedReplicas)
    return inProgress('LessUpdated', `Updated: ${updatedReplicas}/${specReplicas}`);
  if (statusReplicas > specReplicas) {
    return inProgress('ExtraPods', `Pending termination: ${statusReplicas - specReplicas}`);
  }
  if (updatedReplicas > availableReplicas) {
    return inProgress('LessAvailable', `Available: ${availableReplicas}/${updatedReplicas}`);
  }
  if (specReplicas > readyReplicas) return inProgress('LessReady', `Ready: ${readyReplicas}/${specReplicas}`);
  if (!progressing) return inProgress('ReplicaSetNotAvailable', 'ReplicaSet not Available');
  if (!available) return inProgress('DeploymentNotAvailable', 'Deployment not Available');
  return current(`Deployment is available. Replicas: ${statusReplicas}`);
};

const replicaSet: KindRule = (obj) => {
  const failure = conditionsOf(obj).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (failure !== undefined) {
    const detail = failure.message === '' ? '' : `: ${failure.message}`;
    return inProgress('ReplicaFailure', `Replica Failure condition. Check Pods${detail}`);
  }
  const specReplicas = intField(obj, ['spec', 'replicas'], 1);
  const statusReplicas = intField(obj, ['status', 'replicas'], 0);
  const readyReplicas = intField(obj, ['status', 'readyReplicas'], 0);
  const availableReplicas = intField(obj, ['status', 'availableReplicas'], 0);
  const labelledReplicas = intField(obj, ['status', 'fullyLabeledReplicas'], 0);

  if (specReplicas > labelledReplicas)
    return inProgress('LessLabelled', `Labelled: ${labelledReplicas}/${specReplicas}`);
  if (specReplicas > availableReplicas) {
    return inProgress('LessAvailable', `Available: ${availableReplicas}/${specReplicas}`);
  }
  if (specReplicas > readyReplicas) return inProgress('LessReady', `Ready: ${readyReplicas}/${specReplicas}`);
  if (statusReplicas > specReplicas) {
    return inProgress('ExtraPods', `Pending termination: ${statusReplicas - specReplicas}`);
  }
  return current(`ReplicaSet is available. Replicas: ${statusReplicas}`);
};

const daemonSet: KindRule = (obj) => {
  const unobserved = checkGenerationSet(obj);
  if (unobserved !== undefined) return unobserved;

  const desired = intField(obj, ['status', 'desiredNumberScheduled'], -1);
  const currentScheduled = intField(obj, ['status', 'currentNumberScheduled'], 0);
  const updated = intField(obj, ['status', 'updatedNumberScheduled'], 0);
  const availableCount = intField(obj, ['status', 'numberAvailable'], 0);
  const ready = intField(obj, ['status', 'numberReady'], 0);

  if (desired === -1) return inProgress('NoDesiredNumber', 'Missing .status.desiredNumberScheduled');
  if (desired > currentScheduled) return inProgress('LessCurrent', `Current: ${currentScheduled}/${desired}`);
  if (desired > updated) return inProgress('LessUpdated', `Updated: ${updated}/${desired}`);
  if (desired > availableCount) return inProgress('LessAvailable', `Available: ${availableCount}/${desired}`);
  if (desired > ready) return inProgress('LessReady', `Ready: ${ready}/${desired}`);
  return current(`All replicas scheduled as expected. Replicas: ${desired}`);
};

const pvc: KindRule = (obj) => {
  const phase = stringField(obj, ['status', 'phase'], 'unknown');
  if (phase !== 'Bound') return inProgress('NotBound', `PVC is not Bound. phase: ${phase}`);
  return current('PVC is Bound');
};

interface WaitingContainer {
  name: string;
  reason: string;
}

/** Containers (init containers first) in a `waiting` state with a reason. */
function waitingContainers(obj: KubeObject, fields: readonly string[]): WaitingContainer[] {
  const waiting: WaitingContainer[] = [];
  for (const field of fields) {
    const statuses = getPath(obj, ['status', field]);
    if (!Array.isArray(statuses)) continue;
    for (const entry of statuses) {
      if (!isRecord(entry) || typeof entry.name !== 'string') continue;
      const reason = getPath(entry, ['state', 'waiting', 'reason']);
      if (typeof reason === 'string' && reason !== '') waiting.push({ name: entry.name, reason });
    }
  }
  return waiting;
}

/**
 * Container waiting reasons that will not clear up by waiting. kstatus reports these as plain
 * InProgress ("Pod is in the Pending phase"); we keep the status and name the container and its
 * reason, which is what a person needs to see in a report.
 */
const STUCK_WAITING_REASONS: ReadonlySet<string> = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'CrashLoopBackOff',
  'RunContainerError',
]);

function stuckContainers(obj: KubeObject): WaitingContainer[] {
  return waitingContainers(obj, ['initContainerStatuses', 'containerStatuses']).filter((c) =>
    STUCK_WAITING_REASONS.has(c.reason),
  );
}

function withStuckContainers(status: ResourceStatus, obj: KubeObject): ResourceStatus {
  const stuck = stuckContainers(obj);
  const first = stuck[0];
  if (first === undefined) return status;
  const list = stuck.map((c) => `${c.name} (${c.reason})`).join(', ');
  return { ...status, reason: first.reason, message: `${status.message}. Containers waiting: ${list}` };
}

const pod: KindRule = (obj, context) => {
  const conditions = conditionsOf(obj);
  const phase = stringField(obj, ['status', 'phase'], '');
  switch (phase) {
    case 'Succeeded':
      return current('Pod has completed successfully');
    case 'Failed':
      return current('Pod has completed, but not successfully');
    case 'Running': {
      if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return current('Pod is Ready');
      const crashLooping = waitingContainers(obj, ['containerStatuses']).filter(
        (c) => c.reason === 'CrashLoopBackOff',
      );
      if (crashLooping.length > 0) {
        return failed(
          'ContainerCrashLooping',
          `Containers in CrashLoop state: ${crashLooping.map((c) => c.name).join(',')}`,
        );
      }
      return withStuckContainers(inProgress('PodRunningNotReady', 'Pod is running but is not Ready'), obj);
    }
    case 'Pending': {
      const scheduled = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      if (scheduled?.reason === 'Unschedulable') {
        if (withinScheduleWindow(obj, context))
          return inProgress('PodNotScheduled', 'Pod has not been scheduled');
        const detail = scheduled.message === '' ? '' : `: ${scheduled.message}`;
        return failed('PodUnschedulable', `Pod could not be scheduled${detail}`);
      }
      return withStuckContainers(inProgress('PodPending', 'Pod is in the Pending phase'), obj);
    }
    case '':
      return inProgress('PodNotObserved', 'Pod phase not available');
    default:
      return { status: 'Unknown', reason: 'UnknownPhase', message: `unknown phase ${phase}` };
  }
};

/**
 * kstatus: `now - 15s` is before the creation time. Without a clock, or without a creation time we
 * can read, we cannot tell, and say the window has not passed (the bundle's progress deadline still
 * bounds the wait). kstatus treats a missing creation time as the zero time, i.e. long passed.
 */
function withinScheduleWindow(obj: KubeObject, context: RuleContext): boolean {
  if (context.now === undefined) return true;
  const created = Date.parse(stringField(obj, ['metadata', 'creationTimestamp'], ''));
  if (Number.isNaN(created)) return false;
  return context.now.getTime() - SCHEDULE_WINDOW_MS < created;
}

const pdb: KindRule = () => current('AllowedDisruptions has been computed.');

/**
 * Job: InProgress until it starts, then Current while running and once complete; Failed when the
 * controller says so.
 */
const job: KindRule = (obj) => {
  const parallelism = intField(obj, ['spec', 'parallelism'], 1);
  const completions = intField(obj, ['spec', 'completions'], parallelism);
  const succeeded = intField(obj, ['status', 'succeeded'], 0);
  const active = intField(obj, ['status', 'active'], 0);
  const failedPods = intField(obj, ['status', 'failed'], 0);
  const startTime = stringField(obj, ['status', 'startTime'], '');

  for (const c of conditionsOf(obj)) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return current(`Job Completed. succeeded: ${succeeded}/${completions}`);
    if (c.type === 'Failed') {
      const detail = c.message === '' ? '' : `: ${c.message}`;
      return failed(
        c.reason === '' ? 'JobFailed' : c.reason,
        `Job Failed. failed: ${failedPods}/${completions}${detail}`,
      );
    }
    if (c.type === 'Suspended') return current('Job is suspended');
  }
  if (startTime === '') return inProgress('JobNotStarted', 'Job not started');
  return current(`Job in progress. success:${succeeded}, active: ${active}, failed: ${failedPods}`);
};

/**
 * Service: a LoadBalancer needs a cluster IP (kstatus) and an ingress point in
 * `status.loadBalancer.ingress` (our addition, as Helm's `--wait` does).
 */
const service: KindRule = (obj) => {
  const type = stringField(obj, ['spec', 'type'], 'ClusterIP');
  if (type === 'LoadBalancer') {
    if (stringField(obj, ['spec', 'clusterIP'], '') === '') {
      return inProgress('NoIPAssigned', 'ClusterIP not set. Service type: LoadBalancer');
    }
    const ingress = getPath(obj, ['status', 'loadBalancer', 'ingress']);
    if (!Array.isArray(ingress) || ingress.length === 0) {
      return inProgress('NoIngress', 'LoadBalancer has no ingress IP or hostname yet');
    }
  }
  return current('Service is ready');
};

const crd: KindRule = (obj) => {
  for (const c of conditionsOf(obj)) {
    if (c.type === 'NamesAccepted' && c.status === 'False')
      return failed(c.reason || 'NamesNotAccepted', c.message);
    if (c.type === 'Established') {
      if (c.status === 'False' && c.reason !== 'Installing')
        return failed(c.reason || 'NotEstablished', c.message);
      if (c.status === 'True') return current('CRD is established');
    }
  }
  return inProgress('Installing', 'Install in progress');
};

/** Rules by `group/Kind` (`Kind` alone for the core group), as kstatus `legacyTypes`. */
export const KIND_RULES: ReadonlyMap<string, KindRule> = new Map<string, KindRule>([
  ['Service', service],
  ['Pod', pod],
  ['Secret', alwaysReady],
  ['ConfigMap', alwaysReady],
  ['PersistentVolumeClaim', pvc],
  ['apps/StatefulSet', statefulSet],
  ['apps/DaemonSet', daemonSet],
  ['extensions/DaemonSet', daemonSet],
  ['apps/Deployment', deployment],
  ['extensions/Deployment', deployment],
  ['apps/ReplicaSet', replicaSet],
  ['extensions/ReplicaSet', replicaSet],
  ['policy/PodDisruptionBudget', pdb],
  ['batch/CronJob', alwaysReady],
  ['batch/Job', job],
  ['apiextensions.k8s.io/CustomResourceDefinition', crd],
]);

export function kindRuleFor(obj: KubeObject): KindRule | undefined {
  const group = groupOf(obj.apiVersion);
  return KIND_RULES.get(group === '' ? obj.kind : `${group}/${obj.kind}`);
}

/**
 * Our addition for kinds without a rule: the `Ready` condition that most controllers set
 * (Flux, cert-manager, Crossplane, Knative). True → Current; False or Unknown → InProgress.
 */
export function readyCondition(obj: KubeObject): ResourceStatus | undefined {
  const ready = findCondition(conditionsOf(obj), 'Ready');
  if (ready === undefined) return undefined;
  if (ready.status === 'True') return current(ready.message === '' ? 'Resource is Ready' : ready.message);
  return inProgress(
    ready.reason === '' ? 'NotReady' : ready.reason,
    ready.message === '' ? 'Resource is not Ready' : ready.message,
  );
}
