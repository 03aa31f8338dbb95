import { type GraphqlClient } from '../graphql/client.js';

export interface RegistrationToken {
  id: string;
  description: string;
  defaultLabels: Record<string, string>;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

const TOKEN_FIELDS = 'id description defaultLabels expiresAt maxUses uses revokedAt createdBy createdAt';

const LIST = `query RegistrationTokens { registrationTokens { ${TOKEN_FIELDS} } }`;
const CREATE = `mutation CreateRegistrationToken($input: CreateRegistrationTokenInput!) {
  createRegistrationToken(input: $input) { secret token { ${TOKEN_FIELDS} } }
}`;
const REVOKE = `mutation RevokeRegistrationToken($id: ID!) { revokeRegistrationToken(id: $id) { ${TOKEN_FIELDS} } }`;

export interface CreateTokenInput {
  description?: string;
  maxUses?: number;
  expiresAt?: string;
  defaultLabels?: Record<string, string>;
}

export async function listTokens(client: GraphqlClient): Promise<RegistrationToken[]> {
  return (await client.request<{ registrationTokens: RegistrationToken[] }>(LIST)).registrationTokens;
}

export async function createToken(
  client: GraphqlClient,
  input: CreateTokenInput,
): Promise<{ secret: string; token: RegistrationToken }> {
  return (
    await client.request<{ createRegistrationToken: { secret: string; token: RegistrationToken } }>(CREATE, {
      input,
    })
  ).createRegistrationToken;
}

export async function revokeToken(client: GraphqlClient, id: string): Promise<RegistrationToken> {
  return (await client.request<{ revokeRegistrationToken: RegistrationToken }>(REVOKE, { id }))
    .revokeRegistrationToken;
}
