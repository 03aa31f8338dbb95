import { describe, expect, it } from '@jest/globals';
import { type WavePlan } from './engine/index.js';
import { paceOfHistory } from './rollout-eta.js';
import { type PaceHistoryRollout } from './rollouts.repository.js';

const T0 = Date.parse('2026-01-05T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** A plan of one `canary` wave and `rest`, with the concurrencies given. */
const plan = (canary: number | string, rest: number | string): WavePlan =>
  ({
    waves: [{ name: 'canary', maxConcurrency: canary }],
    rest: { maxConcurrency: rest },
  }) as unknown as WavePlan;

describe('paceOfHistory', () => {
  it.each<[string, PaceHistoryRollout[], number | null]>([
    ['none', [], null],
    [
      // canary: 1 cluster on 1 slot in 20 s; rest: 8 clusters on 4 slots (50 %) in 40 s → (20 + 160) / 9.
      'each wave on the slots its plan gave it',
      [
        {
          plan: plan(1, '50%'),
          waves: [
            { index: 0, startedAt: at(0), healthyAt: at(20), size: 1 },
            { index: 1, startedAt: at(30), healthyAt: at(70), size: 8 },
          ],
        },
      ],
      20,
    ],
    [
      // 3 slots allowed but only 2 clusters: 2 slots for 30 s over 2 clusters.
      'no more slots than clusters',
      [{ plan: plan(3, 1), waves: [{ index: 0, startedAt: at(0), healthyAt: at(30), size: 2 }] }],
      30,
    ],
    [
      'an empty wave adds nothing',
      [
        {
          plan: plan(1, 1),
          waves: [
            { index: 0, startedAt: at(0), healthyAt: at(0), size: 0 },
            { index: 1, startedAt: at(0), healthyAt: at(12), size: 1 },
          ],
        },
      ],
      12,
    ],
  ])('%s', (_name, history, expected) => {
    expect(paceOfHistory(history)).toBe(expected);
  });
});
