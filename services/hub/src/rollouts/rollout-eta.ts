import {
  type EtaCluster,
  type EtaInput,
  type EtaWave,
  estimateEta,
  freezeHolds,
  type PaceWave,
  previousPace,
  resolveCount,
  type RolloutEta,
  wantsPreviousPace,
} from './engine/index.js';
import { type FleetGateState } from './fleet-gates.js';
import { type PaceHistoryRollout, type RolloutRecord } from './rollouts.repository.js';

/** What the ETA reads of a rollout's detail (RolloutsService.detail), named here to keep imports one-way. */
export interface EtaSource {
  rollout: Pick<
    RolloutRecord,
    'id' | 'state' | 'paused' | 'finishedAt' | 'currentWave' | 'plan' | 'freezeOverriddenBy' | 'applicationId'
  >;
  waves: readonly (Omit<EtaWave, 'clusters'> & { name: string })[];
  clusters: readonly (EtaCluster & { wave: string })[];
}

/** Where the ETA gets the application's earlier pace (read only when the rollout has too little of its own). */
export type PreviousPaceRead = (applicationId: string) => Promise<number | null>;

/** Earlier rollouts the ETA's fallback reads per application: recent enough to say how it goes today. */
export const PACE_HISTORY_ROLLOUTS = 5;

/**
 * The ETA of a rollout from the detail a read already computed (waves, members with their phases,
 * assignment and report times). Only a rollout that has settled fewer than 3 clusters reads more:
 * the application's earlier rollouts' pace (`previous`, one batched statement per request).
 */
export async function rolloutEta(
  detail: EtaSource,
  now: Date,
  fleet: FleetGateState,
  previous: PreviousPaceRead,
): Promise<RolloutEta> {
  const input = etaInput(detail, now, fleet);
  if (!wantsPreviousPace(input)) return estimateEta(input);
  return estimateEta({ ...input, previousClusterSeconds: await previous(detail.rollout.applicationId) });
}

function etaInput(detail: EtaSource, now: Date, fleet: FleetGateState): EtaInput {
  const { rollout } = detail;
  const byWave = new Map<string, EtaCluster[]>();
  for (const c of detail.clusters) {
    const list = byWave.get(c.wave) ?? [];
    list.push({ phase: c.phase, assignedAt: c.assignedAt, reportedAt: c.reportedAt });
    byWave.set(c.wave, list);
  }
  return {
    now,
    state: rollout.state,
    paused: rollout.paused,
    finishedAt: rollout.finishedAt,
    currentWave: rollout.currentWave,
    waves: detail.waves.map((w) => ({
      clusters: byWave.get(w.name) ?? [],
      concurrencyLimit: w.concurrencyLimit,
      soakSeconds: w.soakSeconds,
      requireApproval: w.requireApproval,
      startedAt: w.startedAt,
      healthyAt: w.healthyAt,
      approvedAt: w.approvedAt,
    })),
    windows: rollout.plan.windows ?? [],
    fleet: {
      changing: fleet.changing,
      changeLimit: fleet.changeLimit,
      frozen: freezeHolds(fleet.freeze, now) && rollout.freezeOverriddenBy === null,
      sharing: fleet.shares && {
        others: fleet.shares.rollouts.filter((r) => r.id !== rollout.id),
        clusterSeconds: fleet.shares.clusterSeconds,
      },
    },
    previousClusterSeconds: null,
  };
}

/** Pure: the per-cluster pace of earlier rollouts, each wave on the slots its plan gave it. */
export function paceOfHistory(history: readonly PaceHistoryRollout[]): number | null {
  return previousPace(
    history.map(({ plan, waves }) =>
      waves.map((wave): PaceWave => {
        const settings = wave.index < plan.waves.length ? plan.waves[wave.index]! : plan.rest;
        return {
          startedAt: wave.startedAt,
          healthyAt: wave.healthyAt,
          slots: Math.min(resolveCount(settings.maxConcurrency, wave.size), wave.size),
          settled: wave.size,
        };
      }),
    ),
  );
}
