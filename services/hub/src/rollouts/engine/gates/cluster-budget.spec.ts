import { describe, expect, it } from '@jest/globals';
import { cluster, context } from './gate-fixtures.js';
import { clusterBudgetGate } from './cluster-budget.js';
import { type FleetState, OPEN_FLEET } from './types.js';

describe('clusterBudgetGate.evaluate', () => {
  it.each<[string, Partial<FleetState>, unknown]>([
    ['no limit: open however many change', { clusterChanging: { c1: 50 } }, { status: 'open' }],
    [
      'nothing changing on the cluster: open',
      { clusterChanging: {}, clusterChangeLimit: 1 },
      { status: 'open' },
    ],
    ['room left: open', { clusterChanging: { c1: 1 }, clusterChangeLimit: 2 }, { status: 'open' }],
    [
      'other clusters full: open for this one',
      { clusterChanging: { c2: 2 }, clusterChangeLimit: 2 },
      { status: 'open' },
    ],
    [
      'full: held with the numbers',
      { clusterChanging: { c1: 2 }, clusterChangeLimit: 2 },
      { status: 'blocked', reason: { kind: 'clusterBudget', changing: 2, limit: 2 } },
    ],
    [
      'over (the limit was lowered): held',
      { clusterChanging: { c1: 4 }, clusterChangeLimit: 2 },
      { status: 'blocked', reason: { kind: 'clusterBudget', changing: 4, limit: 2 } },
    ],
  ])('%s', (_name, fleet, expected) => {
    const result = clusterBudgetGate.evaluate(
      context(undefined, { fleet: { ...OPEN_FLEET, ...fleet }, cluster: cluster({ clusterId: 'c1' }) }),
    );
    expect(result).toEqual(expected);
  });

  it('is asked before each assignment, is a hub setting (none in the plan), wakes on change only', () => {
    expect(clusterBudgetGate.stage).toBe('assign');
    expect(clusterBudgetGate.setting).toBeUndefined();
    expect(clusterBudgetGate.recheckAt).toBeUndefined();
  });

  it('says how many applications change on the cluster', () => {
    expect(clusterBudgetGate.message({ kind: 'clusterBudget', changing: 2, limit: 2 })).toBe(
      'cluster change budget: 2/2 applications changing on this cluster',
    );
  });
});
