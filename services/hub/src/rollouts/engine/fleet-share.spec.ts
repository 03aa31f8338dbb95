import { describe, expect, it } from '@jest/globals';
import {
  fleetClusterSeconds,
  type FleetLoad,
  type FleetRolloutLoad,
  fleetShares,
  runShared,
  type ShareClaim,
  shareOut,
} from './fleet-share.js';
import { type WavePlan } from './plan.js';

describe('shareOut', () => {
  it.each<[string, number, number[], number[]]>([
    ['alone: up to its cap', 60, [50], [50]],
    ['alone under a smaller budget: the budget', 60, [100], [60]],
    ['three equal claims: a third each', 60, [50, 50, 50], [20, 20, 20]],
    ['a capped claim leaves its rest to the others', 60, [10, 50, 50], [10, 25, 25]],
    ['every claim capped: slots left unused', 60, [5, 10], [5, 10]],
    ['a cap below 1 counts as 1', 3, [0, 50], [1, 2]],
  ])('%s', (_name, slots, caps, expected) => {
    expect(shareOut(slots, caps)).toEqual(expected);
  });
});

describe('runShared', () => {
  const claims = (...remaining: number[]): ShareClaim[] =>
    remaining.map((r) => ({ remaining: r, concurrency: 50 }));

  it.each<[string, ShareClaim[], ShareClaim, number, number[]]>([
    // 300 clusters on 50 slots at 3 s each: 6 rounds.
    ['alone: its concurrency', [], { remaining: 300, concurrency: 50 }, 18_000, []],
    // 20 slots each: 300 × 3 s / 20 = 45 s for all three.
    [
      'three equal rollouts share the budget',
      claims(300, 300),
      { remaining: 300, concurrency: 50 },
      45_000,
      [0, 0],
    ],
    // 30 slots each until the other's 100 are done (10 s; 100 of ours done too), then 200 on 50 slots: 12 s.
    [
      'a leader finishing first frees its share',
      claims(100),
      { remaining: 300, concurrency: 50 },
      22_000,
      [0],
    ],
    // We finish 60 at 30 slots (6 s); the other has done 60 of 600, then gets the rest.
    [
      'we finish first: the other keeps what is left',
      claims(600),
      { remaining: 60, concurrency: 50 },
      6_000,
      [540],
    ],
  ])('%s', (_name, others, own, expectedMs, othersLeft) => {
    expect(runShared(others, own, 60, 3)).toBeCloseTo(expectedMs, 6);
    others.forEach((o, i) => expect(o.remaining).toBeCloseTo(othersLeft[i]!, 6));
  });

  it('without a claim of its own, runs the others for the time given', () => {
    // Two others at 30 slots each for 6 s: 60 clusters each.
    const others = claims(100, 100);
    expect(runShared(others, null, 60, 3, 6_000)).toBe(6_000);
    expect(others.map((o) => o.remaining)).toEqual([40, 40]);
  });
});

describe('fleetClusterSeconds', () => {
  const load = (remaining: number, concurrency: number, assignedRecently: number): FleetRolloutLoad => ({
    remaining,
    concurrency,
    assignedRecently,
  });

  it.each<[string, FleetRolloutLoad[], number, number | null]>([
    // The budget's 60 slots settled 600 in 60 s: 6 slot-seconds per cluster.
    ['the budget in use', [load(500, 50, 300), load(500, 50, 300)], 60, 6],
    // The rollouts may change only 10 + 5 at once: 15 slots × 60 s / 150.
    ['less wanted than the budget', [load(500, 10, 100), load(500, 5, 50)], 60, 6],
    // Near the end a rollout wants no more slots than clusters left: (2 + 50) × 60 / 520.
    ['no more slots than clusters left', [load(2, 50, 20), load(500, 50, 500)], 60, 6],
    ['too few assigned to go by', [load(500, 50, 9)], 60, null],
    ['no window', [load(500, 50, 100)], 0, null],
  ])('%s', (_name, loads, window, expected) => {
    expect(fleetClusterSeconds(loads, 60, window)).toBe(expected);
  });
});

describe('fleetShares', () => {
  const plan = {
    waves: [{ name: 'canary', maxConcurrency: 2 }],
    rest: { maxConcurrency: '50%' },
  } as unknown as WavePlan;
  const load = (overrides: Partial<FleetLoad>): FleetLoad => ({
    id: 'r',
    plan,
    currentWave: 0,
    waveSize: 10,
    remaining: 100,
    assignedRecently: 0,
    firstAssignedSecondsAgo: 120,
    ...overrides,
  });

  it('reads each rollout’s current wave’s concurrency from its plan', () => {
    const shares = fleetShares(
      [load({ id: 'a' }), load({ id: 'b', currentWave: 1, waveSize: 40 }), load({ id: 'c', waveSize: 1 })],
      60,
      60,
    );
    expect(shares.rollouts).toEqual([
      { id: 'a', remaining: 100, concurrency: 2 },
      { id: 'b', remaining: 100, concurrency: 20 },
      // No more than the wave has.
      { id: 'c', remaining: 100, concurrency: 1 },
    ]);
  });

  it.each<[string, FleetLoad[], number | null]>([
    // 22 slots wanted (2 + 20) for 60 s over 220 assigned.
    [
      'over the whole window',
      [load({ assignedRecently: 20 }), load({ currentWave: 1, waveSize: 40, assignedRecently: 200 })],
      6,
    ],
    // The earliest assignment was 30 s ago: 22 slots × 30 s / 110.
    [
      'over the time since the first assignment when shorter',
      [
        load({ assignedRecently: 10, firstAssignedSecondsAgo: 30 }),
        load({ currentWave: 1, waveSize: 40, assignedRecently: 100, firstAssignedSecondsAgo: 20 }),
      ],
      6,
    ],
    ['nothing assigned yet', [load({ firstAssignedSecondsAgo: null })], null],
  ])('the fleet pace: %s', (_name, loads, expected) => {
    expect(fleetShares(loads, 60, 60).clusterSeconds).toBe(expected);
  });
});
