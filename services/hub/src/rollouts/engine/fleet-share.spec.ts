import { describe, expect, it } from '@jest/globals';
import {
  fleetClusterSeconds,
  type FleetLoad,
  fleetShares,
  runShared,
  type ShareClaim,
  shareOut,
} from './fleet-share.js';
import { type WavePlan } from './plan.js';

describe('shareOut', () => {
  const w = (cap: number, weight: number) => ({ cap, weight });
  const even = (...caps: number[]) => caps.map((cap) => w(cap, 1));
  it.each<[string, number, { cap: number; weight: number }[], number[]]>([
    ['alone: up to its cap', 60, even(50), [50]],
    ['alone under a smaller budget: the budget', 60, even(100), [60]],
    ['three equal claims: a third each', 60, even(50, 50, 50), [20, 20, 20]],
    ['a capped claim leaves its rest to the others', 60, even(10, 50, 50), [10, 25, 25]],
    ['every claim capped: slots left unused', 60, even(5, 10), [5, 10]],
    ['a cap below 1 counts as 1', 3, even(0, 50), [1, 2]],
    // 40 / 15 / 5 in flight: 40, 15 and 5 of 60.
    ['in proportion to what each holds', 60, [w(50, 40), w(50, 15), w(50, 5)], [40, 15, 5]],
    // 45 of 60 would go to the first, capped at 30; the other 30 by weight: 30 × 10/20 each.
    ['a capped heavy claim leaves its rest by weight', 60, [w(30, 60), w(50, 10), w(50, 10)], [30, 15, 15]],
    ['a weight below 1 counts as 1', 60, [w(50, 0), w(50, 2)], [20, 40]],
  ])('%s', (_name, slots, claims, expected) => {
    expect(shareOut(slots, claims)).toEqual(expected);
  });
});

describe('runShared', () => {
  const claims = (...remaining: number[]): ShareClaim[] =>
    remaining.map((r) => ({ remaining: r, concurrency: 50, holding: 10 }));
  const own = (remaining: number, holding = 10): ShareClaim => ({ remaining, concurrency: 50, holding });

  it.each<[string, ShareClaim[], ShareClaim, number, number[]]>([
    // 300 clusters on 50 slots at 3 s each: 6 rounds.
    ['alone: its concurrency', [], own(300), 18_000, []],
    // 20 slots each: 300 × 3 s / 20 = 45 s for all three.
    ['three equal rollouts share the budget', claims(300, 300), own(300), 45_000, [0, 0]],
    // 30 slots each until the other's 100 are done (10 s; 100 of ours done too), then 200 on 50 slots: 12 s.
    ['a leader finishing first frees its share', claims(100), own(300), 22_000, [0]],
    // We finish 60 at 30 slots (6 s); the other has done 60 of 600, then gets the rest.
    ['we finish first: the other keeps what is left', claims(600), own(60), 6_000, [540]],
    // Holding 30 against the other's 10: 45 slots then 15; ours are done at 300 × 3 / 45 = 20 s
    // (the other did 100 of 600 by then).
    ['holding more takes more', claims(600), own(300, 30), 20_000, [500]],
  ])('%s', (_name, others, ownClaim, expectedMs, othersLeft) => {
    expect(runShared(others, ownClaim, 60, 3)).toBeCloseTo(expectedMs, 6);
    others.forEach((o, i) => expect(o.remaining).toBeCloseTo(othersLeft[i]!, 6));
  });

  it('stops rather than spin on a claim that cannot drain', () => {
    expect(runShared([], { remaining: 10, concurrency: 50, holding: Number.NaN }, 60, 3)).toBe(Infinity);
  });

  it('without a claim of its own, runs the others for the time given', () => {
    // Two others at 30 slots each for 6 s: 60 clusters each.
    const others = claims(100, 100);
    expect(runShared(others, null, 60, 3, 6_000)).toBe(6_000);
    expect(others.map((o) => o.remaining)).toEqual([40, 40]);
  });
});

describe('fleetClusterSeconds', () => {
  const claim = (remaining: number, concurrency: number): ShareClaim => ({
    remaining,
    concurrency,
    holding: 0,
  });

  it.each<[string, ShareClaim[], number, number, number | null]>([
    // The budget's 60 slots settled 600 in 60 s: 6 slot-seconds per cluster.
    ['the budget in use', [claim(500, 50), claim(500, 50)], 60, 600, 6],
    // The rollouts may change only 10 + 5 at once: 15 slots × 60 s / 150.
    ['less wanted than the budget', [claim(500, 10), claim(500, 5)], 60, 150, 6],
    // Near the end a rollout wants no more slots than clusters left: (2 + 50) × 60 / 520.
    ['no more slots than clusters left', [claim(2, 50), claim(500, 50)], 60, 520, 6],
    ['too few settled to go by', [claim(500, 50)], 60, 9, null],
    ['no window', [claim(500, 50)], 0, 100, null],
  ])('%s', (_name, claims, window, settled, expected) => {
    expect(fleetClusterSeconds(claims, 60, window, settled)).toBe(expected);
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
    inFlight: 2,
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
      { id: 'a', remaining: 100, concurrency: 2, holding: 2 },
      { id: 'b', remaining: 100, concurrency: 20, holding: 2 },
      // No more than the wave has.
      { id: 'c', remaining: 100, concurrency: 1, holding: 2 },
    ]);
  });

  it.each<[string, FleetLoad[], number | null]>([
    // 22 slots wanted (2 + 20) for 60 s over 220 assigned.
    [
      'over the whole window',
      [load({ assignedRecently: 20 }), load({ currentWave: 1, waveSize: 40, assignedRecently: 200 })],
      6,
    ],
    // The earliest assignment was 30 s ago: 22 slots × 30 s over the 114 assigned less the 4 in
    // flight (the first burst of assignments is not settled yet): 110.
    [
      'over the time since the first assignment when shorter',
      [
        load({ assignedRecently: 12, firstAssignedSecondsAgo: 30 }),
        load({ currentWave: 1, waveSize: 40, assignedRecently: 102, firstAssignedSecondsAgo: 20 }),
      ],
      6,
    ],
    ['nothing assigned yet', [load({ firstAssignedSecondsAgo: null })], null],
  ])('the fleet pace: %s', (_name, loads, expected) => {
    expect(fleetShares(loads, 60, 60).clusterSeconds).toBe(expected);
  });
});
