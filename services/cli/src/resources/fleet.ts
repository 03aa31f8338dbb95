import {
  FleetctlFleetDocument,
  type FleetctlFleetFieldsFragment,
  FleetctlFreezeFleetDocument,
  FleetctlUnfreezeFleetDocument,
} from '@fleetwave/api-client';
import { type GraphqlClient } from '../graphql/client.js';

export type Fleet = FleetctlFleetFieldsFragment;

export async function getFleet(client: GraphqlClient): Promise<Fleet> {
  return (await client.request(FleetctlFleetDocument, {})).fleet;
}

export async function freezeFleet(
  client: GraphqlClient,
  reason: string,
  until: string | null,
): Promise<Fleet> {
  return (await client.request(FleetctlFreezeFleetDocument, { reason, until })).freezeFleet;
}

export async function unfreezeFleet(client: GraphqlClient): Promise<Fleet> {
  return (await client.request(FleetctlUnfreezeFleetDocument, {})).unfreezeFleet;
}
