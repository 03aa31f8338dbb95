import { type TypedDocumentString } from '@fleetwave/api-client';

/** The hub's GraphQL endpoint, on the origin that served the dashboard. */
export const GRAPHQL_PATH = '/graphql';

export interface GraphqlErrorBody {
  message: string;
  extensions?: { code?: string };
}

/** An error the API returned (with its stable `code`), or a transport problem (`code` NETWORK). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * POST /graphql with the bearer token. Resolves with `data`; rejects with the first error, which
 * the hub words for people ("invalid selector at position 4: …").
 */
export async function postGraphql<T, V>(
  token: string,
  document: TypedDocumentString<T, V>,
  variables: V,
  signal?: AbortSignal,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(`cannot reach the hub (${errorMessage(error)})`, 'NETWORK');
  }
  let body: { data?: T | null; errors?: GraphqlErrorBody[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`the hub answered HTTP ${response.status} without a GraphQL response`, 'NETWORK');
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code ?? 'UNKNOWN');
  if (body.data === undefined || body.data === null) {
    throw new ApiError(`the hub answered HTTP ${response.status} without data`, 'UNKNOWN');
  }
  return body.data;
}
