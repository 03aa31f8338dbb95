export interface GraphqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string } & Record<string, unknown>;
}

export interface GraphqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null | undefined;
  errors: GraphqlError[] | undefined;
  /** The raw response text, to assert what is never in it (secrets, hashes). */
  text: string;
}

/** POST `<baseUrl>/graphql` with a bearer token (null: an anonymous request); errors are returned. */
export async function postGraphql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token: string | null,
): Promise<GraphqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(new URL('/graphql', baseUrl), {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: T | null; errors?: GraphqlError[] };
  return { status: response.status, data: body.data, errors: body.errors, text };
}

/** A GraphQL-over-HTTP client for scripts, benchmarks and tests that expect success: throws on any error. */
export type GraphqlClient = <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function graphqlClient(url: string | (() => string), token: string): GraphqlClient {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await postGraphql<T>(typeof url === 'string' ? url : url(), query, variables, token);
    if (response.status !== 200 || response.errors?.length || response.data == null) {
      const why = response.errors?.map((e) => e.message).join('; ') ?? response.text;
      throw new Error(`GraphQL ${response.status}: ${why}`);
    }
    return response.data;
  };
}
