import { describe, expect, it } from '@jest/globals';
import {
  type BudgetClaim,
  budgetClaim,
  fairShareMap,
  type BudgetLoad,
  fairShareOf,
  fairShares,
  shareSlots,
} from './fair-share.js';
import { type FleetFreeze } from './gates/types.js';
import { type WavePlan } from './plan.js';

const claim = (id: string, cap: number, held = 0, contending = true): BudgetClaim => ({
  id,
  held,
  contending,
  cap,
});

describe('fairShares', () => {
  it.each<[string, number, BudgetClaim[], Record<string, number>]>([
    ['one contender takes the whole budget', 60, [claim('a', 100)], { a: 60 }],
    [
      'three equal split it evenly',
      60,
      [claim('a', 50), claim('b', 50), claim('c', 50)],
      { a: 20, b: 20, c: 20 },
    ],
    [
      'one capped by its concurrency gives its surplus to the others',
      60,
      [claim('a', 50), claim('b', 5), claim('c', 50)],
      { a: 28, b: 5, c: 27 },
    ],
    [
      'capped in turn: the surplus of one lifts another above its cap no more',
      60,
      [claim('a', 10), claim('b', 22), claim('c', 50)],
      { a: 10, b: 22, c: 28 },
    ],
    [
      'a rollout in soak (not contending) gets no share, its holdings are spent',
      60,
      [claim('a', 50, 0), claim('b', 50, 6, false), claim('c', 50)],
      { a: 27, c: 27 },
    ],
    [
      'remainders go one each in the order given, summing to the budget',
      10,
      [claim('a', 9), claim('b', 9), claim('c', 9)],
      { a: 4, b: 3, c: 3 },
    ],
    [
      'more contenders than slots: the first ones get one each',
      2,
      [claim('a', 5), claim('b', 5), claim('c', 5)],
      {
        a: 1,
        b: 1,
        c: 0,
      },
    ],
    ['caps below the budget leave the rest unused', 60, [claim('a', 5), claim('b', 7)], { a: 5, b: 7 }],
    [
      'non-contenders holding more than the budget: nothing left',
      5,
      [claim('a', 5), claim('b', 9, 8, false)],
      { a: 0 },
    ],
    ['nobody contends: no shares', 60, [claim('b', 9, 8, false)], {}],
  ])('%s', (_name, limit, claims, expected) => {
    const shares = fairShares(limit, claims);
    expect(Object.fromEntries(shares)).toEqual(expected);
    const spent = claims.reduce((n, c) => (c.contending ? n : n + c.held), 0);
    expect([...shares.values()].reduce((n, s) => n + s, 0)).toBeLessThanOrEqual(Math.max(0, limit - spent));
  });
});

const plan = (maxConcurrency: number | `${number}%`, windows?: WavePlan['windows']): WavePlan =>
  ({
    waves: [{ name: 'canary', maxConcurrency }],
    rest: { name: 'rest', maxConcurrency },
    ...(windows === undefined ? {} : { windows }),
  }) as unknown as WavePlan;

const load = (over: Partial<BudgetLoad> = {}): BudgetLoad => ({
  id: 'r',
  kind: 'rollout',
  state: 'Progressing',
  paused: false,
  plan: plan(50),
  freezeOverridden: false,
  currentWave: 0,
  waveDone: false,
  waveSize: 100,
  waiting: 80,
  held: 10,
  ...over,
});

const NOW = new Date('2026-12-03T10:00:00Z');
const FREEZE: FleetFreeze = {
  reason: 'incident',
  by: 'ops',
  since: new Date('2026-12-03T09:00:00Z'),
  until: null,
};

