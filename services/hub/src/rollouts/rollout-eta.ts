import { estimateEta, type EtaInput, freezeHolds, type RolloutEta } from './engine/index.js';
import { type FleetGateState } from './fleet-gates.js';
import { type RolloutDetail } from './rollouts.service.js';

/**
 * The ETA of a rollout from the detail a read already computed (waves, members with their phases,
 * assignment and report times): no query of its own, so asking for `eta` costs a pure function.
 */
export function rolloutEta(detail: RolloutDetail, now: Date, fleet: FleetGateState): RolloutEta {
  const { rollout } = detail;
  const byWave = new Map<string, EtaInput['waves'][number]['clusters'][number][]>();
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
