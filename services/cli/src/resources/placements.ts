import { FleetctlStatusDocument, type FleetctlPlacementFieldsFragment } from '@fleetwave/api-client';
import { type GraphqlClient } from '../graphql/client.js';
import { readAllPages } from './paging.js';

/** One (cluster, application) pair of the fleet status matrix. */
export type Placement = FleetctlPlacementFieldsFragment;

const PAGE_SIZE = 500;

export async function listPlacements(
  client: GraphqlClient,
  filter: { application?: string; selector?: string; drifted?: boolean },
): Promise<Placement[]> {
  return readAllPages(
    async (after, first) =>
      (
        await client.request(FleetctlStatusDocument, {
          filter: {
            application: filter.application ?? null,
            clusterSelector: filter.selector ?? null,
            drifted: filter.drifted ? true : null,
          },
          first,
          after,
        })
      ).placements,
    PAGE_SIZE,
  );
}
