import { sameLabels } from '../clusters/clusters.service.js';
import { withFactLabels } from '../clusters/fact-labels.js';
import { type ClusterUpdate } from './report-fold.js';

export interface ClusterLabels {
  name: string;
  labels: Record<string, string>;
}

export interface LabelChange {
  clusterId: string;
  name: string;
  before: Record<string, string>;
  after: Record<string, string>;
}

/**
 * The label changes a batch's facts make: for each cluster whose reports carried facts, its labels
 * with the fact labels replaced. Only real changes: agents report facts on every heartbeat, and an
 * unchanged cluster must cost neither a write nor an audit event.
 */
export function factLabelChanges(
  current: ReadonlyMap<string, ClusterLabels>,
  updates: readonly ClusterUpdate[],
): LabelChange[] {
  const changes: LabelChange[] = [];
  for (const update of updates) {
    const cluster = current.get(update.clusterId);
    if (!update.facts || !cluster) continue;
    const after = withFactLabels(cluster.labels, update.facts);
    if (!sameLabels(cluster.labels, after)) {
      changes.push({ clusterId: update.clusterId, name: cluster.name, before: cluster.labels, after });
    }
  }
  return changes;
}
