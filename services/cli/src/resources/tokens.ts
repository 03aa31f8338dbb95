import {
  type CreateRegistrationTokenInput,
  FleetctlCreateRegistrationTokenDocument,
  type FleetctlCreateRegistrationTokenMutation,
  type FleetctlRegistrationTokenFieldsFragment,
  FleetctlRegistrationTokensDocument,
  FleetctlRevokeRegistrationTokenDocument,
} from '@fleetwave/api-client';
import { type GraphqlClient } from '../graphql/client.js';

export type RegistrationToken = FleetctlRegistrationTokenFieldsFragment;
export type CreateTokenInput = CreateRegistrationTokenInput;

export async function listTokens(client: GraphqlClient): Promise<RegistrationToken[]> {
  return (await client.request(FleetctlRegistrationTokensDocument, {})).registrationTokens;
}

export async function createToken(
  client: GraphqlClient,
  input: CreateTokenInput,
): Promise<FleetctlCreateRegistrationTokenMutation['createRegistrationToken']> {
  return (await client.request(FleetctlCreateRegistrationTokenDocument, { input })).createRegistrationToken;
}

export async function revokeToken(client: GraphqlClient, id: string): Promise<RegistrationToken> {
  return (await client.request(FleetctlRevokeRegistrationTokenDocument, { id })).revokeRegistrationToken;
}
