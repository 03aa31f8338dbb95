import { estimateEta, type EtaCluster, type EtaWave, freezeHolds, type RolloutEta } from './engine/index.js';
import { type FleetGateState } from './fleet-gates.js';
import { type RolloutRecord } from './rollouts.repository.js';

/** What the ETA reads of a rollout's detail (RolloutsService.detail), named here to keep imports one-way. */
export interface EtaSource {
  rollout: Pick<
    RolloutRecord,
    'state' | 'paused' | 'finishedAt' | 'currentWave' | 'plan' | 'freezeOverriddenBy'
  >;
  waves: readonly (Omit<EtaWave, 'clusters'> & { name: string })[];
  clusters: readonly (EtaCluster & { wave: string })[];
}

/**
 * The ETA of a rollout from the detail a read already computed (waves, members with their phases,
 * assignment and report times): no query of its own, so asking for `eta` costs a pure function.
 */
export function rolloutEta(detail: EtaSource, now: Date, fleet: FleetGateState): RolloutEta {
  const { rollout } = detail;
  const byWave = new Map<string, EtaCluster[]>();
  for (const c of detail.clusters) {
    const list = byWave.get(c.wave) ?? [];
    list.push({ phase: c.phase, assignedAt: c.assignedAt, reportedAt: c.reportedAt });
    byWave.set(c.wave, list);
  }
  return estimateEta({
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
    },
    previousClusterSeconds: null,
  });
}
