import { describe, expect, it } from '@jest/globals';
import { context } from './gate-fixtures.js';
import { fleetBudgetGate } from './fleet-budget.js';
import { type FleetState, OPEN_FLEET } from './types.js';

describe('fleetBudgetGate.evaluate', () => {
  it.each<[string, Partial<FleetState>, unknown]>([
    ['no budget: open however many change', { changing: 10_000 }, { status: 'open' }],
    ['room left: open', { changing: 4, changeLimit: 5 }, { status: 'open' }],
    [
      'full: held with the numbers',
      { changing: 5, changeLimit: 5 },
      { status: 'blocked', reason: { kind: 'fleetBudget', changing: 5, limit: 5 } },
    ],
    [
      'over (the limit was lowered): held',
      { changing: 7, changeLimit: 5 },
      { status: 'blocked', reason: { kind: 'fleetBudget', changing: 7, limit: 5 } },
    ],
  ])('%s', (_name, fleet, expected) => {
    expect(fleetBudgetGate.evaluate(context(undefined, { fleet: { ...OPEN_FLEET, ...fleet } }))).toEqual(
      expected,
    );
  });

  it('is asked before each assignment, is a hub setting (none in the plan), wakes on change only', () => {
    expect(fleetBudgetGate.stage).toBe('assign');
    expect(fleetBudgetGate.setting).toBeUndefined();
    expect(fleetBudgetGate.recheckAt).toBeUndefined();
  });

  it('says how many change', () => {
    expect(fleetBudgetGate.message({ kind: 'fleetBudget', changing: 5, limit: 5 })).toBe(
      'fleet change budget: 5/5 clusters changing',
    );
  });
});
