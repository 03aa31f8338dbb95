import { type RouteOptions } from 'fastify';
import { type DocumentNode, getOperationAST, type GraphQLSchema } from 'graphql';
import { type Histogram } from 'prom-client';
import { type SqlStatementCounter, type StatementScope } from '../database/sql-statements.js';

/** Operation names are the client's to choose: beyond this many, the rest share one label. */
const MAX_OPERATION_LABELS = 100;

type Handler = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Counts the SQL statements of every GraphQL request over HTTP into a histogram labelled with the
 * operation name: the API token lookup, the resolvers and their DataLoader batches. The route
 * handlers themselves are wrapped (hooks would be too late: mercurius authenticates inside the
 * handler, in the context function), and the count is observed before the response goes out, so a
 * client that reads /metrics after its answer sees its request counted.
 */
export class StatementMetering {
  private readonly labels = new Set<string>();

  constructor(
    private readonly counter: SqlStatementCounter,
    private readonly histogram: Histogram<'operation'>,
  ) {}

  /** A Fastify onRoute hook: meters the handlers of the routes at `path` (GET and POST). */
  routeHook(path: string): (route: RouteOptions) => void {
    const measure = (work: () => unknown) => this.measure(work);
    return (route) => {
      if (route.url !== path || typeof route.handler !== 'function') return;
      const handler = route.handler as unknown as Handler;
      // A function, not an arrow: Fastify calls handlers with the instance as `this`.
      const metered: Handler = function (this: unknown, ...args) {
        return measure(() => handler.apply(this, args));
      };
      route.handler = metered as unknown as RouteOptions['handler'];
    };
  }

  /** A mercurius preExecution hook: names the request's count after the operation it executes. */
  readonly preExecution = (_schema: GraphQLSchema, document: DocumentNode, context: unknown): void => {
    this.executes(document, requestedOperation(context));
  };

  /** Names the request's count after the operation it executes (or is answered from memory for). */
  readonly executes = (document: DocumentNode, operationName: string | undefined): void => {
    const scope = this.counter.current();
    if (scope) scope.name = getOperationAST(document, operationName)?.name?.value ?? 'anonymous';
  };

  private async measure(work: () => unknown): Promise<unknown> {
    const scope: StatementScope = { statements: 0 };
    return this.counter.within(scope, async () => {
      try {
        return await work();
      } finally {
        this.histogram.observe({ operation: this.label(scope.name) }, scope.statements);
      }
    });
  }

  private label(name: string | undefined): string {
    // Nothing executed: the document did not parse or validate (only auth can have run).
    if (name === undefined) return 'unexecuted';
    if (this.labels.has(name)) return name;
    if (this.labels.size >= MAX_OPERATION_LABELS) return 'other';
    this.labels.add(name);
    return name;
  }
}

/** `operationName` of the HTTP request behind a mercurius context (POST body or GET query). */
function requestedOperation(context: unknown): string | undefined {
  const request = (context as { reply?: { request?: { body?: unknown; query?: unknown } } }).reply?.request;
  for (const source of [request?.body, request?.query]) {
    const name = (source as { operationName?: unknown } | undefined)?.operationName;
    if (typeof name === 'string' && name !== '') return name;
  }
  return undefined;
}
