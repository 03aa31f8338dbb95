import { describe, expect, it } from '@jest/globals';
import { budgetGate } from './budget.js';
import { clusters, context, parse } from './gate-fixtures.js';
import { type CountOrPercent } from './settings.js';

describe('budgetGate.evaluate', () => {
  const failed = (failed: number, limit: number, size: number, autoRollback = false) => ({
    status: 'blocked',
    reason: { kind: 'budget', failed, limit, size },
    state: 'Failed',
    event:
      `rollout failed: wave canary has ${failed}/${size} failed, budget ${limit}` +
      (autoRollback ? '; rollback requested' : ''),
  });
  it.each<[string, CountOrPercent, ReturnType<typeof clusters>, boolean, unknown]>([
    ['no failures', 0, clusters('Healthy', 'Progressing'), false, { status: 'open' }],
    ['one failure, no budget', 0, clusters('Healthy', 'Failed'), false, failed(1, 0, 2)],
    ['Degraded and TimedOut count', 1, clusters('Degraded', 'TimedOut', 'Healthy'), false, failed(2, 1, 3)],
    ['within budget', 1, clusters('Failed', 'Healthy'), false, { status: 'open' }],
    ['Skipped does not count', 0, clusters('Skipped', 'Healthy'), false, { status: 'open' }],
    [
      '50% of 4 allows 2',
      '50%',
      clusters('Failed', 'Failed', 'Healthy', 'Healthy'),
      false,
      { status: 'open' },
    ],
    ['rollback requested', 0, clusters('Failed'), true, failed(1, 0, 1, true)],
  ])('%s', (_name, setting, members, autoRollback, expected) => {
    expect(budgetGate.evaluate(context(setting, { clusters: members, autoRollback }))).toEqual(expected);
  });
});

describe('budgetGate.setting', () => {
  it.each<[unknown, CountOrPercent, string[]]>([
    [undefined, 0, []],
    [0, 0, []],
    ['10%', '10%', []],
    [-1, 0, ['waves[0].failureBudget: must be an integer of at least 0, or a percentage such as "25%"']],
    ['101%', 0, ['waves[0].failureBudget: percentage must be from 1% to 100%']],
  ])('%p → %p', (raw, value, errors) => {
    expect(parse(budgetGate.setting.parse, raw)).toEqual({ value, errors });
  });
});

describe('budgetGate.message', () => {
  it('counts failures against the budget', () => {
    expect(budgetGate.message({ kind: 'budget', failed: 2, limit: 1, size: 20 })).toBe(
      '2/20 failed, budget 1',
    );
  });
});
