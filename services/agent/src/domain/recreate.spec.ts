import { describe, expect, it } from '@jest/globals';
import type { RecreatePolicy } from '@fleetwave/contracts';
import type { KubeObject } from './kube-object.js';
import { immutableFieldMessage, recreateDecision, recreatePropagation } from './recreate.js';

const deployment = (annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', ...(annotations ? { annotations } : {}) },
});

describe('recreateDecision', () => {
  it.each<[RecreatePolicy, Record<string, string> | undefined, boolean]>([
    ['never', { 'fleetwave.io/recreate': 'true' }, false],
    ['never', undefined, false],
    ['annotated', { 'fleetwave.io/recreate': 'true' }, true],
    ['annotated', { 'fleetwave.io/recreate': 'True' }, false],
    ['annotated', { 'fleetwave.io/recreate': 'false' }, false],
    ['annotated', undefined, false],
    ['always', undefined, true],
    ['always', { 'fleetwave.io/recreate': 'false' }, true],
  ])('%s with annotations %j → %s', (policy, annotations, recreate) => {
    expect(recreateDecision(policy, deployment(annotations)).recreate).toBe(recreate);
  });

  it('says what would allow it', () => {
    expect(recreateDecision('annotated', deployment())).toEqual({
      recreate: false,
      why: 'annotate it fleetwave.io/recreate: "true" to have it deleted and re-created, or set the application\'s recreate policy to always',
    });
    expect(recreateDecision('never', deployment())).toEqual({
      recreate: false,
      why: 'the application does not allow recreating objects (recreate: never)',
    });
  });
});

describe('immutableFieldMessage', () => {
  it.each<[string[], string]>([
    [
      ['spec.selector'],
      'Deployment.apps shop/web: field spec.selector is immutable and differs from the live object; why',
    ],
    [
      ['spec.selector', 'spec.template'],
      'Deployment.apps shop/web: fields spec.selector, spec.template are immutable and differ from the live object; why',
    ],
    [[], 'Deployment.apps shop/web: a field that is immutable differs from the live object; why'],
  ])('names the object and %j', (fields, message) => {
    expect(immutableFieldMessage(deployment(), fields, 'why')).toBe(message);
  });
});

describe('recreatePropagation', () => {
  it.each<[string, string, 'Foreground' | 'Background']>([
    ['apps/v1', 'Deployment', 'Foreground'],
    ['apps/v1', 'StatefulSet', 'Foreground'],
    ['batch/v1', 'Job', 'Foreground'],
    ['v1', 'ReplicationController', 'Foreground'],
    ['v1', 'Service', 'Background'],
    ['v1', 'ConfigMap', 'Background'],
    ['example.com/v1', 'Deployment', 'Background'],
  ])('%s %s → %s', (apiVersion, kind, policy) => {
    expect(recreatePropagation({ apiVersion, kind, metadata: { name: 'x' } })).toBe(policy);
  });
});
