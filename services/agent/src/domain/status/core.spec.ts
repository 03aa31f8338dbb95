import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../kube-object.js';
import { computeStatus } from './compute.js';
import type { ResourceStatus } from './types.js';

type Fields = Record<string, unknown>;

const cond = (type: string, status: string, reason = '', message = '') => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: '2025-03-01T10:00:00Z',
});

function object(
  apiVersion: string,
  kind: string,
  spec: Fields | undefined,
  status: Fields | undefined,
  metadata: Fields = {},
): KubeObject {
  const obj: KubeObject = {
    apiVersion,
    kind,
    metadata: { name: 'web', namespace: 'shop', uid: 'u-1', ...metadata },
  };
  if (spec !== undefined) obj.spec = spec;
  if (status !== undefined) obj.status = status;
  return obj;
}

const current = (message: string): ResourceStatus => ({ status: 'Current', message });
const inProgress = (reason: string, message: string): ResourceStatus => ({
  status: 'InProgress',
  reason,
  message,
});
const failed = (reason: string, message: string): ResourceStatus => ({ status: 'Failed', reason, message });

// ---------------------------------------------------------------------------------------------

const availableConditions = [
  cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'),
  cond(
    'Progressing',
    'True',
    'NewReplicaSetAvailable',
    'ReplicaSet "web-7d4b9c8f6d" has successfully progressed.',
  ),
];

function deployment(spec: Fields, status: Fields | undefined, generation = 4): KubeObject {
  return object(
    'apps/v1',
    'Deployment',
    { progressDeadlineSeconds: 600, selector: { matchLabels: { app: 'web' } }, template: {}, ...spec },
    status === undefined ? undefined : { observedGeneration: generation, ...status },
    { generation },
  );
}

