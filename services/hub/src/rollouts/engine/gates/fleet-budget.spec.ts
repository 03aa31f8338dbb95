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
    [
      'room left but its fair share held: held with the share',
      { changing: 30, changeLimit: 60, fairShare: { share: 20, held: 20 } },
      {
        status: 'blocked',
        reason: { kind: 'fleetBudget', changing: 30, limit: 60, share: 20, held: 20 },
      },
    ],
    [
      'room left and below its fair share: open',
      { changing: 30, changeLimit: 60, fairShare: { share: 20, held: 19 } },
      { status: 'open' },
    ],
    [
      'below its share but the budget is full: held (the budget is never exceeded)',
      { changing: 60, changeLimit: 60, fairShare: { share: 20, held: 5 } },
      {
        status: 'blocked',
        reason: { kind: 'fleetBudget', changing: 60, limit: 60, share: 20, held: 5 },
      },
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
    expect(
      fleetBudgetGate.message({ kind: 'fleetBudget', changing: 45, limit: 60, share: 20, held: 20 }),
    ).toBe('fleet change budget: 20 held of a fair share of 20 (budget 60, 45 changing)');
  });
});
