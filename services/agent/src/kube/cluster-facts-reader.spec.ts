import { describe, expect, it } from '@jest/globals';
import { readClusterFacts } from './cluster-facts-reader.js';
import { type CoreApi, type ListNodeArgs, type Node, type NodeList } from './core.js';

const region = (name: string): Node => ({
  metadata: { name, labels: { 'topology.kubernetes.io/region': 'eu-west-1', 'kubernetes.io/os': 'linux' } },
});

/** An API server with `nodes`, answering lists in pages as kube-apiserver does; `calls` records them. */
function fakeCore(nodes: Node[]): { core: CoreApi; calls: string[] } {
  const calls: string[] = [];
  const page = (what: string, args: ListNodeArgs, item: (node: Node) => Node): NodeList => {
    calls.push(`${what} limit=${args.limit} continue=${args.continue ?? ''}`);
    const start = Number(args.continue ?? 0);
    const end = start + (args.limit ?? nodes.length);
    return {
      items: nodes.slice(start, end).map(item),
      metadata: end < nodes.length ? { continue: String(end) } : {},
    };
  };
  const core = {
    getVersion: async () => ({ gitVersion: 'v1.34.2' }),
    listNode: async (args: ListNodeArgs) => page('full', args, (node) => node),
    // What a PartialObjectMetadataList holds: no spec.
    listNodeMetadata: async (args: ListNodeArgs) =>
      page('metadata', args, (node) => ({ metadata: node.metadata })),
  };
  return { core: core as unknown as CoreApi, calls };
}

describe('readClusterFacts', () => {
  it('counts every node across pages, reads regions from metadata and the provider from one full node', async () => {
    const nodes = Array.from({ length: 5 }, (_, i) => ({
      ...region(`n${i}`),
      spec: { providerID: `aws:///eu-west-1a/i-${i}` },
    }));
    const { core, calls } = fakeCore(nodes);

    const facts = await readClusterFacts(core, 2);

    expect(facts).toEqual({
      kubernetesVersion: 'v1.34.2',
      nodeCount: 5,
      provider: 'aws',
      region: 'eu-west-1',
    });
    expect(calls).toEqual([
      'full limit=1 continue=',
      'metadata limit=2 continue=',
      'metadata limit=2 continue=2',
      'metadata limit=2 continue=4',
    ]);
  });

  it('reports a cluster without nodes as zero nodes and no provider or region', async () => {
    expect(await readClusterFacts(fakeCore([]).core)).toEqual({ kubernetesVersion: 'v1.34.2', nodeCount: 0 });
  });
});
