/** A GraphQL-over-HTTP client for scripts and benchmarks: throws on any GraphQL error. */
export type GraphqlClient = <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function graphqlClient(url: string | (() => string), token: string): GraphqlClient {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const base = typeof url === 'string' ? url : url();
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data as T;
  };
}
