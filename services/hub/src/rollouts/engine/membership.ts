import { matchesSelector, parseSelector, type Selector } from '@fleetwave/labels';
import { effectiveWaves, type WavePlan } from './plan.js';
import { spreadOrder } from './spread.js';
import { type ClusterStatus } from './vocabulary.js';

export { type ClusterStatus };

export interface FleetCluster {
  id: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  cordoned: boolean;
  status: ClusterStatus;
}

export interface WaveMembership {
  index: number;
  name: string;
  /** Member cluster ids in assignment order: by cluster name (then id), or spread by `spreadBy`. */
  clusterIds: string[];
  clusterNames: string[];
}

export interface ExcludedCluster {
  clusterId: string;
  name: string;
  /** The wave the cluster would have joined. */
  wave: string;
  reason: 'cordoned';
}

export interface Membership {
  /** Every wave of the plan in order, then the implicit `rest` wave; waves may be empty. */
  waves: WaveMembership[];
  /** Targeted clusters left out of the rollout. */
  excluded: ExcludedCluster[];
}

/**
 * Places each targeted cluster in the first wave whose selector matches its labels, or in the
 * implicit final wave `rest`. Cordoned clusters are listed in `excluded` instead. Pure and
 * deterministic (clusters are ordered by name), so it also serves `previewRollout`.
 * Throws SelectorError if a selector does not parse (validatePlan rejects such plans first).
 */
export function assignWaves(
  plan: WavePlan,
  clusters: readonly FleetCluster[],
  targetSelector: Selector | string,
): Membership {
  const target = typeof targetSelector === 'string' ? parseSelector(targetSelector) : targetSelector;
  const waves = effectiveWaves(plan);
  const selectors = waves.map((wave) => parseSelector(wave.selector));
  const restIndex = waves.length - 1;
  const result: WaveMembership[] = waves.map((wave, index) => ({
    index,
    name: wave.name,
    clusterIds: [],
    clusterNames: [],
  }));
  const excluded: ExcludedCluster[] = [];
  const members: FleetCluster[][] = waves.map(() => []);
  const ordered = [...clusters].sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id));
  for (const cluster of ordered) {
    if (!matchesSelector(target, cluster.labels)) continue;
    let index = selectors.findIndex(
      (selector, i) => i < restIndex && matchesSelector(selector, cluster.labels),
    );
    if (index < 0) index = restIndex;
    const wave = result[index];
    if (wave === undefined) continue;
    if (cluster.cordoned) {
      excluded.push({ clusterId: cluster.id, name: cluster.name, wave: wave.name, reason: 'cordoned' });
      continue;
    }
    members[index]!.push(cluster);
  }
  for (const wave of result) {
    const key = waves[wave.index]?.spreadBy;
    const list = members[wave.index]!;
    const ordered = key === undefined ? list : spreadOrder(list, (c) => c.labels[key]);
    wave.clusterIds = ordered.map((c) => c.id);
    wave.clusterNames = ordered.map((c) => c.name);
  }
  return { waves: result, excluded };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
