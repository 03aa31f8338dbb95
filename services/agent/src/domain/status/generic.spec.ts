import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../kube-object.js';
import { computeStatus } from './compute.js';
import { checkGeneration, checkGenericProperties } from './generic.js';
import type { ResourceStatus } from './types.js';

const cond = (type: string, status: string, reason = '', message = '') => ({ type, status, reason, message });

function widget(metadata: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'shop', ...metadata },
  };
  if (status !== undefined) obj.status = status;
  return obj;
}

describe('checkGenericProperties', () => {
  it.each<[string, KubeObject, ResourceStatus | undefined]>([
    ['nothing to say', widget({ generation: 1 }, { observedGeneration: 1 }), undefined],
    ['no status at all', widget({}), undefined],
    [
      'deletionTimestamp → Terminating',
      widget({ deletionTimestamp: '2025-01-01T00:00:00Z', finalizers: ['example.com/cleanup'] }),
      { status: 'Terminating', message: 'Resource scheduled for deletion' },
    ],
    ['empty deletionTimestamp is not deletion', widget({ deletionTimestamp: '' }), undefined],
    [
      'Terminating wins over a generation lag',
      widget({ deletionTimestamp: '2025-01-01T00:00:00Z', generation: 3 }, { observedGeneration: 2 }),
      { status: 'Terminating', message: 'Resource scheduled for deletion' },
    ],
    [
      'observedGeneration behind generation',
      widget({ generation: 7 }, { observedGeneration: 6 }),
      {
        status: 'InProgress',
        reason: 'LatestGenerationNotObserved',
        message: 'Widget generation is 7, but latest observed generation is 6',
      },
    ],
    [
      'observedGeneration ahead (a recreated object) is also a lag',
      widget({ generation: 1 }, { observedGeneration: 4 }),
      {
        status: 'InProgress',
        reason: 'LatestGenerationNotObserved',
        message: 'Widget generation is 1, but latest observed generation is 4',
      },
    ],
    ['no observedGeneration: check skipped', widget({ generation: 7 }, { conditions: [] }), undefined],
    ['no generation: check skipped', widget({}, { observedGeneration: 2 }), undefined],
    [
      'non-integer observedGeneration is ignored',
      widget({ generation: 2 }, { observedGeneration: '1' }),
      undefined,
    ],
    [
      'Reconciling=True → InProgress with its reason and message',
      widget(
        { generation: 2 },
        {
          observedGeneration: 2,
          conditions: [cond('Reconciling', 'True', 'Progressing', 'Applying revision abc')],
        },
      ),
      { status: 'InProgress', reason: 'Progressing', message: 'Applying revision abc' },
    ],
    [
      'Reconciling=True without a reason',
      widget({}, { conditions: [{ type: 'Reconciling', status: 'True', message: 'working' }] }),
      { status: 'InProgress', message: 'working' },
    ],
    [
      'Stalled=True → Failed',
      widget(
        {},
        {
          conditions: [
            cond('Ready', 'False', 'ArtifactFailed', 'x'),
            cond('Stalled', 'True', 'InvalidPath', 'path ./deploy not found'),
          ],
        },
      ),
      { status: 'Failed', reason: 'InvalidPath', message: 'path ./deploy not found' },
    ],
    [
      'Reconciling=False is ignored',
      widget({}, { conditions: [cond('Reconciling', 'False', 'Done')] }),
      undefined,
    ],
    ['Stalled=False is ignored', widget({}, { conditions: [cond('Stalled', 'False')] }), undefined],
    [
      'the first abnormal condition wins (Stalled before Reconciling)',
      widget(
        {},
        {
          conditions: [
            cond('Stalled', 'True', 'S', 'stalled'),
            cond('Reconciling', 'True', 'R', 'reconciling'),
          ],
        },
      ),
      { status: 'Failed', reason: 'S', message: 'stalled' },
    ],
    [
      'the first abnormal condition wins (Reconciling before Stalled)',
      widget(
        {},
        {
          conditions: [
            cond('Reconciling', 'True', 'R', 'reconciling'),
            cond('Stalled', 'True', 'S', 'stalled'),
          ],
        },
      ),
      { status: 'InProgress', reason: 'R', message: 'reconciling' },
    ],
    [
      'malformed conditions are skipped',
      widget({}, { conditions: ['Ready', null, { status: 'True' }, cond('Stalled', 'True', 'S', 'bad')] }),
      { status: 'Failed', reason: 'S', message: 'bad' },
    ],
    ['conditions not a list', widget({}, { conditions: { Ready: 'True' } }), undefined],
  ])('%s', (_name, obj, expected) => {
    expect(checkGenericProperties(obj)).toEqual(expected);
  });
});

describe('checkGeneration', () => {
  it.each<[number | undefined, number | undefined, boolean]>([
    [1, 1, false],
    [2, 1, true],
    [undefined, 1, false],
    [1, undefined, false],
    [undefined, undefined, false],
  ])('generation %p, observed %p → lag %p', (generation, observed, lag) => {
    const metadata: Record<string, unknown> = generation === undefined ? {} : { generation };
    const status = observed === undefined ? {} : { observedGeneration: observed };
    expect(checkGeneration(widget(metadata, status)) !== undefined).toBe(lag);
  });
});

describe('generic rules come before the per-kind rules', () => {
  it.each<[string, KubeObject, ResourceStatus['status']]>([
    [
      'a Deployment with Stalled=True is Failed though its counts are fine',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', generation: 1 },
        spec: { replicas: 1 },
        status: {
          observedGeneration: 1,
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          conditions: [cond('Stalled', 'True')],
        },
      },
      'Failed',
    ],
    [
      'a ConfigMap being deleted is Terminating, not always-ready',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'c', deletionTimestamp: '2025-01-01T00:00:00Z' },
      },
      'Terminating',
    ],
    [
      'a Job whose generation is not observed is InProgress',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'j', generation: 2 },
        status: { observedGeneration: 1, startTime: '2025-01-01T00:00:00Z' },
      },
      'InProgress',
    ],
  ])('%s', (_name, obj, status) => {
    expect(computeStatus(obj).status).toBe(status);
  });
});
