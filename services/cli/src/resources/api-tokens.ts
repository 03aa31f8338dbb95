import {
  type FleetctlApiTokenFieldsFragment,
  FleetctlApiTokensDocument,
  FleetctlCreateApiTokenDocument,
  type FleetctlCreateApiTokenMutation,
  FleetctlRevokeApiTokenDocument,
  type Role,
} from '@fleetwave/api-client';
import { type GraphqlClient } from '../graphql/client.js';

export type ApiToken = FleetctlApiTokenFieldsFragment;

export async function listApiTokens(client: GraphqlClient): Promise<ApiToken[]> {
  return (await client.request(FleetctlApiTokensDocument, {})).apiTokens;
}

export async function createApiToken(
  client: GraphqlClient,
  input: { name: string; role: Role; project?: string; expiresIn?: number },
): Promise<FleetctlCreateApiTokenMutation['createApiToken']> {
  return (await client.request(FleetctlCreateApiTokenDocument, input)).createApiToken;
}

export async function revokeApiToken(client: GraphqlClient, id: string): Promise<ApiToken> {
  return (await client.request(FleetctlRevokeApiTokenDocument, { id })).revokeApiToken;
}
