import { randomUUID } from 'node:crypto';
import { type ClusterFacts, type RegisterResponse } from '@fleetwave/contracts';
import { type GraphqlResponse, postGraphql } from '../../harness/graphql-client.js';
import { registerAgent } from '../../harness/sim-agent.js';
import { TEST_ADMIN_TOKEN, type TestHub } from './hub.js';

/** POST /graphql with a bearer token (the bootstrap admin's unless given; null for an anonymous request). */
export function gql<T = Record<string, unknown>>(
  hub: TestHub,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = TEST_ADMIN_TOKEN,
): Promise<GraphqlResponse<T>> {
  return postGraphql<T>(hub.url, query, variables, token);
}

/** Like gql, but fails the test with the errors when there are any. */
export async function gqlOk<T = Record<string, unknown>>(
  hub: TestHub,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null = TEST_ADMIN_TOKEN,
): Promise<T> {
  const response = await gql<T>(hub, query, variables, token);
  if (response.errors?.length || !response.data) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors ?? response.text)}`);
  }
  return response.data;
}

/** The error codes of a response, in order. */
export function codes(response: GraphqlResponse<unknown>): (string | undefined)[] {
  return (response.errors ?? []).map((e) => e.extensions?.code);
}

/** Registers a cluster as an agent does: a registration token from GraphQL, then POST /agent/v1/register. */
export async function registerCluster(
  hub: TestHub,
  name: string,
  labels: Record<string, string>,
  // None by default: facts become `fleetwave.io/` labels, which tests of other labels would see.
  facts: ClusterFacts = {},
): Promise<RegisterResponse> {
  const { createRegistrationToken } = await gqlOk<{ createRegistrationToken: { secret: string } }>(
    hub,
    `mutation { createRegistrationToken(input: { description: "test", maxUses: 1 }) { secret } }`,
  );
  return registerAgent(hub.url, {
    token: createRegistrationToken.secret,
    clusterName: name,
    kubeSystemUid: randomUUID(),
    labels,
    facts,
    agentVersion: '0.1.0',
  });
}
