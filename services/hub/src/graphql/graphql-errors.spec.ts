import { describe, expect, it, jest } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { type Logger } from 'pino';
import { DomainError } from '../common/domain-error.js';
import { codedGraphQLError, createErrorFormatter, toCodedErrors } from './graphql-errors.js';

function logger() {
  const error = jest.fn();
  return { logger: { error } as unknown as Logger, error };
}

const located = (message: string, original?: Error) =>
  new GraphQLError(message, { path: ['clusters'], originalError: original });

describe('toCodedErrors', () => {
  it('uses the DomainError code and message', () => {
    const [error] = toCodedErrors(
      located('x', new DomainError('FORBIDDEN', 'needs operator')),
      logger().logger,
    );
    expect(error).toEqual({
      message: 'needs operator',
      path: ['clusters'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('hides unexpected errors behind an id that is logged with the details', () => {
    const { logger: log, error: logged } = logger();
    const [error] = toCodedErrors(
      located('boom', new Error('password=hunter2 in SELECT * FROM secret')),
      log,
    );

    expect(error!.extensions).toEqual({ code: 'INTERNAL' });
    expect(error!.message).toMatch(/^internal error \(id [0-9a-f-]{36}\)$/);
    expect(JSON.stringify(error)).not.toContain('hunter2');
    const id = /id ([0-9a-f-]+)/.exec(error!.message)![1];
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ errorId: id }), 'unhandled GraphQL error');
  });

  it('flattens mercurius validation wrappers and codes each error', () => {
    const wrapper = Object.assign(new Error('Graphql validation error'), {
      statusCode: 400,
      errors: [
        new GraphQLError('Syntax Error: Expected Name, found <EOF>.'),
        new GraphQLError('Cannot query field "nope" on type "Query".'),
        new GraphQLError('too deep', { extensions: { code: 'QUERY_TOO_DEEP', depth: 9, maxDepth: 8 } }),
      ],
    });
    const errors = toCodedErrors(
      new GraphQLError(wrapper.message, { originalError: wrapper }),
      logger().logger,
    );

    expect(errors.map((e) => e.extensions)).toEqual([
      { code: 'GRAPHQL_PARSE_FAILED' },
      { code: 'GRAPHQL_VALIDATION_FAILED' },
      { code: 'QUERY_TOO_DEEP', depth: 9, maxDepth: 8 },
    ]);
  });

  it('codes transport refusals with a 4xx status as BAD_REQUEST', () => {
    const methodNotAllowed = Object.assign(new Error('Operation cannot be performed via a GET request'), {
      statusCode: 405,
    });
    expect(toCodedErrors(methodNotAllowed, logger().logger)[0]!.extensions).toEqual({ code: 'BAD_REQUEST' });
  });

  it('never passes through a code it did not set', () => {
    const foreign = new GraphQLError('x', {
      path: ['a'],
      extensions: { code: 'SOMETHING_ELSE', stack: 'at x.js:1' },
    });
    expect(toCodedErrors(foreign, logger().logger)[0]!.extensions).toEqual({ code: 'INTERNAL' });
  });
});

describe('createErrorFormatter', () => {
  it('answers 400 when nothing ran, 200 when execution produced errors', () => {
    const format = createErrorFormatter(logger().logger);
    const refused = format({ errors: [new GraphQLError('Syntax Error: x')] });
    const executed = format({
      data: { clusters: null },
      errors: [located('x', new DomainError('NOT_FOUND', 'no such cluster'))],
    });

    expect(refused.statusCode).toBe(400);
    expect(executed.statusCode).toBe(200);
    expect(executed.response.errors).toEqual([
      { message: 'no such cluster', path: ['clusters'], extensions: { code: 'NOT_FOUND' } },
    ]);
  });
});

describe('codedGraphQLError', () => {
  it('carries the code in extensions for paths that bypass the formatter', () => {
    const error = codedGraphQLError(new DomainError('INVALID_ARGUMENT', 'selector: bad'), logger().logger);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.toJSON()).toEqual({ message: 'selector: bad', extensions: { code: 'INVALID_ARGUMENT' } });
  });
});
