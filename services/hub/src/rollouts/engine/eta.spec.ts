import { describe, expect, it } from '@jest/globals';
import {
  estimateEta,
  type EtaCluster,
  type EtaInput,
  type EtaWave,
  type FleetSharing,
  median,
  type PaceWave,
  previousPace,
  wantsPreviousPace,
} from './eta.js';

const T0 = Date.parse('2026-01-05T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** A healthy cluster assigned at `from` that became healthy at `to` (seconds). */
const healthy = (from: number, to: number): EtaCluster => ({
  phase: 'Healthy',
  assignedAt: at(from),
  reportedAt: at(to),
});
const inFlight = (from: number): EtaCluster => ({
  phase: 'Progressing',
  assignedAt: at(from),
  reportedAt: null,
});
const pending = (n: number): EtaCluster[] =>
  Array.from({ length: n }, () => ({ phase: 'Pending', assignedAt: null, reportedAt: null }));

const wave = (clusters: EtaCluster[], overrides: Partial<EtaWave> = {}): EtaWave => ({
  clusters,
  concurrencyLimit: 1,
  soakSeconds: 0,
  requireApproval: false,
  startedAt: null,
  healthyAt: null,
  approvedAt: null,
  ...overrides,
});

const input = (overrides: Partial<EtaInput>): EtaInput => ({
  now: at(100),
  state: 'Progressing',
  paused: false,
  finishedAt: null,
  currentWave: 0,
  waves: [],
  windows: [],
  fleet: { changing: 0, changeLimit: null, frozen: false },
  previousClusterSeconds: null,
  ...overrides,
});

/** Seconds from T0 of each estimate (null: none), rollout first. */
function seconds(result: ReturnType<typeof estimateEta>): (number | null)[] {
  const s = (d: Date | null) => (d === null ? null : (d.getTime() - T0) / 1000);
  return [s(result.rollout.at), ...result.waves.map((w) => s(w.at))];
}

describe('median', () => {
  it.each<[number[], number | null]>([
    [[], null],
    [[5], 5],
    [[9, 1, 5], 5],
    [[1, 2, 3, 10], 2.5],
  ])('%j → %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('estimateEta', () => {
  // Wave 0: two healthy clusters that took 20 s and 40 s (median 30), one in flight since 90.
  const started = { startedAt: at(0) };
  const firstWave = [healthy(0, 20), healthy(20, 60), inFlight(90)];

  it.each<[string, Partial<EtaInput>, (number | null)[], string]>([
    [
      'in flight finishes after the median; pending run one at a time',
      { waves: [wave(firstWave, started), wave(pending(2))] },
      // in flight: 90 + 30 = 120; wave 1: two clusters of 30 s one after another from 120.
      [180, 120, 180],
      'observed',
    ],
    [
      'concurrency runs pending clusters side by side',
      { waves: [wave(firstWave, started), wave(pending(4), { concurrencyLimit: 2 })] },
      [180, 120, 180],
      'observed',
    ],
    [
      'the fleet budget caps concurrency at the room left plus what the rollout holds',
      {
        waves: [wave(firstWave, started), wave(pending(4), { concurrencyLimit: 4 })],
        fleet: { changing: 10, changeLimit: 10, frozen: false },
      },
      // Room: 10 - 10 + 1 (own in flight) = 1 slot.
      [240, 120, 240],
      'observed',
    ],
    [
      'a soak holds the next wave and the end',
      { waves: [wave(firstWave, { ...started, soakSeconds: 100 }), wave(pending(1), { soakSeconds: 50 })] },
      // wave 0 ends 120, soaks to 220; wave 1 ends 250, soaks to 300.
      [300, 120, 250],
      'observed',
    ],
    [
      'a soak running on a done wave counts from when it was healthy',
      {
        currentWave: 0,
        waves: [
          wave([healthy(0, 20), healthy(20, 60)], { ...started, healthyAt: at(60), soakSeconds: 100 }),
          wave(pending(1)),
        ],
      },
      [190, 60, 190],
      'observed',
    ],
    [
      'nothing observed yet: the earlier rollouts’ duration',
      { waves: [wave(pending(2))], previousClusterSeconds: 10 },
      [120, 120],
      'previous',
    ],
    ['nothing observed and no history: unknown', { waves: [wave(pending(2))] }, [null, null], 'unknown'],
    [
      'an approval ahead: unknown from that wave on',
      { waves: [wave(firstWave, started), wave(pending(1), { requireApproval: true }), wave(pending(1))] },
      [null, 120, null, null],
      'awaitingApproval',
    ],
    [
      'an approved wave is estimated',
      {
        waves: [wave(firstWave, started), wave(pending(1), { requireApproval: true, approvedAt: at(100) })],
      },
      [150, 120, 150],
      'observed',
    ],
    [
      'paused: unknown',
      { paused: true, waves: [wave(firstWave, started), wave(pending(1))] },
      [null, null, null],
      'unknown',
    ],
    [
      'frozen fleet: unknown',
      {
        waves: [wave(firstWave, started), wave(pending(1))],
        fleet: { changing: 0, changeLimit: null, frozen: true },
      },
      [null, null, null],
      'unknown',
    ],
    [
      'a window that opens later delays the next wave',
      {
        waves: [wave(firstWave, started), wave(pending(1))],
        // Allowed from 11:00 for an hour (T0 is 10:00 UTC).
        windows: [{ kind: 'allow', schedule: '0 11 * * *', duration: '1h', timeZone: 'UTC' }],
      },
      [3630, 120, 3630],
      'observed',
    ],
    [
      'finished: when it ended',
      { state: 'Succeeded', finishedAt: at(500), waves: [wave([healthy(0, 20)], started)] },
      [500, 500],
      'finished',
    ],
  ])('%s', (_name, overrides, expected, basis) => {
    const result = estimateEta(input(overrides));
    expect(seconds(result)).toEqual(expected);
    expect(result.rollout.basis).toBe(basis);
  });

  it.each<[string, EtaCluster[], number | null, string, string, number | null]>([
    // Fewer than 3 settled: the earlier rollouts' pace when known, else the median apply→healthy time.
    ['none settled, no history', pending(2), null, 'unknown', 'low', null],
    ['none settled, history', pending(2), 25, 'previous', 'low', 25],
    ['two settled, history', [healthy(0, 10), healthy(10, 20), ...pending(1)], 25, 'previous', 'low', 25],
    [
      'two settled, no history',
      [healthy(0, 10), healthy(10, 20), ...pending(1)],
      null,
      'observed',
      'low',
      10,
    ],
    // From three settled the rollout's own pace wins over any history: 30 s over 3 clusters.
    [
      'three settled, history',
      [healthy(0, 10), healthy(10, 20), healthy(20, 30), ...pending(1)],
      25,
      'observed',
      'medium',
      10,
    ],
  ])('%s: basis %s', (_name, clusters, previous, basis, confidence, clusterSeconds) => {
    const waves = [wave(clusters, { startedAt: at(0), healthyAt: null })];
    const result = estimateEta(input({ now: at(30), waves, previousClusterSeconds: previous }));
    expect(result.rollout).toMatchObject({ basis, confidence, clusterSeconds });
  });

  it.each<[string, Partial<EtaInput>, boolean]>([
    ['nothing settled', { waves: [wave(pending(3), { startedAt: at(0) })] }, true],
    [
      'two settled',
      { waves: [wave([healthy(0, 5), healthy(5, 9), inFlight(9)], { startedAt: at(0) })] },
      true,
    ],
    [
      'three settled',
      { waves: [wave([healthy(0, 5), healthy(5, 9), healthy(9, 12)], { startedAt: at(0) })] },
      false,
    ],
    ['finished', { state: 'Succeeded', waves: [wave(pending(1))] }, false],
  ])('wants the earlier pace: %s → %s', (_name, overrides, expected) => {
    expect(wantsPreviousPace(input(overrides))).toBe(expected);
  });

  it.each<[string, PaceWave[][], number | null]>([
    ['no earlier rollout', [], null],
    [
      'one wave of 4 clusters on 2 slots in 40 s: 20 s per cluster',
      [[{ startedAt: at(0), healthyAt: at(40), slots: 2, settled: 4 }]],
      20,
    ],
    [
      'waves add up: (10 s × 1 + 30 s × 3) / (1 + 9)',
      [
        [
          { startedAt: at(0), healthyAt: at(10), slots: 1, settled: 1 },
          { startedAt: at(20), healthyAt: at(50), slots: 3, settled: 9 },
        ],
      ],
      10,
    ],
    [
      'the median rollout, so one slow rollout does not move it',
      [
        [{ startedAt: at(0), healthyAt: at(10), slots: 1, settled: 1 }],
        [{ startedAt: at(0), healthyAt: at(12), slots: 1, settled: 1 }],
        [{ startedAt: at(0), healthyAt: at(900), slots: 1, settled: 1 }],
      ],
      12,
    ],
    [
      'waves that never started or ended, or settled nothing, say nothing',
      [
        [
          { startedAt: null, healthyAt: null, slots: 1, settled: 0 },
          { startedAt: at(0), healthyAt: null, slots: 1, settled: 3 },
        ],
        [{ startedAt: at(0), healthyAt: at(5), slots: 1, settled: 0 }],
      ],
      null,
    ],
  ])('previousPace: %s', (_name, rollouts, expected) => {
    expect(previousPace(rollouts)).toBe(expected);
  });

  it.each<[number, string, number]>([
    // Two settled: too few for a pace, the median apply→healthy time (10 s).
    [2, 'low', 10],
    // From three: the pace, one slot for 100 s over the clusters settled.
    [3, 'medium', 100 / 3],
    [10, 'high', 10],
  ])('%i clusters settled: %s confidence, %d s per cluster', (count, confidence, seconds) => {
    const clusters = Array.from({ length: count }, (_, i) => healthy(i, i + 10));
    const result = estimateEta(input({ waves: [wave([...clusters, ...pending(1)], { startedAt: at(0) })] }));
    expect(result.rollout.confidence).toBe(confidence);
    expect(result.rollout.clusterSeconds).toBeCloseTo(seconds, 6);
  });

  it('goes by the pace, not by report times that later reports moved', () => {
    // Four clusters settled in the first 40 s on 2 slots, but their reports came much later (a
    // cluster reports every bundle again when another application changes): 20 s per slot.
    const reportedLate = [healthy(0, 90), healthy(0, 95), healthy(20, 98), healthy(20, 99)];
    const first = wave(reportedLate, { startedAt: at(0), healthyAt: at(40), concurrencyLimit: 2 });
    const result = estimateEta(
      input({ currentWave: 1, waves: [first, wave(pending(4), { startedAt: null, concurrencyLimit: 2 })] }),
    );
    expect(result.rollout.clusterSeconds).toBe(20);
    // From now (100): two rounds of 20 s on two slots.
    expect(seconds(result)).toEqual([140, 40, 140]);
  });

  describe('under a fleet budget shared with other rollouts', () => {
    // 300 clusters left in one wave that may change 50 at once; the fleet budget is 60 slots.
    const shared = (sharing: FleetSharing | null, waves = [wave(pending(300), { concurrencyLimit: 50 })]) =>
      estimateEta(
        input({
          now: at(0),
          waves,
          previousClusterSeconds: 3,
          fleet: { changing: 0, changeLimit: 60, frozen: false, sharing },
        }),
      );
    // Holding nothing in flight, like this one (equal weights).
    const others = (...remaining: number[]) =>
      remaining.map((r) => ({ remaining: r, concurrency: 50, holding: 0 }));

    it.each<[string, FleetSharing | null, number, number]>([
      // No other rollout: as before, 300 clusters on 50 slots at 3 s each, 6 rounds.
      ['alone (no sharing read)', null, 18, 3],
      ['alone (the others are done)', { others: others(0), clusterSeconds: 5 }, 18, 3],
      // 20 slots each: 300 × 3 s / 20.
      ['three equal rollouts', { others: others(300, 300), clusterSeconds: null }, 45, 3],
      // 30 slots each until the leader's 100 are done at 10 s (100 of ours too), then 200 on 50 slots.
      ['a leader finishing first', { others: others(100), clusterSeconds: null }, 22, 3],
      // The fleet's pace (4 s per slot) rather than this rollout's own: 300 × 4 / 20.
      ['at the fleet’s pace', { others: others(300, 300), clusterSeconds: 4 }, 60, 4],
    ])('%s', (_name, sharing, expected, clusterSeconds) => {
      const result = shared(sharing);
      expect(seconds(result)).toEqual([expected, expected]);
      expect(result.rollout).toMatchObject({ basis: 'previous', clusterSeconds });
    });

    it('a soak of ours lets the others run on all they may take', () => {
      // Wave 0: 60 clusters at 30 slots each: 6 s (the other did 60 of 300). Soak 6 s: the other
      // runs on its 50, 100 more (140 left). Wave 1: 30 slots each until it is done (14 s, 140 of
      // ours), then 160 at 50 slots: 9.6 s. Wave 0 ends at 6, wave 1 at 6 + 6 + 14 + 9.6.
      const result = shared({ others: others(300), clusterSeconds: null }, [
        wave(pending(60), { concurrencyLimit: 50, soakSeconds: 6 }),
        wave(pending(300), { concurrencyLimit: 50 }),
      ]);
      expect(seconds(result)).toEqual([35.6, 6, 35.6]);
    });

    it('splits the budget evenly, whatever each holds in flight', () => {
      // 40 of ours in flight (half done: 20 left) and 260 pending against another holding 20 of its
      // 300: 30 slots each. Ours are done at 280 × 3 / 30 = 28 s.
      const holding = Array.from({ length: 40 }, () => inFlight(-1.5));
      const result = shared(
        { others: [{ remaining: 300, concurrency: 60, holding: 20 }], clusterSeconds: null },
        [wave([...holding, ...pending(260)], { startedAt: at(-10), concurrencyLimit: 60 })],
      );
      expect(seconds(result)).toEqual([28, 28]);
    });

    it('counts a cluster in flight as far along as its time says', () => {
      // 10 in flight for 1.5 of 3 s (half left each: 5) and 25 pending: 30 clusters of work on 20
      // slots (the others hold 10 each too).
      const inFlightSince = Array.from({ length: 10 }, () => inFlight(-1.5));
      const holdingTen = others(300, 300).map((o) => ({ ...o, holding: 10 }));
      const result = shared({ others: holdingTen, clusterSeconds: null }, [
        wave([...inFlightSince, ...pending(25)], { startedAt: at(-10), concurrencyLimit: 50 }),
      ]);
      expect(seconds(result)).toEqual([4.5, 4.5]);
    });
  });
});
