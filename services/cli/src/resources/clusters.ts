import { CliError, CLI_CODES } from '../errors.js';
import { type GraphqlClient } from '../graphql/client.js';
import { type Connection, readAllPages } from './paging.js';

export const CLUSTER_STATUSES = ['Pending', 'Ready', 'NotReady', 'Unknown', 'Offline'] as const;

export interface Cluster {
  id: string;
  name: string;
  labels: Record<string, string>;
  status: string;
  cordoned: boolean;
  agentVersion: string | null;
  lastHeartbeatAt: string | null;
  createdAt: string;
  facts: {
    kubernetesVersion: string | null;
    nodeCount: number | null;
    provider: string | null;
    region: string | null;
  };
}

const CLUSTER_FIELDS = `id name labels status cordoned agentVersion lastHeartbeatAt createdAt
  facts { kubernetesVersion nodeCount provider region }`;

const LIST = `query Clusters($selector: String, $status: ClusterStatus, $first: Int, $after: String) {
  clusters(selector: $selector, status: $status, first: $first, after: $after) {
    edges { node { ${CLUSTER_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const GET = `query Cluster($name: String!) { cluster(name: $name) { ${CLUSTER_FIELDS} } }`;

const CORDON = `mutation Cordon($name: String!) { cordonCluster(name: $name) { ${CLUSTER_FIELDS} } }`;
const UNCORDON = `mutation Uncordon($name: String!) { uncordonCluster(name: $name) { ${CLUSTER_FIELDS} } }`;
const DEREGISTER = `mutation Deregister($name: String!) { deregisterCluster(name: $name) { ${CLUSTER_FIELDS} } }`;

export async function listClusters(
  client: GraphqlClient,
  filter: { selector?: string; status?: string },
): Promise<Cluster[]> {
  return readAllPages(
    async (after, first) =>
      (
        await client.request<{ clusters: Connection<Cluster> }>(LIST, {
          selector: filter.selector ?? null,
          status: filter.status ?? null,
          first,
          after,
        })
      ).clusters,
    500,
  );
}

export async function getCluster(client: GraphqlClient, name: string): Promise<Cluster> {
  const { cluster } = await client.request<{ cluster: Cluster | null }>(GET, { name });
  if (cluster === null) throw new CliError(`cluster "${name}" not found`, CLI_CODES.notFound);
  return cluster;
}

/** Sets and removes labels in one request (the mutations run in order). */
export async function labelCluster(
  client: GraphqlClient,
  name: string,
  changes: { set: Record<string, string>; remove: string[] },
): Promise<Cluster> {
  const hasSet = Object.keys(changes.set).length > 0;
  const hasRemove = changes.remove.length > 0;
  const variables: string[] = ['$name: String!'];
  const fields: string[] = [];
  if (hasSet) {
    variables.push('$labels: Labels!');
    fields.push(`set: setClusterLabels(name: $name, labels: $labels) { ${CLUSTER_FIELDS} }`);
  }
  if (hasRemove) {
    variables.push('$keys: [String!]!');
    fields.push(`removed: removeClusterLabels(name: $name, keys: $keys) { ${CLUSTER_FIELDS} }`);
  }
  const data = await client.request<{ set?: Cluster; removed?: Cluster }>(
    `mutation Label(${variables.join(', ')}) { ${fields.join(' ')} }`,
    { name, ...(hasSet ? { labels: changes.set } : {}), ...(hasRemove ? { keys: changes.remove } : {}) },
  );
  return (data.removed ?? data.set)!;
}

export async function setCordoned(client: GraphqlClient, name: string, cordoned: boolean): Promise<Cluster> {
  const data = await client.request<{ cordonCluster?: Cluster; uncordonCluster?: Cluster }>(
    cordoned ? CORDON : UNCORDON,
    { name },
  );
  return (data.cordonCluster ?? data.uncordonCluster)!;
}

export async function deregisterCluster(client: GraphqlClient, name: string): Promise<Cluster> {
  return (await client.request<{ deregisterCluster: Cluster }>(DEREGISTER, { name })).deregisterCluster;
}
