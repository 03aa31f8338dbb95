import { describe, expect, it } from '@jest/globals';
import {
  APPLICATION_LABEL,
  canPrune,
  isOwnedBy,
  MANAGED_BY_LABEL,
  ownerLabels,
  PRUNE_DISABLED_ANNOTATION,
  withOwnerLabels,
  type PruneDecision,
} from './drift.js';
import type { KubeObject } from './kube-object.js';

function live(labels?: Record<string, string>, annotations?: Record<string, string>): KubeObject {
  const metadata: KubeObject['metadata'] = { name: 'web', namespace: 'shop' };
  if (labels) metadata.labels = labels;
  if (annotations) metadata.annotations = annotations;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata };
}

const owned = { [APPLICATION_LABEL]: 'shop', [MANAGED_BY_LABEL]: 'fleetwave' };

describe('ownerLabels', () => {
  it('labels the application and the manager', () => {
    expect(ownerLabels({ application: 'shop', clusterId: '6a1f6c1e-1111-4222-8333-444455556666' })).toEqual({
      'fleetwave.io/application': 'shop',
      'fleetwave.io/managed-by': 'fleetwave',
    });
  });
});

describe('isOwnedBy', () => {
  it.each<[string, KubeObject, boolean]>([
    ['both labels', live(owned), true],
    ['plus other labels', live({ ...owned, app: 'web' }), true],
    ['another application', live({ ...owned, [APPLICATION_LABEL]: 'billing' }), false],
    ['no managed-by', live({ [APPLICATION_LABEL]: 'shop' }), false],
    ['managed by someone else', live({ ...owned, [MANAGED_BY_LABEL]: 'Helm' }), false],
    ['no labels', live(), false],
  ])('%s → %s', (_name, object, expected) => {
    expect(isOwnedBy(object, 'shop')).toBe(expected);
  });
});

describe('withOwnerLabels', () => {
  it.each<[string, Record<string, string> | undefined, Record<string, string>]>([
    ['no labels yet', undefined, owned],
    ['keeps the manifest labels', { app: 'web' }, { app: 'web', ...owned }],
    ['owner labels win', { [APPLICATION_LABEL]: 'spoofed', tier: 'front' }, { tier: 'front', ...owned }],
  ])('%s', (_name, labels, expected) => {
    const input = live(labels);
    const before = structuredClone(input);
    const output = withOwnerLabels(input, owned);
    expect(output.metadata.labels).toEqual(expected);
    expect(input).toEqual(before);
    expect(output).not.toBe(input);
  });
});

describe('canPrune', () => {
  it.each<[string, KubeObject, PruneDecision]>([
    ['owned', live(owned), { prune: true }],
    [
      'owned, prune annotation with another value',
      live(owned, { [PRUNE_DISABLED_ANNOTATION]: 'enabled' }),
      { prune: true },
    ],
    [
      'prune disabled',
      live(owned, { [PRUNE_DISABLED_ANNOTATION]: 'disabled' }),
      { prune: false, reason: 'fleetwave.io/prune: disabled' },
    ],
    ['not labelled', live(), { prune: false, reason: 'not managed by fleetwave' }],
    [
      'labelled by hand without managed-by',
      live({ [APPLICATION_LABEL]: 'shop' }),
      { prune: false, reason: 'not managed by fleetwave' },
    ],
    [
      'owned by another application',
      live({ ...owned, [APPLICATION_LABEL]: 'billing' }),
      { prune: false, reason: 'owned by application "billing"' },
    ],
    [
      'not owned and prune disabled',
      live(undefined, { [PRUNE_DISABLED_ANNOTATION]: 'disabled' }),
      { prune: false, reason: 'not managed by fleetwave' },
    ],
  ])('%s', (_name, object, decision) => {
    expect(canPrune(object, 'shop')).toEqual(decision);
  });
});
