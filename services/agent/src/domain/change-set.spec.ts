import { describe, expect, it } from '@jest/globals';
import {
  countDriftCorrections,
  describeChange,
  summarizeChangeSet,
  type ChangeSetAction,
  type ChangeSetEntry,
} from './change-set.js';

const entries = (spec: Partial<Record<ChangeSetAction, number>>): ChangeSetEntry[] =>
  Object.entries(spec).flatMap(([action, count]) =>
    Array.from({ length: count }, (_, i) => ({
      id: `ns_obj${i}__ConfigMap`,
      action: action as ChangeSetAction,
    })),
  );

describe('summarizeChangeSet', () => {
  it.each<[string, ChangeSetEntry[], string]>([
    ['empty', [], 'no changes'],
    [
      'kubectl example',
      entries({ created: 3, configured: 1, unchanged: 12 }),
      '3 created, 1 configured, 12 unchanged',
    ],
    [
      'fixed order whatever the input order',
      entries({ unchanged: 2, deleted: 1, created: 1 }),
      '1 created, 2 unchanged, 1 deleted',
    ],
    ['only unchanged', entries({ unchanged: 40 }), '40 unchanged'],
    ['prune results', entries({ deleted: 2, skipped: 1 }), '2 deleted, 1 skipped'],
    [
      'every action',
      entries({ skipped: 1, deleted: 1, unchanged: 1, recreated: 1, configured: 1, created: 1 }),
      '1 created, 1 configured, 1 recreated, 1 unchanged, 1 deleted, 1 skipped',
    ],
  ])('%s → %s', (_name, input, summary) => {
    expect(summarizeChangeSet(input).summary).toBe(summary);
  });

  it('counts every action and the total', () => {
    expect(summarizeChangeSet(entries({ created: 2, skipped: 1 }))).toEqual({
      counts: { created: 2, configured: 0, recreated: 0, unchanged: 0, deleted: 0, skipped: 1 },
      total: 3,
      summary: '2 created, 1 skipped',
    });
  });
});

describe('describeChange', () => {
  it.each<[ChangeSetEntry, string]>([
    [{ id: 'shop_web_apps_Deployment', action: 'configured' }, 'Deployment.apps shop/web configured'],
    [{ id: '_shop__Namespace', action: 'created' }, 'Namespace shop created'],
    [
      { id: 'shop_old__ConfigMap', action: 'skipped', reason: 'fleetwave.io/prune: disabled' },
      'ConfigMap shop/old skipped (fleetwave.io/prune: disabled)',
    ],
    [
      { id: 'shop_web_apps_Deployment', action: 'recreated', reason: 'spec.selector is immutable' },
      'Deployment.apps shop/web recreated (spec.selector is immutable)',
    ],
  ])('%j → %s', (entry, line) => {
    expect(describeChange(entry)).toBe(line);
  });
});

describe('countDriftCorrections', () => {
  it.each<[string, ChangeSetEntry[], number]>([
    ['nothing changed', entries({ unchanged: 5 }), 0],
    ['edited and deleted objects', entries({ configured: 2, created: 1, unchanged: 5 }), 3],
    ['an immutable field changed out of band', entries({ recreated: 1, unchanged: 2 }), 1],
    ['prune results are not corrections', entries({ deleted: 1, skipped: 1 }), 0],
  ])('%s → %d', (_name, input, count) => {
    expect(countDriftCorrections(input)).toBe(count);
  });
});
