import { createHash } from 'node:crypto';
import { type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import { type DocumentNode, parse } from 'graphql';
import { type Counter } from 'prom-client';
import { type Clock } from '../common/clock.js';
import { type ReadStamp, stampNow } from '../common/read-cache.js';
import { type AuthState } from '../common/roles.js';
import { type CacheableFields, type CacheableRead } from './cacheable-fields.js';
import { type GraphqlAuthenticator } from './graphql-authenticator.js';
import { type GraphqlContext } from './graphql-context.js';
import {
  cacheableRoot,
  responseKey,
  ResponseStore,
  rootArguments,
  type StoredResponse,
} from './response-cache.js';

/** Answers kept per scope (a rollout): callers × queries × variables polling it. */
const MAX_PER_SCOPE = 16;
/** Bytes of answers kept in all (~64 MB: two hundred 300 KB rollout answers). */
const MAX_BYTES = 64 * 1024 * 1024;
/** Parsed documents kept (by their text), and the longest text parsed for this. */
const MAX_DOCUMENTS = 256;
const MAX_QUERY_CHARS = 64 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

/** What the wrapper found out about a request before the normal path runs. */
const PREPARED = Symbol('graphqlResponseCaching');
interface Prepared {
  auth: AuthState;
  read?: CacheableRead;
}
type PreparedRequest = FastifyRequest & { [PREPARED]?: Prepared };

interface Plan {
  scope: string;
  key: string;
  version: string;
  document: DocumentNode;
  operationName: string | undefined;
}

type Handler = (this: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

export interface ResponseCachingOptions {
  /** HUB_READ_CACHE_MS: the staleness bound; 0 turns caching off. */
  maxAgeMs: number;
  clock: Clock;
  /** Counts hits, misses (computed and kept) and passes (the normal path, nothing kept). */
  results?: Counter<'result'>;
  /** Told of each operation answered from memory (statement metering names the request after it). */
  served?: (document: DocumentNode, operationName: string | undefined) => void;
  monotonic?: () => number;
}

/**
 * Serves an unchanged answer of a cacheable root field (cacheable-fields.ts) from memory.
 *
 * The GraphQL route handlers (GET and POST) are wrapped. For a query of one registered root field,
 * the caller is authenticated and the field's `read` run on every request — it reads what the
 * resolver reads and authorizes the caller on it — before anything is looked up; then the answer
 * kept for the same document, operation, variables and caller (response-cache.ts: `responseKey`) at
 * the same version, within HUB_READ_CACHE_MS, is sent as it was serialised, with its ETag (an
 * `If-None-Match` naming it gets 304). Otherwise the normal path runs, reusing the authentication
 * and what `read` read (graphqlOptions' context), and an answer without errors is kept.
 */
export class ResponseCaching {
  private readonly store: ResponseStore;
  private readonly documents = new Map<string, DocumentNode | null>();
  /** Answers being computed, by scope, key and version (removed when settled). */
  private readonly inFlight = new Map<string, Promise<StoredResponse | null>>();
  private readonly monotonic: () => number;

  constructor(
    private readonly fields: CacheableFields,
    private readonly auth: GraphqlAuthenticator,
    private readonly options: ResponseCachingOptions,
  ) {
    this.store = new ResponseStore({
      maxAgeMs: options.maxAgeMs,
      maxBytes: MAX_BYTES,
      maxPerScope: MAX_PER_SCOPE,
    });
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  /** A Fastify onRoute hook: wraps the handlers of the routes at `path` (GET and POST). */
  routeHook(path: string): (route: RouteOptions) => void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- Fastify calls handlers with its own `this`.
    const caching = this;
    return (route) => {
      if (route.url !== path || typeof route.handler !== 'function') return;
      const handler = route.handler as unknown as Handler;
      // A function, not an arrow: Fastify calls handlers with the instance as `this`.
      const cached: Handler = function (this: unknown, request, reply) {
        return caching.handle(request, reply, () => handler.call(this, request, reply));
      };
      route.handler = cached as unknown as RouteOptions['handler'];
    };
  }

  /** The GraphQL context of a request: the authentication (and reads) done here are not done again. */
  async context(request: FastifyRequest): Promise<GraphqlContext> {
    const prepared = (request as PreparedRequest)[PREPARED];
    if (prepared === undefined) return { auth: await this.auth.authenticate(request.headers.authorization) };
    const context: GraphqlContext = { auth: prepared.auth };
    prepared.read?.prepare?.(context);
    return context;
  }

  private async handle(
    request: FastifyRequest,
    reply: FastifyReply,
    normal: () => unknown,
  ): Promise<unknown> {
    const plan = await this.plan(request as PreparedRequest);
    if (plan === null) {
      this.options.results?.inc({ result: 'pass' });
      return normal();
    }
    const kept = this.store.get(plan.scope, plan.key, this.stamp(plan.version));
    if (kept !== undefined) {
      this.options.results?.inc({ result: 'hit' });
      this.options.served?.(plan.document, plan.operationName);
      return send(request, reply, kept);
    }
    // Concurrent requests for the same answer (already authorized each) share one computation.
    const flight = `${plan.scope}\u0000${plan.key}\u0000${plan.version}`;
    const shared = this.inFlight.get(flight);
    if (shared !== undefined) {
      const response = await shared;
      if (response !== null) {
        this.options.results?.inc({ result: 'hit' });
        this.options.served?.(plan.document, plan.operationName);
        return send(request, reply, response);
      }
      // The shared computation kept nothing (errors): this request goes the normal path itself.
    }
    let settle: (response: StoredResponse | null) => void = () => undefined;
    if (shared === undefined) {
      this.inFlight.set(
        flight,
        new Promise((resolve) => {
          settle = resolve;
        }),
      );
    }
    const made = this.stamp(plan.version);
    let response: StoredResponse | null = null;
    try {
      const result = await normal();
      if (reply.sent || reply.statusCode !== 200 || !answered(result)) {
        this.options.results?.inc({ result: 'pass' });
        return result;
      }
      const body = Buffer.from(JSON.stringify(result));
      response = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      this.store.put(plan.scope, plan.key, made, response);
      this.options.results?.inc({ result: 'miss' });
      return send(request, reply, response);
    } finally {
      if (shared === undefined) {
        this.inFlight.delete(flight);
        settle(response);
      }
    }
  }

  /** The scope, key and version of a cacheable request, its caller authorized; null: the normal path. */
  private async plan(request: PreparedRequest): Promise<Plan | null> {
    if (this.options.maxAgeMs <= 0 || request.validationError) return null;
    const source = (request.method === 'GET' ? request.query : request.body) as unknown;
    if (typeof source !== 'object' || source === null || Array.isArray(source)) return null;
    const { query, operationName, variables: given } = source as Record<string, unknown>;
    if (typeof query !== 'string' || (operationName !== undefined && typeof operationName !== 'string'))
      return null;
    const variables = variablesOf(given);
    if (variables === null) return null;
    const document = this.document(query);
    const root = document && cacheableRoot(document, operationName ?? undefined);
    const field = root ? this.fields.get(root.name) : undefined;
    if (!root || field === undefined) return null;
    const auth = await this.auth.authenticate(request.headers.authorization);
    request[PREPARED] = { auth };
    if (!auth.actor) return null;
    let read: CacheableRead | null;
    try {
      read = await field.read(rootArguments(root, variables), auth.actor);
    } catch {
      // The normal path meets the same failure and answers it as usual.
      return null;
    }
    if (read === null) return null;
    request[PREPARED] = { auth, read };
    const key = responseKey({
      query,
      operationName: operationName ?? undefined,
      variables,
      caller: auth.actor,
    });
    return {
      scope: read.scope,
      key,
      version: read.version,
      document,
      operationName: operationName ?? undefined,
    };
  }

  private document(query: string): DocumentNode | null {
    if (query.length > MAX_QUERY_CHARS) return null;
    let document = this.documents.get(query);
    if (document !== undefined) return document;
    try {
      document = parse(query);
    } catch {
      document = null;
    }
    if (this.documents.size >= MAX_DOCUMENTS) this.documents.delete(this.documents.keys().next().value!);
    this.documents.set(query, document);
    return document;
  }

  private stamp(version: string): ReadStamp {
    return stampNow(version, this.monotonic, this.options.clock);
  }
}

/** Variables as sent: a JSON object (POST) or its text (GET); undefined when absent, null when malformed. */
function variablesOf(given: unknown): Record<string, unknown> | undefined | null {
  if (given === undefined || given === null || given === '') return undefined;
  let value: unknown = given;
  if (typeof given === 'string') {
    try {
      value = JSON.parse(given) as unknown;
    } catch {
      return null;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A result with data and no errors (errors are never kept: they may be transient). */
function answered(result: unknown): boolean {
  return (
    typeof result === 'object' &&
    result !== null &&
    'data' in result &&
    (result as { errors?: unknown }).errors === undefined
  );
}

function send(request: FastifyRequest, reply: FastifyReply, response: StoredResponse): Buffer | string {
  void reply.header('content-type', JSON_TYPE).header('etag', response.etag);
  if (matches(request.headers['if-none-match'], response.etag)) {
    void reply.code(304);
    return '';
  }
  return response.body;
}

function matches(header: string | undefined, etag: string): boolean {
  return header !== undefined && header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
