import { formatLabels } from '../args/labels.js';
import { type Cluster } from '../resources/clusters.js';
import { formatAge } from './age.js';
import { renderTable } from './table.js';

/** Pure: `Ready`, or `Ready,Cordoned` (like kubectl's `Ready,SchedulingDisabled`). */
export function clusterStatus(cluster: Pick<Cluster, 'status' | 'cordoned'>): string {
  return cluster.cordoned ? `${cluster.status},Cordoned` : cluster.status;
}

/** Pure: NAME STATUS VERSION NODES HEARTBEAT AGE LABELS. */
export function clustersTable(clusters: readonly Cluster[], now: Date): string {
  return renderTable(
    ['name', 'status', 'version', 'nodes', 'heartbeat', 'age', 'labels'],
    clusters.map((c) => [
      c.name,
      clusterStatus(c),
      c.facts.kubernetesVersion ?? '<unknown>',
      c.facts.nodeCount === null ? '<unknown>' : String(c.facts.nodeCount),
      c.lastHeartbeatAt ? formatAge(c.lastHeartbeatAt, now) : '<never>',
      formatAge(c.createdAt, now),
      formatLabels(c.labels),
    ]),
  );
}
