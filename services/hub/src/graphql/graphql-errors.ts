import { randomUUID } from 'node:crypto';
import { type ExecutionResult, type GraphQLFormattedError, GraphQLError } from 'graphql';
import { type Logger } from 'pino';
import { DomainError } from '../common/domain-error.js';
import { INTERNAL_ERROR } from '../common/error-mapping.js';

/**
 * Every GraphQL error the hub sends carries one of these in `extensions.code`. Domain codes come
 * from DomainError; the rest describe requests that were refused before anything ran.
 */
export const REQUEST_ERROR_CODES = {
  parseFailed: 'GRAPHQL_PARSE_FAILED',
  validationFailed: 'GRAPHQL_VALIDATION_FAILED',
  tooDeep: 'QUERY_TOO_DEEP',
  tooComplex: 'QUERY_TOO_COMPLEX',
  badRequest: 'BAD_REQUEST',
} as const;

const REQUEST_CODES = new Set<string>(Object.values(REQUEST_ERROR_CODES));

/**
 * The one place where errors become GraphQL errors: a stable `extensions.code`, the domain message,
 * and for anything unexpected only `internal error (id …)` with the details logged under that id —
 * never a stack trace, SQL or a secret.
 */
export function toCodedErrors(error: unknown, logger: Logger): GraphQLFormattedError[] {
  const original = error instanceof GraphQLError ? error.originalError : error;
  // Mercurius wraps all validation errors of a request in one error carrying the list.
  const nested = (original as { errors?: unknown } | null | undefined)?.errors;
  if (Array.isArray(nested) && nested.length > 0 && !(original instanceof DomainError)) {
    return nested.flatMap((inner) => toCodedErrors(inner, logger));
  }
  const [code, message] = classify(error, original, logger);
  const located = error instanceof GraphQLError ? error : undefined;
  return [
    {
      message,
      ...(located?.locations ? { locations: located.locations } : {}),
      ...(located?.path ? { path: located.path } : {}),
      extensions: { code, ...extraExtensions(located, code) },
    },
  ];
}

function classify(error: unknown, original: unknown, logger: Logger): [code: string, message: string] {
  if (original instanceof DomainError) return [original.code, original.message];
  if (error instanceof GraphQLError) {
    const code = error.extensions['code'];
    if (typeof code === 'string' && REQUEST_CODES.has(code)) return [code, error.message];
    if ((original as { code?: unknown } | undefined)?.code === 'MER_ERR_GQL_QUERY_DEPTH') {
      return [REQUEST_ERROR_CODES.tooDeep, error.message];
    }
    // No path: the request itself was refused (syntax, validation, variable values), nothing ran.
    if (
      !error.path &&
      (original === undefined || original instanceof GraphQLError || original instanceof TypeError)
    ) {
      const parse = error.message.startsWith('Syntax Error');
      return [parse ? REQUEST_ERROR_CODES.parseFailed : REQUEST_ERROR_CODES.validationFailed, error.message];
    }
  }
  // Transport problems (a GET mutation, a body that is not JSON) carry a 4xx status of their own.
  const status = (original as { statusCode?: unknown } | null | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500 && original instanceof Error) {
    return [REQUEST_ERROR_CODES.badRequest, original.message];
  }
  const errorId = randomUUID();
  const cause = original instanceof Error ? original : error;
  logger.error(
    {
      errorId,
      err:
        cause instanceof Error
          ? { type: cause.name, message: cause.message, stack: cause.stack }
          : String(cause),
      path: error instanceof GraphQLError ? error.path : undefined,
    },
    'unhandled GraphQL error',
  );
  return [INTERNAL_ERROR, `internal error (id ${errorId})`];
}

/** Keeps the numbers a client needs to fix a refused query (e.g. cost and limit); nothing else. */
function extraExtensions(error: GraphQLError | undefined, code: string): Record<string, unknown> {
  if (!error || (code !== REQUEST_ERROR_CODES.tooComplex && code !== REQUEST_ERROR_CODES.tooDeep)) return {};
  const { code: _code, ...rest } = error.extensions;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => typeof value === 'number'));
}

/** Throws a GraphQLError already in the hub's shape (for paths that bypass the formatter, e.g. WebSocket). */
export function codedGraphQLError(error: unknown, logger: Logger): GraphQLError {
  const [first] = toCodedErrors(error, logger);
  return new GraphQLError(first?.message ?? 'internal error', {
    extensions: first?.extensions ?? { code: INTERNAL_ERROR },
  });
}

/** Mercurius errorFormatter: 400 when the request was refused before execution, else 200 per GraphQL over HTTP. */
export function createErrorFormatter(logger: Logger) {
  return (execution: ExecutionResult & { errors: readonly GraphQLError[] }) => {
    const errors = execution.errors.flatMap((error) => toCodedErrors(error, logger));
    const refused =
      !execution.data &&
      errors.length > 0 &&
      errors.every((e) => REQUEST_CODES.has(String(e.extensions?.['code'])));
    return {
      statusCode: refused ? 400 : 200,
      response: { data: execution.data ?? null, errors } as unknown as ExecutionResult,
    };
  };
}
