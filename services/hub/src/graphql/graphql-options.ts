import { type MercuriusDriverConfig } from '@nestjs/mercurius';
import { type FastifyRequest, type RouteOptions } from 'fastify';
import { type DocumentNode, type GraphQLSchema, specifiedRules, validate } from 'graphql';
import { type Logger } from 'pino';
import { type GraphqlAuthenticator } from './graphql-authenticator.js';
import { type GraphqlContext } from './graphql-context.js';
import { codedGraphQLError, createErrorFormatter } from './graphql-errors.js';
import { costLimitRule, depthLimitRule } from './query-limits.js';
import { type ResponseCaching } from './response-caching.js';
import { type StatementMetering } from './statement-metering.js';

export const GRAPHQL_PATH = '/graphql';
/** Server pings on idle subscription sockets (graphql-transport-ws `ping`), so proxies keep them open. */
const KEEP_ALIVE_MS = 25_000;

/** What HubMercuriusDriver takes besides mercurius' own options. */
export interface HubGraphqlOptions extends Omit<MercuriusDriverConfig, 'driver'> {
  /** A Fastify onRoute hook installed before mercurius adds its routes. */
  onRoute?: (route: RouteOptions) => void;
}

/**
 * Mercurius under @nestjs/graphql: code-first schema in memory, subscriptions over WebSocket on the
 * same path (graphql-transport-ws, and the legacy graphql-ws protocol for old clients).
 *
 * Auth: HTTP requests carry `Authorization: Bearer <token>`; a WebSocket carries it in the
 * connection_init payload (`{ "authorization": "Bearer <token>" }`) and is refused without a valid
 * one. Depth and cost limits apply to every operation, subscriptions included.
 */
export function graphqlOptions(
  auth: GraphqlAuthenticator,
  logger: Logger,
  metering: StatementMetering | undefined,
  caching: ResponseCaching,
): HubGraphqlOptions {
  const log = logger.child({ component: 'graphql' });
  const limits = [depthLimitRule(), costLimitRule()];
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: false,
    allowBatchedQueries: false,
    // A query's second request on runs compiled by graphql-jit: resolving a 1,000-cluster rollout
    // field by field through graphql-js was a tenth of its hub CPU (bench/README.md: GraphQL profiles).
    jit: 1,
    validationRules: limits,
    errorFormatter: createErrorFormatter(log),
    // The caller as response caching authenticated it (response-caching.ts), else authenticated here.
    context: (request: FastifyRequest): Promise<GraphqlContext> => caching.context(request),
    subscription: {
      keepAlive: KEEP_ALIVE_MS,
      // A method, not an arrow: mercurius calls it on the connection, whose socket we close with 4403.
      async onConnect(this: unknown, { payload }: { payload?: unknown }) {
        const state = await auth.authenticate(connectionAuthorization(payload));
        if (state.actor) return { auth: state } satisfies GraphqlContext;
        closeForbidden(this);
        return false;
      },
    },
    // Answers kept in memory (response-caching.ts) inside the SQL statements per request, auth
    // included (fleetwave_hub_graphql_sql_statements), if asked for: a kept answer's reads are counted.
    onRoute: routeHooks([caching.routeHook(GRAPHQL_PATH), metering?.routeHook(GRAPHQL_PATH)]),
    hooks: {
      ...(metering && { preExecution: metering.preExecution }),
      // Mercurius does not validate subscription documents itself: run the spec rules and our limits.
      preSubscriptionExecution: async (schema: GraphQLSchema, document: DocumentNode) => {
        const [first] = validate(schema, document, [...specifiedRules, ...limits]);
        if (first) throw codedGraphQLError(first, log);
      },
    },
  };
}

/** Route hooks applied in order: each wraps what the one before left. */
function routeHooks(hooks: (((route: RouteOptions) => void) | undefined)[]): (route: RouteOptions) => void {
  return (route) => {
    for (const hook of hooks) hook?.(route);
  };
}

/** `authorization` (or `Authorization`) from a connection_init payload; undefined when absent. */
export function connectionAuthorization(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const record = payload as Record<string, unknown>;
  const headers =
    typeof record['headers'] === 'object' && record['headers'] !== null ? record['headers'] : record;
  const value =
    (headers as Record<string, unknown>)['authorization'] ??
    (headers as Record<string, unknown>)['Authorization'];
  return typeof value === 'string' ? value : undefined;
}

/**
 * graphql-transport-ws says a server refusing connection_init closes the socket with 4403 Forbidden
 * (clients then stop retrying). Mercurius would send a `connection_error` message that protocol does
 * not have, so the socket is closed first; if mercurius' connection ever stops exposing it, the
 * refusal still happens, only less politely.
 */
function closeForbidden(connection: unknown): void {
  const socket = (
    connection as { socket?: { protocol?: string; close?: (code: number, reason: string) => void } }
  )?.socket;
  if (socket?.protocol === 'graphql-transport-ws' && typeof socket.close === 'function')
    socket.close(4403, 'Forbidden');
}
