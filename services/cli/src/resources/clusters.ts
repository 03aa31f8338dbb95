import {
  type ClusterStatus,
  DeletionPolicy,
  type FleetctlDeregisterMutation,
  FleetctlClusterDocument,
  type FleetctlClusterFieldsFragment,
  FleetctlClustersDocument,
  FleetctlCordonDocument,
  FleetctlDeregisterDocument,
  FleetctlRemoveLabelsDocument,
  FleetctlRevokeClusterCredentialDocument,
  FleetctlSetAndRemoveLabelsDocument,
  FleetctlSetLabelsDocument,
  FleetctlUncordonDocument,
} from '@fleetwave/api-client';

import { CliError, CLI_CODES } from '../errors.js';
import { type GraphqlClient } from '../graphql/client.js';
import { readAllPages } from './paging.js';

export { CLUSTER_STATUSES } from '@fleetwave/api-client';

export type Cluster = FleetctlClusterFieldsFragment;

export async function listClusters(
  client: GraphqlClient,
  filter: { selector?: string; status?: ClusterStatus },
): Promise<Cluster[]> {
  return readAllPages(
    async (after, first) =>
      (
        await client.request(FleetctlClustersDocument, {
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
  const { cluster } = await client.request(FleetctlClusterDocument, { name });
  if (cluster === null) throw new CliError(`cluster "${name}" not found`, CLI_CODES.notFound);
  return cluster;
}

/** Sets and removes labels in one request (the mutations run in order). */
export async function labelCluster(
  client: GraphqlClient,
  name: string,
  changes: { set: Record<string, string>; remove: string[] },
): Promise<Cluster> {
  const { set: labels, remove: keys } = changes;
  if (keys.length === 0) return (await client.request(FleetctlSetLabelsDocument, { name, labels })).set;
  if (Object.keys(labels).length === 0) {
    return (await client.request(FleetctlRemoveLabelsDocument, { name, keys })).removed;
  }
  return (await client.request(FleetctlSetAndRemoveLabelsDocument, { name, labels, keys })).removed;
}

export async function setCordoned(client: GraphqlClient, name: string, cordoned: boolean): Promise<Cluster> {
  return cordoned
    ? (await client.request(FleetctlCordonDocument, { name })).cordonCluster
    : (await client.request(FleetctlUncordonDocument, { name })).uncordonCluster;
}

export type DeregisteredCluster = FleetctlDeregisterMutation['deregisterCluster'];

/**
 * Deregistering is explicit: the cluster's agent gets withdrawals (prune, or orphan to leave the
 * objects) and the cluster goes once it confirmed them; `force` deletes it now, its objects left.
 */
export async function deregisterCluster(
  client: GraphqlClient,
  name: string,
  options: { deletionPolicy?: DeletionPolicy; force?: boolean } = {},
): Promise<DeregisteredCluster> {
  return (
    await client.request(FleetctlDeregisterDocument, {
      name,
      deletionPolicy: options.deletionPolicy ?? DeletionPolicy.Prune,
      force: options.force ?? false,
    })
  ).deregisterCluster;
}

/** Admin only: the cluster's credential and signing key stop working; the cluster stays registered. */
export async function revokeClusterCredential(client: GraphqlClient, name: string): Promise<Cluster> {
  return (await client.request(FleetctlRevokeClusterCredentialDocument, { name })).revokeClusterCredential;
}