describe('Deployment', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    [
      'available',
      deployment(
        { replicas: 3 },
        {
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
          conditions: availableConditions,
        },
      ),
      current('Deployment is available. Replicas: 3'),
    ],
    [
      'spec.replicas defaults to 1',
      deployment(
        {},
        {
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          conditions: availableConditions,
        },
      ),
      current('Deployment is available. Replicas: 1'),
    ],
    [
      'just created, no status yet',
      deployment({ replicas: 3 }, undefined, 1),
      inProgress('LessReplicas', 'Replicas: 0/3'),
    ],
    [
      'rolling out: new pods not updated yet',
      deployment(
        { replicas: 3 },
        {
          replicas: 4,
          updatedReplicas: 1,
          readyReplicas: 3,
          availableReplicas: 3,
          unavailableReplicas: 1,
          conditions: [
            availableConditions[0],
            cond('Progressing', 'True', 'ReplicaSetUpdated', 'ReplicaSet "web-59d7c6c8f5" is progressing.'),
          ],
        },
      ),
      inProgress('LessUpdated', 'Updated: 1/3'),
    ],
    [
      'rolling out: old pods terminating',
      deployment(
        { replicas: 3 },
        {
          replicas: 4,
          updatedReplicas: 3,
          readyReplicas: 4,
          availableReplicas: 4,
          conditions: [cond('Progressing', 'True', 'ReplicaSetUpdated')],
        },
      ),
      inProgress('ExtraPods', 'Pending termination: 1'),
    ],
    [
      'rolling out: updated pods not available yet',
      deployment(
        { replicas: 3 },
        {
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 2,
          conditions: [cond('Progressing', 'True', 'ReplicaSetUpdated')],
        },
      ),
      inProgress('LessAvailable', 'Available: 2/3'),
    ],
    [
      'scaling up',
      deployment(
        { replicas: 5 },
        {
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
          conditions: availableConditions,
        },
      ),
      inProgress('LessReplicas', 'Replicas: 3/5'),
    ],
    [
      'scaled down, pods still terminating',
      deployment(
        { replicas: 1 },
        {
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
          conditions: availableConditions,
        },
      ),
      inProgress('ExtraPods', 'Pending termination: 2'),
    ],
    [
      'scaled to zero',
      deployment({ replicas: 0 }, { conditions: availableConditions }),
      current('Deployment is available. Replicas: 0'),
    ],
    [
      'ready count behind',
      deployment(
        { replicas: 3 },
        {
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 2,
          availableReplicas: 3,
          conditions: availableConditions,
        },
      ),
      inProgress('LessReady', 'Ready: 2/3'),
    ],
    [
      'progress deadline exceeded',
      deployment(
        { replicas: 3 },
        {
          replicas: 4,
          updatedReplicas: 1,
          readyReplicas: 3,
          availableReplicas: 3,
          unavailableReplicas: 1,
          conditions: [
            availableConditions[0],
            cond(
              'Progressing',
              'False',
              'ProgressDeadlineExceeded',
              'ReplicaSet "web-59d7c6c8f5" has timed out progressing.',
            ),
          ],
        },
      ),
      failed(
        'ProgressDeadlineExceeded',
        'Progress deadline exceeded: ReplicaSet "web-59d7c6c8f5" has timed out progressing.',
      ),
    ],
    [
      'progress deadline exceeded without a message',
      deployment(
        { replicas: 1 },
        {
          replicas: 1,
          conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
        },
      ),
      failed('ProgressDeadlineExceeded', 'Progress deadline exceeded'),
    ],
    [
      'paused: the controller reports DeploymentPaused, kstatus never calls it Current',
      deployment(
        { replicas: 2, paused: true },
        {
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
          conditions: [
            availableConditions[0],
            cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'),
          ],
        },
      ),
      inProgress('ReplicaSetNotAvailable', 'ReplicaSet not Available'),
    ],
    [
      'Available=False',
      deployment(
        { replicas: 2 },
        {
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
          conditions: [cond('Available', 'False', 'MinimumReplicasUnavailable'), availableConditions[1]],
        },
      ),
      inProgress('DeploymentNotAvailable', 'Deployment not Available'),
    ],
    [
      'no progress deadline: no Progressing condition to wait for',
      object(
        'apps/v1',
        'Deployment',
        { replicas: 1 },
        {
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          conditions: [availableConditions[0]],
        },
      ),
      current('Deployment is available. Replicas: 1'),
    ],
    [
      'generation not observed yet',
      object(
        'apps/v1',
        'Deployment',
        { replicas: 3 },
        {
          observedGeneration: 4,
          replicas: 3,
          updatedReplicas: 3,
          readyReplicas: 3,
          availableReplicas: 3,
          conditions: availableConditions,
        },
        { generation: 5 },
      ),
      inProgress(
        'LatestGenerationNotObserved',
        'Deployment generation is 5, but latest observed generation is 4',
      ),
    ],
    [
      'extensions/v1beta1 Deployment uses the same rule',
      object('extensions/v1beta1', 'Deployment', { replicas: 2 }, { replicas: 1 }),
      inProgress('LessReplicas', 'Replicas: 1/2'),
    ],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

function statefulSet(spec: Fields, status: Fields): KubeObject {
  return object(
    'apps/v1',
    'StatefulSet',
    { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, ...spec },
    { observedGeneration: 2, ...status },
    { generation: 2 },
  );
}

const stsSettled = {
  replicas: 3,
  readyReplicas: 3,
  currentReplicas: 3,
  updatedReplicas: 3,
  availableReplicas: 3,
  currentRevision: 'db-6c5d8f9b7',
  updateRevision: 'db-6c5d8f9b7',
};

describe('StatefulSet', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    [
      'all replicas ready',
      statefulSet({ replicas: 3 }, stsSettled),
      current('All replicas scheduled as expected. Replicas: 3'),
    ],
    [
      'creating pods',
      statefulSet({ replicas: 3 }, { replicas: 1, readyReplicas: 1 }),
      inProgress('LessReplicas', 'Replicas: 1/3'),
    ],
    [
      'pods not ready',
      statefulSet({ replicas: 3 }, { ...stsSettled, readyReplicas: 1 }),
      inProgress('LessReady', 'Ready: 1/3'),
    ],
    [
      'scaled down, pods terminating',
      statefulSet({ replicas: 2 }, stsSettled),
      inProgress('ExtraPods', 'Pending termination: 1'),
    ],
    [
      'rolling update in progress',
      statefulSet(
        { replicas: 3 },
        { ...stsSettled, currentReplicas: 2, updatedReplicas: 1, updateRevision: 'db-7f8e9a0b1' },
      ),
      inProgress('LessCurrent', 'current: 2/3'),
    ],
    [
      'revisions differ though counts are settled',
      statefulSet({ replicas: 3 }, { ...stsSettled, updateRevision: 'db-7f8e9a0b1' }),
      inProgress('RevisionMismatch', 'Waiting for updated revision to match current'),
    ],
    [
      'partitioned rollout: pods above the partition not updated yet',
      statefulSet(
        { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
        { ...stsSettled, updatedReplicas: 0, updateRevision: 'db-7f8e9a0b1' },
      ),
      inProgress('PartitionRollout', 'updated: 0/1'),
    ],
    [
      'partitioned rollout complete (revisions still differ, by design)',
      statefulSet(
        { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } },
        { ...stsSettled, currentReplicas: 2, updatedReplicas: 1, updateRevision: 'db-7f8e9a0b1' },
      ),
      current('Partition rollout complete. updated: 1'),
    ],
    [
      'partition 0 behaves like a full rollout',
      statefulSet(
        { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
        { ...stsSettled, updatedReplicas: 2 },
      ),
      inProgress('PartitionRollout', 'updated: 2/3'),
    ],
    [
      'OnDelete update strategy is user managed',
      statefulSet({ replicas: 3, updateStrategy: { type: 'OnDelete' } }, { replicas: 0 }),
      current('StatefulSet is using the ondelete update strategy'),
    ],
    [
      'scaled to zero',
      statefulSet({ replicas: 0 }, { replicas: 0, currentRevision: 'a', updateRevision: 'a' }),
      current('All replicas scheduled as expected. Replicas: 0'),
    ],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

function daemonSet(status: Fields | undefined, metadata: Fields = { generation: 3 }): KubeObject {
  return object('apps/v1', 'DaemonSet', { selector: { matchLabels: { app: 'agent' } } }, status, metadata);
}

const dsSettled = {
  observedGeneration: 3,
  desiredNumberScheduled: 5,
  currentNumberScheduled: 5,
  updatedNumberScheduled: 5,
  numberAvailable: 5,
  numberReady: 5,
  numberMisscheduled: 0,
};

describe('DaemonSet', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    ['on every node', daemonSet(dsSettled), current('All replicas scheduled as expected. Replicas: 5')],
    [
      'no matching nodes',
      daemonSet({
        ...dsSettled,
        desiredNumberScheduled: 0,
        currentNumberScheduled: 0,
        updatedNumberScheduled: 0,
        numberAvailable: 0,
        numberReady: 0,
      }),
      current('All replicas scheduled as expected. Replicas: 0'),
    ],
    [
      'not observed by the controller yet',
      daemonSet(undefined),
      inProgress('NoObservedGeneration', 'DaemonSet status.observedGeneration not found'),
    ],
    [
      'no generation',
      daemonSet(dsSettled, {}),
      inProgress('NoGeneration', 'DaemonSet metadata.generation not found'),
    ],
    [
      'desired number missing',
      daemonSet({ observedGeneration: 3 }),
      inProgress('NoDesiredNumber', 'Missing .status.desiredNumberScheduled'),
    ],
    [
      'scheduling',
      daemonSet({ ...dsSettled, currentNumberScheduled: 3 }),
      inProgress('LessCurrent', 'Current: 3/5'),
    ],
    [
      'rolling update',
      daemonSet({ ...dsSettled, updatedNumberScheduled: 2 }),
      inProgress('LessUpdated', 'Updated: 2/5'),
    ],
    [
      'pods not available',
      daemonSet({ ...dsSettled, numberAvailable: 4 }),
      inProgress('LessAvailable', 'Available: 4/5'),
    ],
    ['pods not ready', daemonSet({ ...dsSettled, numberReady: 4 }), inProgress('LessReady', 'Ready: 4/5')],
    [
      'generation lag is caught by the generic rule',
      daemonSet({ ...dsSettled, observedGeneration: 2 }),
      inProgress(
        'LatestGenerationNotObserved',
        'DaemonSet generation is 3, but latest observed generation is 2',
      ),
    ],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

function replicaSet(replicas: number, status: Fields): KubeObject {
  return object(
    'apps/v1',
    'ReplicaSet',
    { replicas },
    { observedGeneration: 1, ...status },
    { generation: 1 },
  );
}

const rsSettled = { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2 };

describe('ReplicaSet', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    ['available', replicaSet(2, rsSettled), current('ReplicaSet is available. Replicas: 2')],
    [
      'replica failure (quota exceeded)',
      replicaSet(2, {
        ...rsSettled,
        conditions: [
          cond(
            'ReplicaFailure',
            'True',
            'FailedCreate',
            'pods "web-x" is forbidden: exceeded quota: compute',
          ),
        ],
      }),
      inProgress(
        'ReplicaFailure',
        'Replica Failure condition. Check Pods: pods "web-x" is forbidden: exceeded quota: compute',
      ),
    ],
    [
      'ReplicaFailure=False is fine',
      replicaSet(2, { ...rsSettled, conditions: [cond('ReplicaFailure', 'False')] }),
      current('ReplicaSet is available. Replicas: 2'),
    ],
    [
      'labelling pods',
      replicaSet(2, { ...rsSettled, fullyLabeledReplicas: 1 }),
      inProgress('LessLabelled', 'Labelled: 1/2'),
    ],
    [
      'pods not available',
      replicaSet(2, { ...rsSettled, availableReplicas: 0 }),
      inProgress('LessAvailable', 'Available: 0/2'),
    ],
    [
      'pods not ready',
      replicaSet(2, { ...rsSettled, readyReplicas: 1 }),
      inProgress('LessReady', 'Ready: 1/2'),
    ],
    [
      'scaled down, pods terminating',
      replicaSet(1, rsSettled),
      inProgress('ExtraPods', 'Pending termination: 1'),
    ],
    [
      'extensions/v1beta1 ReplicaSet',
      object('extensions/v1beta1', 'ReplicaSet', { replicas: 1 }, {}),
      inProgress('LessLabelled', 'Labelled: 0/1'),
    ],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

const created = '2025-03-01T10:00:00Z';
const createdMs = Date.parse(created);

function pod(status: Fields | undefined, metadata: Fields = {}): KubeObject {
  return object('v1', 'Pod', { containers: [{ name: 'app', image: 'nginx:1.27' }] }, status, {
    creationTimestamp: created,
    ...metadata,
  });
}

const waiting = (name: string, reason: string, message = '') => ({
  name,
  ready: false,
  restartCount: reason === 'CrashLoopBackOff' ? 5 : 0,
  image: 'registry.example.com/app:1.2.3',
  state: { waiting: { reason, message } },
});
const runningContainer = (name: string) => ({
  name,
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: created } },
});
const unschedulable = cond(
  'PodScheduled',
  'False',
  'Unschedulable',
  '0/3 nodes are available: 3 Insufficient cpu.',
);

describe('Pod', () => {
  it.each<[string, KubeObject, Date | undefined, ResourceStatus]>([
    [
      'running and ready',
      pod({
        phase: 'Running',
        conditions: [cond('Ready', 'True'), cond('ContainersReady', 'True')],
        containerStatuses: [runningContainer('app')],
      }),
      undefined,
      current('Pod is Ready'),
    ],
    [
      'running, not ready yet',
      pod({
        phase: 'Running',
        conditions: [cond('Ready', 'False', 'ContainersNotReady')],
        containerStatuses: [{ ...runningContainer('app'), ready: false }],
      }),
      undefined,
      inProgress('PodRunningNotReady', 'Pod is running but is not Ready'),
    ],
    [
      'crash looping',
      pod({
        phase: 'Running',
        conditions: [cond('Ready', 'False', 'ContainersNotReady')],
        containerStatuses: [
          waiting('app', 'CrashLoopBackOff', 'back-off 5m0s restarting failed container=app'),
        ],
      }),
      undefined,
      failed('ContainerCrashLooping', 'Containers in CrashLoop state: app'),
    ],
    [
      'two containers crash looping',
      pod({
        phase: 'Running',
        containerStatuses: [
          waiting('app', 'CrashLoopBackOff'),
          runningContainer('proxy'),
          waiting('sidecar', 'CrashLoopBackOff'),
        ],
      }),
      undefined,
      failed('ContainerCrashLooping', 'Containers in CrashLoop state: app,sidecar'),
    ],
    [
      'running, a container cannot start (bad config)',
      pod({
        phase: 'Running',
        containerStatuses: [
          runningContainer('proxy'),
          waiting('app', 'CreateContainerConfigError', 'secret "db" not found'),
        ],
      }),
      undefined,
      inProgress(
        'CreateContainerConfigError',
        'Pod is running but is not Ready. Containers waiting: app (CreateContainerConfigError)',
      ),
    ],
    [
      'pending: image pull back-off',
      pod({
        phase: 'Pending',
        conditions: [cond('PodScheduled', 'True'), cond('Ready', 'False', 'ContainersNotReady')],
        containerStatuses: [
          waiting('app', 'ImagePullBackOff', 'Back-off pulling image "registry.example.com/app:1.2.3"'),
        ],
      }),
      undefined,
      inProgress(
        'ImagePullBackOff',
        'Pod is in the Pending phase. Containers waiting: app (ImagePullBackOff)',
      ),
    ],
    [
      'pending: ErrImagePull',
      pod({ phase: 'Pending', containerStatuses: [waiting('app', 'ErrImagePull')] }),
      undefined,
      inProgress('ErrImagePull', 'Pod is in the Pending phase. Containers waiting: app (ErrImagePull)'),
    ],
    [
      'pending: init container crash looping',
      pod({
        phase: 'Pending',
        initContainerStatuses: [waiting('migrate', 'CrashLoopBackOff')],
        containerStatuses: [waiting('app', 'PodInitializing')],
      }),
      undefined,
      inProgress(
        'CrashLoopBackOff',
        'Pod is in the Pending phase. Containers waiting: migrate (CrashLoopBackOff)',
      ),
    ],
    [
      'pending: containers creating',
      pod({
        phase: 'Pending',
        conditions: [cond('PodScheduled', 'True')],
        containerStatuses: [waiting('app', 'ContainerCreating')],
      }),
      undefined,
      inProgress('PodPending', 'Pod is in the Pending phase'),
    ],
    [
      'unschedulable within the 15 s window',
      pod({ phase: 'Pending', conditions: [unschedulable] }),
      new Date(createdMs + 10_000),
      inProgress('PodNotScheduled', 'Pod has not been scheduled'),
    ],
    [
      'unschedulable after the window',
      pod({ phase: 'Pending', conditions: [unschedulable] }),
      new Date(createdMs + 60_000),
      failed('PodUnschedulable', 'Pod could not be scheduled: 0/3 nodes are available: 3 Insufficient cpu.'),
    ],
    [
      'unschedulable, no clock given',
      pod({ phase: 'Pending', conditions: [unschedulable] }),
      undefined,
      inProgress('PodNotScheduled', 'Pod has not been scheduled'),
    ],
    [
      'unschedulable, no creation time',
      pod({ phase: 'Pending', conditions: [unschedulable] }, { creationTimestamp: undefined }),
      new Date(createdMs),
      failed('PodUnschedulable', 'Pod could not be scheduled: 0/3 nodes are available: 3 Insufficient cpu.'),
    ],
    [
      'PodScheduled=False for another reason',
      pod({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'SchedulingGated')] }),
      new Date(createdMs + 60_000),
      inProgress('PodPending', 'Pod is in the Pending phase'),
    ],
    ['succeeded', pod({ phase: 'Succeeded' }), undefined, current('Pod has completed successfully')],
    [
      'failed phase counts as completed (kstatus)',
      pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
      undefined,
      current('Pod has completed, but not successfully'),
    ],
    ['no phase yet', pod(undefined), undefined, inProgress('PodNotObserved', 'Pod phase not available')],
    [
      'unknown phase',
      pod({ phase: 'Unknown' }),
      undefined,
      { status: 'Unknown', reason: 'UnknownPhase', message: 'unknown phase Unknown' },
    ],
  ])('%s', (_name, obj, now, expected) => {
    expect(computeStatus(obj, now === undefined ? {} : { now })).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

function job(spec: Fields, status: Fields | undefined): KubeObject {
  return object('batch/v1', 'Job', { backoffLimit: 6, template: {}, ...spec }, status, { name: 'migrate' });
}

const started = { startTime: '2025-03-01T10:00:00Z' };

describe('Job', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    [
      'complete',
      job(
        {},
        {
          ...started,
          succeeded: 1,
          completionTime: '2025-03-01T10:01:00Z',
          conditions: [cond('SuccessCriteriaMet', 'True'), cond('Complete', 'True')],
        },
      ),
      current('Job Completed. succeeded: 1/1'),
    ],
    [
      'complete with completions and parallelism',
      job(
        { completions: 5, parallelism: 2 },
        { ...started, succeeded: 5, conditions: [cond('Complete', 'True')] },
      ),
      current('Job Completed. succeeded: 5/5'),
    ],
    [
      'completions default to parallelism',
      job({ parallelism: 3 }, { ...started, succeeded: 3, conditions: [cond('Complete', 'True')] }),
      current('Job Completed. succeeded: 3/3'),
    ],
    [
      'failed: backoff limit',
      job(
        {},
        {
          ...started,
          failed: 7,
          conditions: [
            cond('FailureTarget', 'True', 'BackoffLimitExceeded'),
            cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'),
          ],
        },
      ),
      failed('BackoffLimitExceeded', 'Job Failed. failed: 7/1: Job has reached the specified backoff limit'),
    ],
    [
      'failed: deadline',
      job(
        { activeDeadlineSeconds: 60 },
        {
          ...started,
          failed: 1,
          conditions: [
            cond('Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline'),
          ],
        },
      ),
      failed('DeadlineExceeded', 'Job Failed. failed: 1/1: Job was active longer than specified deadline'),
    ],
    [
      'failed without a reason',
      job({}, { ...started, failed: 2, conditions: [{ type: 'Failed', status: 'True' }] }),
      failed('JobFailed', 'Job Failed. failed: 2/1'),
    ],
    [
      'running',
      job({}, { ...started, active: 1 }),
      current('Job in progress. success:0, active: 1, failed: 0'),
    ],
    [
      'running after a retry',
      job({ completions: 3 }, { ...started, active: 1, succeeded: 1, failed: 1 }),
      current('Job in progress. success:1, active: 1, failed: 1'),
    ],
    ['not started', job({}, undefined), inProgress('JobNotStarted', 'Job not started')],
    [
      'suspended',
      job({ suspend: true }, { conditions: [cond('Suspended', 'True', 'JobSuspended')] }),
      current('Job is suspended'),
    ],
    [
      'Complete=False is ignored',
      job({}, { conditions: [cond('Complete', 'False')] }),
      inProgress('JobNotStarted', 'Job not started'),
    ],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

function pvc(status: Fields | undefined): KubeObject {
  return object(
    'v1',
    'PersistentVolumeClaim',
    { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    status,
    { name: 'data' },
  );
}

describe('PersistentVolumeClaim', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    ['bound', pvc({ phase: 'Bound', capacity: { storage: '1Gi' } }), current('PVC is Bound')],
    [
      'pending (WaitForFirstConsumer)',
      pvc({ phase: 'Pending' }),
      inProgress('NotBound', 'PVC is not Bound. phase: Pending'),
    ],
    ['lost', pvc({ phase: 'Lost' }), inProgress('NotBound', 'PVC is not Bound. phase: Lost')],
    ['no status', pvc(undefined), inProgress('NotBound', 'PVC is not Bound. phase: unknown')],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

function service(spec: Fields, status?: Fields): KubeObject {
  return object('v1', 'Service', { ports: [{ port: 80 }], ...spec }, status);
}

describe('Service', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    ['ClusterIP', service({ type: 'ClusterIP', clusterIP: '10.96.0.12' }), current('Service is ready')],
    ['type defaults to ClusterIP', service({}), current('Service is ready')],
    ['headless', service({ clusterIP: 'None' }), current('Service is ready')],
    ['NodePort', service({ type: 'NodePort', clusterIP: '10.96.0.13' }), current('Service is ready')],
    [
      'ExternalName',
      service({ type: 'ExternalName', externalName: 'db.example.com' }),
      current('Service is ready'),
    ],
    [
      'LoadBalancer without a cluster IP',
      service({ type: 'LoadBalancer' }),
      inProgress('NoIPAssigned', 'ClusterIP not set. Service type: LoadBalancer'),
    ],
    [
      'LoadBalancer waiting for its ingress',
      service({ type: 'LoadBalancer', clusterIP: '10.96.0.14' }, { loadBalancer: {} }),
      inProgress('NoIngress', 'LoadBalancer has no ingress IP or hostname yet'),
    ],
    [
      'LoadBalancer with an empty ingress list',
      service({ type: 'LoadBalancer', clusterIP: '10.96.0.14' }, { loadBalancer: { ingress: [] } }),
      inProgress('NoIngress', 'LoadBalancer has no ingress IP or hostname yet'),
    ],
    [
      'LoadBalancer with an IP',
      service(
        { type: 'LoadBalancer', clusterIP: '10.96.0.14' },
        { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } },
      ),
      current('Service is ready'),
    ],
    [
      'LoadBalancer with a hostname',
      service(
        { type: 'LoadBalancer', clusterIP: '10.96.0.14' },
        { loadBalancer: { ingress: [{ hostname: 'a1b2.elb.amazonaws.com' }] } },
      ),
      current('Service is ready'),
    ],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

function crd(conditions: unknown[] | undefined): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com', generation: 1 },
    spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced' },
    ...(conditions === undefined ? {} : { status: { conditions } }),
  };
}

describe('CustomResourceDefinition', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    [
      'established',
      crd([
        cond('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'),
        cond('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'),
      ]),
      current('CRD is established'),
    ],
    [
      'installing',
      crd([
        cond('NamesAccepted', 'True', 'NoConflicts'),
        cond('Established', 'False', 'Installing', 'the initial names have been accepted'),
      ]),
      inProgress('Installing', 'Install in progress'),
    ],
    ['no status yet', crd(undefined), inProgress('Installing', 'Install in progress')],
    [
      'names conflict',
      crd([
        cond('NamesAccepted', 'False', 'NameConflict', '"widgets" is already in use'),
        cond('Established', 'False', 'NotAccepted', 'not all names are accepted'),
      ]),
      failed('NameConflict', '"widgets" is already in use'),
    ],
    [
      'not established for another reason',
      crd([cond('Established', 'False', 'NotAccepted', 'not all names are accepted')]),
      failed('NotAccepted', 'not all names are accepted'),
    ],
    [
      'Established=Unknown keeps waiting',
      crd([cond('Established', 'Unknown')]),
      inProgress('Installing', 'Install in progress'),
    ],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------

describe('kinds that are always ready', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    ['ConfigMap', object('v1', 'ConfigMap', undefined, undefined), current('Resource is always ready')],
    ['Secret', object('v1', 'Secret', undefined, undefined), current('Resource is always ready')],
    [
      'CronJob',
      object('batch/v1', 'CronJob', { schedule: '*/5 * * * *' }, { lastScheduleTime: created }),
      current('Resource is always ready'),
    ],
    [
      'PodDisruptionBudget (observed)',
      object(
        'policy/v1',
        'PodDisruptionBudget',
        { minAvailable: 1 },
        { observedGeneration: 1, disruptionsAllowed: 1 },
        { generation: 1 },
      ),
      current('AllowedDisruptions has been computed.'),
    ],
    [
      'PodDisruptionBudget not observed yet',
      object(
        'policy/v1',
        'PodDisruptionBudget',
        { minAvailable: 1 },
        { observedGeneration: 1 },
        { generation: 2 },
      ),
      inProgress(
        'LatestGenerationNotObserved',
        'PodDisruptionBudget generation is 2, but latest observed generation is 1',
      ),
    ],
  ])('%s', (_name, obj, expected) => {
    expect(computeStatus(obj)).toEqual(expected);
  });
});
