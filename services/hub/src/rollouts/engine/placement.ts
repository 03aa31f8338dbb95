import { matchesSelector, parseSelector, type Selector } from '@fleetwave/labels';
import { type FleetCluster } from './membership.js';

/**
 * The clusters an application is placed on: those its target selector matches, cordoned ones left
 * out (a cordoned cluster keeps what it runs but gets nothing new). Ids ordered by cluster name.
 */
export function placementsFor(target: Selector | string, clusters: readonly FleetCluster[]): string[] {
  const selector = typeof target === 'string' ? parseSelector(target) : target;
  return clusters
    .filter((cluster) => !cluster.cordoned && matchesSelector(selector, cluster.labels))
    .sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id))
    .map((cluster) => cluster.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
