import { describe, expect, it } from '@jest/globals';
import { OPEN_FLEET, type WavePlan } from './engine/index.js';
import { type FleetGateState } from './fleet-gates.js';
import { type EtaSource, paceOfHistory, rolloutEta } from './rollout-eta.js';
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

describe('rolloutEta under a shared fleet budget', () => {
  const detail = (id: string): EtaSource =>
    ({
      rollout: {
        id,
        state: 'Progressing',
        paused: false,
        finishedAt: null,
        currentWave: 0,
        plan: { waves: [], rest: { maxConcurrency: 50 } },
        freezeOverriddenBy: null,
        applicationId: 'app',
      },
      waves: [
        {
          name: 'rest',
          concurrencyLimit: 50,
          soakSeconds: 0,
          requireApproval: false,
          startedAt: null,
          healthyAt: null,
          approvedAt: null,
        },
      ],
      clusters: Array.from({ length: 300 }, () => ({
        wave: 'rest',
        phase: 'Pending',
        assignedAt: null,
        reportedAt: null,
      })),
    }) as unknown as EtaSource;
  const fleet = (shares: FleetGateState['shares']): FleetGateState => ({
    ...OPEN_FLEET,
    changeLimit: 60,
    shares,
  });
  const claim = (id: string) => ({ id, remaining: 300, concurrency: 50, holding: 0 });

  it.each<[string, FleetGateState['shares'], number]>([
    // Its own claim is not counted against it: alone, 300 on 50 slots at 3 s each.
    ['only itself active', { rollouts: [claim('me')], clusterSeconds: 3 }, 18],
    // With two others of 300: 20 slots each, 300 × 3 s / 20.
    ['two others', { rollouts: [claim('me'), claim('b'), claim('c')], clusterSeconds: 3 }, 45],
    // Not read (no budget refresh yet): this rollout alone, at the earlier pace (3 s).
    ['no shares read', undefined, 18],
  ])('%s', async (_name, shares, expected) => {
    const eta = await rolloutEta(detail('me'), at(0), fleet(shares), () => Promise.resolve(3));
    expect((eta.rollout.at!.getTime() - T0) / 1000).toBe(expected);
  });
});
