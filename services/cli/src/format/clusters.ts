import { formatLabels } from '../args/labels.js';
import { type Cluster } from '../resources/clusters.js';
import { formatAge } from './age.js';
import { renderTable } from './table.js';

/**
 * Pure: `Ready`, `Ready,Cordoned` (like kubectl's `Ready,SchedulingDisabled`), `Ready,Maintenance`
 * (no new change until its own maintenance ends; the reason is in `-o yaml`), or both; and
 * `CredentialRevoked` or `CredentialExpired` when its agent's credential no longer works.
 */
export function clusterStatus(
  cluster: Pick<Cluster, 'status' | 'cordoned' | 'maintenance'> & Partial<Pick<Cluster, 'credential'>>,
): string {
  const credential = cluster.credential?.state;
  return [
    cluster.status,
    ...(cluster.cordoned ? ['Cordoned'] : []),
    ...(cluster.maintenance ? ['Maintenance'] : []),
    ...(credential && credential !== 'Active' ? [`Credential${credential}`] : []),
  ].join(',');
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