describe('budgetClaim', () => {
  it.each<[string, Partial<BudgetLoad>, FleetFreeze | null, Pick<BudgetClaim, 'contending' | 'cap'>]>([
    [
      'a progressing wave with clusters waiting contends, capped by its concurrency',
      {},
      null,
      { contending: true, cap: 50 },
    ],
    [
      'capped by what it holds and waits for when fewer',
      { waiting: 3, held: 2 },
      null,
      { contending: true, cap: 5 },
    ],
    [
      'a percentage concurrency resolves against the wave',
      { plan: plan('10%') },
      null,
      { contending: true, cap: 10 },
    ],
    ['nothing waiting: not contending', { waiting: 0 }, null, { contending: false, cap: 10 }],
    ['soaking: not contending', { state: 'Soaking' }, null, { contending: false, cap: 50 }],
    [
      'awaiting approval: not contending',
      { state: 'AwaitingApproval' },
      null,
      { contending: false, cap: 50 },
    ],
    ['wave done, checks running: not contending', { waveDone: true }, null, { contending: false, cap: 50 }],
    ['paused: not contending', { paused: true }, null, { contending: false, cap: 50 }],
    [
      'about to start (no pass yet): contends',
      { state: 'Pending', held: 0 },
      null,
      { contending: true, cap: 50 },
    ],
    [
      'a catch-up never contends (held, not throttled by share)',
      { kind: 'catchup' },
      null,
      { contending: false, cap: 50 },
    ],
    ['frozen: not contending', {}, FREEZE, { contending: false, cap: 50 }],
    ['frozen but overridden: contends', { freezeOverridden: true }, FREEZE, { contending: true, cap: 50 }],
    [
      'outside its allow window: not contending',
      { plan: plan(50, [{ kind: 'allow', schedule: '0 22 * * *', duration: '1h', timeZone: 'UTC' }]) },
      null,
      { contending: false, cap: 50 },
    ],
  ])('%s', (_name, over, freeze, expected) => {
    expect(budgetClaim(load(over), NOW, freeze)).toMatchObject(expected);
  });
});

describe('fairShareOf', () => {
  it('counts the pass’s own rollout as contending with what it wants, whatever its stored wave says', () => {
    // Its stored wave is done (the pass is opening the next one): it contends with held + wants.
    const loads = [load({ id: 'a', waveDone: true, held: 0 }), load({ id: 'b', held: 30 })];
    expect(fairShareOf({ id: 'a', wants: 50 }, loads, 60, NOW, null)).toEqual({ share: 30, held: 0 });
    expect(fairShareOf({ id: 'a', wants: 4 }, loads, 60, NOW, null)).toEqual({ share: 4, held: 0 });
  });

  it('gives a catch-up no share (the budget alone bounds it)', () => {
    expect(
      fairShareOf({ id: 'c', wants: 3 }, [load({ id: 'c', kind: 'catchup' })], 60, NOW, null),
    ).toBeNull();
  });

  it('a lone contender gets the budget less what the others hold', () => {
    const loads = [load({ id: 'a', held: 0 }), load({ id: 'c', kind: 'catchup', held: 7 })];
    expect(fairShareOf({ id: 'a', wants: 50 }, loads, 60, NOW, null)).toEqual({ share: 50, held: 0 });
    expect(fairShareOf({ id: 'a', wants: 50 }, loads, 40, NOW, null)).toEqual({ share: 33, held: 0 });
  });
});

describe('shareSlots', () => {
  it.each<[string, number, number, number[], number]>([
    ['no cluster changing for two rollouts: the budget', 60, 30, [10, 20], 60],
    ['clusters changing for two rollouts count for each holder', 60, 30, [30, 20], 80],
    ['nothing held: the budget', 60, 0, [], 60],
  ])('%s', (_name, limit, changing, held, expected) => {
    expect(
      shareSlots(
        limit,
        changing,
        held.map((n) => ({ held: n })),
      ),
    ).toBe(expected);
  });
});

describe('fairShareMap', () => {
  it('gives each contender its share and holding, and non-contenders none', () => {
    const loads = [
      load({ id: 'a', held: 12 }),
      load({ id: 'b', held: 3 }),
      load({ id: 's', state: 'Soaking', held: 0 }),
      load({ id: 'c', kind: 'catchup', held: 6 }),
    ];
    expect(Object.fromEntries(fairShareMap(loads, 60, NOW, null))).toEqual({
      a: { share: 27, held: 12 },
      b: { share: 27, held: 3 },
    });
  });
});
