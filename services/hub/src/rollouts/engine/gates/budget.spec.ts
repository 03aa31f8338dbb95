import { describe, expect, it } from '@jest/globals';
import { budgetGate } from './budget.js';
import { type WaveVerification } from '../verification/wave-state.js';
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

describe('budgetGate.evaluate with per-cluster verification checks', () => {
  const checked = (...failed: [string, string][]): WaveVerification => ({
    status: 'passed',
    running: [],
    failed: null,
    failedClusters: failed.map(([target, check]) => ({ check, target, message: 'status 500' })),
    passedAt: null,
  });
  const blocked = (failed: number, limit: number, size: number, target: string, autoRollback = false) => {
    const reason = { kind: 'budget', failed, limit, size, check: 'healthz', target, detail: 'status 500' };
    return {
      status: 'blocked',
      reason,
      state: 'Failed',
      event:
        `rollout failed: wave canary has ${failed}/${size} failed, budget ${limit}; ` +
        `check healthz failed for ${target}: status 500` +
        (autoRollback ? '; rollback requested' : ''),
    };
  };
  it.each<[string, CountOrPercent, ReturnType<typeof clusters>, WaveVerification | null, boolean, unknown]>([
    ['no check failed', 0, clusters('Healthy', 'Healthy'), checked(), false, { status: 'open' }],
    [
      'a healthy cluster that failed a check counts',
      0,
      clusters('Healthy', 'Healthy'),
      checked(['c2', 'healthz']),
      false,
      blocked(1, 0, 2, 'c2'),
    ],
    [
      'within a budget of 1 the wave goes on',
      1,
      clusters('Healthy', 'Healthy', 'Healthy'),
      checked(['c1', 'healthz']),
      false,
      { status: 'open' },
    ],
    [
      'a failed cluster that also failed its check counts once',
      1,
      clusters('Failed', 'Healthy'),
      checked(['c1', 'healthz']),
      false,
      { status: 'open' },
    ],
    [
      'check failures and failed phases add up',
      1,
      clusters('Failed', 'Healthy', 'Healthy'),
      checked(['c3', 'healthz']),
      true,
      blocked(2, 1, 3, 'c3', true),
    ],
    [
      'a target outside the wave does not count',
      0,
      clusters('Healthy'),
      checked(['elsewhere', 'healthz']),
      false,
      { status: 'open' },
    ],
    [
      'percentages: 50% of 4 allows 2 check failures',
      '50%',
      clusters('Healthy', 'Healthy', 'Healthy', 'Healthy'),
      checked(['c1', 'healthz'], ['c4', 'healthz']),
      false,
      { status: 'open' },
    ],
  ])('%s', (_name, setting, members, verification, autoRollback, expected) => {
    expect(budgetGate.evaluate(context(setting, { clusters: members, verification, autoRollback }))).toEqual(
      expected,
    );
  });

  it('names the first check failure counted', () => {
    expect(
      budgetGate.message({
        kind: 'budget',
        failed: 1,
        limit: 0,
        size: 2,
        check: 'smoke',
        target: 'c1',
        detail: 'job x: BackoffLimitExceeded',
      }),
    ).toBe('1/2 failed, budget 0; check smoke failed for c1: job x: BackoffLimitExceeded');
  });
});
