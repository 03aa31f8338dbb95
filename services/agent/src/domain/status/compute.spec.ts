import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../kube-object.js';
import { computeStatus } from './compute.js';
import type { ResourceStatus } from './types.js';

const cond = (type: string, status: string, reason = '', message = '') => ({ type, status, reason, message });

function obj(
  apiVersion: string,
  kind: string,
  status?: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): KubeObject {
  const o: KubeObject = { apiVersion, kind, metadata: { name: 'x', namespace: 'shop', ...metadata } };
  if (status !== undefined) o.status = status;
  return o;
}

describe('computeStatus: kinds without a rule', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    ['no status', obj('example.com/v1', 'Widget'), { status: 'Current', message: 'Resource is current' }],
    [
      'Namespace',
      obj('v1', 'Namespace', { phase: 'Active' }, { namespace: undefined }),
      { status: 'Current', message: 'Resource is current' },
    ],
    [
      'Namespace being deleted',
      obj('v1', 'Namespace', { phase: 'Terminating' }, { deletionTimestamp: '2025-03-01T10:00:00Z' }),
      { status: 'Terminating', message: 'Resource scheduled for deletion' },
    ],
    [
      'Ingress',
      obj('networking.k8s.io/v1', 'Ingress', { loadBalancer: {} }),
      { status: 'Current', message: 'Resource is current' },
    ],
    [
      'Ready=True (Flux Kustomization)',
      obj(
        'kustomize.toolkit.fluxcd.io/v1',
        'Kustomization',
        {
          observedGeneration: 2,
          conditions: [
            cond('Ready', 'True', 'ReconciliationSucceeded', 'Applied revision: main@sha1:0a1b2c3d'),
          ],
        },
        { generation: 2 },
      ),
      { status: 'Current', message: 'Applied revision: main@sha1:0a1b2c3d' },
    ],
    [
      'Ready=True without a message',
      obj('example.com/v1', 'Widget', { conditions: [{ type: 'Ready', status: 'True' }] }),
      { status: 'Current', message: 'Resource is Ready' },
    ],
    [
      'Ready=False (cert-manager Certificate issuing)',
      obj('cert-manager.io/v1', 'Certificate', {
        conditions: [
          cond('Ready', 'False', 'DoesNotExist', 'Issuing certificate as Secret does not exist'),
          cond('Issuing', 'True', 'DoesNotExist'),
        ],
      }),
      {
        status: 'InProgress',
        reason: 'DoesNotExist',
        message: 'Issuing certificate as Secret does not exist',
      },
    ],
    [
      'Ready=False without a reason',
      obj('example.com/v1', 'Widget', { conditions: [{ type: 'Ready', status: 'False' }] }),
      { status: 'InProgress', reason: 'NotReady', message: 'Resource is not Ready' },
    ],
    [
      'Ready=Unknown',
      obj('example.com/v1', 'Widget', {
        conditions: [cond('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress')],
      }),
      { status: 'InProgress', reason: 'Progressing', message: 'Reconciliation in progress' },
    ],
    [
      'other conditions only',
      obj('example.com/v1', 'Widget', { conditions: [cond('Synced', 'True'), cond('Healthy', 'False')] }),
      { status: 'Current', message: 'Resource is current' },
    ],
    [
      'Stalled wins over Ready',
      obj('example.com/v1', 'Widget', {
        conditions: [
          cond('Ready', 'False', 'BuildFailed', 'kustomize build failed'),
          cond('Stalled', 'True', 'BuildFailed', 'kustomize build failed'),
        ],
      }),
      { status: 'Failed', reason: 'BuildFailed', message: 'kustomize build failed' },
    ],
    [
      'generation lag wins over Ready',
      obj(
        'example.com/v1',
        'Widget',
        { observedGeneration: 1, conditions: [cond('Ready', 'True')] },
        { generation: 2 },
      ),
      {
        status: 'InProgress',
        reason: 'LatestGenerationNotObserved',
        message: 'Widget generation is 2, but latest observed generation is 1',
      },
    ],
  ])('%s', (_name, object, expected) => {
    expect(computeStatus(object)).toEqual(expected);
  });
});

describe('computeStatus: the rule is chosen by group and kind', () => {
  it.each<[string, KubeObject, ResourceStatus['status']]>([
    // A custom "Deployment" is not an apps/Deployment: no replica counts, so the generic fallback.
    ['example.com Deployment', obj('example.com/v1', 'Deployment'), 'Current'],
    ['apps Deployment without status', obj('apps/v1', 'Deployment'), 'InProgress'],
    ['a Pod in another group', obj('example.com/v1', 'Pod', { phase: 'Pending' }), 'Current'],
    ['core Pod', obj('v1', 'Pod', { phase: 'Pending' }), 'InProgress'],
    [
      'a Job in another group uses Ready',
      obj('example.com/v1', 'Job', { conditions: [cond('Ready', 'False')] }),
      'InProgress',
    ],
    [
      'core kinds ignore a Ready condition',
      obj('v1', 'ConfigMap', { conditions: [cond('Ready', 'False')] }),
      'Current',
    ],
  ])('%s → %s', (_name, object, status) => {
    expect(computeStatus(object).status).toBe(status);
  });

  it('never modifies the object', () => {
    const object = obj(
      'apps/v1',
      'Deployment',
      { replicas: 1, conditions: [cond('Available', 'True')] },
      { generation: 1 },
    );
    const before = structuredClone(object);
    computeStatus(object);
    expect(object).toEqual(before);
  });
});
