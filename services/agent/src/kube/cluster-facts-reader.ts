import { type ClusterFacts } from '@fleetwave/contracts';
import { nodeFacts, REGION_LABELS } from '../domain/index.js';
import { type CoreApi } from './core.js';

/** Nodes per list page: bounds the agent's memory on clusters with thousands of nodes. */
export const NODE_PAGE_SIZE = 500;

/**
 * Reads the cluster's facts: the API server's version, and from its nodes their count, region and
 * provider. Every node is listed metadata-only, page by page, keeping only its region labels (the
 * count must be exact: selectors compare it); one node is read in full for its `spec.providerID`.
 */
export async function readClusterFacts(core: CoreApi, pageSize = NODE_PAGE_SIZE): Promise<ClusterFacts> {
  const [version, sample, nodeLabels] = await Promise.all([
    core.getVersion(),
    core.listNode({ limit: 1 }),
    regionLabelsOfEveryNode(core, pageSize),
  ]);
  return {
    kubernetesVersion: version.gitVersion,
    ...nodeFacts(
      nodeLabels,
      sample.items.map((node) => node.spec?.providerID),
    ),
  };
}

async function regionLabelsOfEveryNode(core: CoreApi, pageSize: number): Promise<Record<string, string>[]> {
  const all: Record<string, string>[] = [];
  let next: string | undefined;
  do {
    const page = await core.listNodeMetadata({ limit: pageSize, continue: next });
    for (const node of page.items) {
      const labels = node.metadata?.labels ?? {};
      const kept: Record<string, string> = {};
      for (const key of REGION_LABELS) if (labels[key] !== undefined) kept[key] = labels[key];
      all.push(kept);
    }
    next = page.metadata?.continue || undefined;
  } while (next);
  return all;
}
