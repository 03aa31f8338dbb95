import { effectiveWaves, type Wave, type WavePlan } from './plan.js';

export interface ChangedCluster {
  clusterId: string;
  /** Wave the cluster belonged to in the failed rollout. */
  wave: string;
}

export interface RollbackPlan {
  /** Waves in reverse order, only those with changed clusters; no soak, no approval, no auto-rollback. */
  plan: WavePlan;
  /** Members of the rollback rollout: only the clusters the failed rollout changed. */
  waves: { name: string; clusterIds: string[] }[];
}

/** What a rollback changes in each wave: nothing waits and no failure stops it (correlation included). */
const RETURN_SETTINGS = {
  soakSeconds: 0,
  requireApproval: false,
  failureBudget: '100%',
  failureCorrelation: null,
  // Going back to what ran before is not verified: a check failing then would strand the fleet.
  verification: [],
} as const satisfies Partial<Wave>;

/**
 * The plan of an automatic rollback: a new rollout to the last good commit on the clusters already
 * changed, last wave first, without soak or approval. Wave pace and offline policy are kept; the
 * failure budget becomes 100% (and failure correlation is off) so one cluster that cannot roll back does not strand the others on the
 * bad commit. Membership comes from here, not from the selectors (the plan may name `rest`
 * explicitly, so do not feed it to assignWaves).
 */
export function rollbackPlan(original: WavePlan, changedClusters: readonly ChangedCluster[]): RollbackPlan {
  const waves = effectiveWaves(original);
  const lastIndex = waves.length - 1;
  const members = new Map<number, string[]>();
  const seen = new Set<string>();
  for (const changed of changedClusters) {
    if (seen.has(changed.clusterId)) continue;
    seen.add(changed.clusterId);
    let index = waves.findIndex((wave) => wave.name === changed.wave);
    if (index < 0) index = lastIndex;
    const list = members.get(index) ?? [];
    list.push(changed.clusterId);
    members.set(index, list);
  }
  const planWaves: Wave[] = [];
  const out: { name: string; clusterIds: string[] }[] = [];
  for (let index = lastIndex; index >= 0; index--) {
    const wave = waves[index];
    const list = members.get(index);
    if (wave === undefined || list === undefined) continue;
    planWaves.push({ ...wave, ...RETURN_SETTINGS });
    out.push({ name: wave.name, clusterIds: [...list].sort() });
  }
  return {
    plan: {
      waves: planWaves,
      rest: { ...original.rest, ...RETURN_SETTINGS },
      autoRollback: false,
    },
    waves: out,
  };
}
