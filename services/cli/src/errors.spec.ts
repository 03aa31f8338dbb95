import { describe, expect, it } from '@jest/globals';
import { CommanderError } from 'commander';
import {
  ApiError,
  CliError,
  EXIT,
  exitCodeFor,
  formatError,
  UnavailableError,
  usageError,
} from './errors.js';
import { exitCodeForState, rolloutOutcomeError } from './rollouts/outcome.js';

describe('exitCodeFor', () => {
  it.each([
    ['an API error', new ApiError('rollout is Succeeded', 'FAILED_PRECONDITION'), 1],
    ['a usage error', usageError('bad label'), 1],
    ['an unreachable hub', new UnavailableError('cannot reach the hub at http://h/graphql'), 1],
    ['a wait timeout', new CliError('timed out', 'DEADLINE_EXCEEDED', EXIT.timeout), 2],
    ['help', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), 0],
    ['an unknown option', new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), 1],
    ['a bug', new TypeError('x is undefined'), 1],
    ['something thrown that is not an error', 'oops', 1],
  ])('%s → %d', (_case, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });
});

describe('formatError', () => {
  it.each([
    [
      new ApiError('rollout is Succeeded; only a running rollout can be paused', 'FAILED_PRECONDITION'),
      'error: rollout is Succeeded; only a running rollout can be paused (FAILED_PRECONDITION)\n',
    ],
    [
      new ApiError('line one\n  line two', 'INVALID_ARGUMENT'),
      'error: line one line two (INVALID_ARGUMENT)\n',
    ],
    [new TypeError('boom'), 'error: boom (INTERNAL)\n'],
  ])('%#: one line with the code', (error, expected) => {
    expect(formatError(error)).toBe(expected);
  });

  it('adds the stack and causes only with --debug', () => {
    const error = new UnavailableError('cannot reach the hub', { cause: new Error('connect ECONNREFUSED') });
    expect(formatError(error)).not.toContain('    at ');
    const debug = formatError(error, true);
    expect(debug.split('\n')[0]).toBe('error: cannot reach the hub (UNAVAILABLE)');
    expect(debug).toContain('    at ');
    expect(debug).toContain('connect ECONNREFUSED');
  });
});

describe('exit codes of finished rollouts (wait, watch)', () => {
  it.each([
    ['Succeeded', 0],
    ['Failed', 1],
    ['Aborted', 1],
    ['RolledBack', 1],
    ['Superseded', 1],
    ['Progressing', undefined],
    ['Paused', undefined],
    ['AwaitingApproval', undefined],
    ['Soaking', undefined],
    ['Pending', undefined],
  ])('%s → %s', (state, code) => {
    expect(exitCodeForState(state)).toBe(code);
  });

  it('explains a rollout that did not succeed, with its message', () => {
    const error = rolloutOutcomeError({
      id: 'r-1',
      state: 'Failed',
      message: 'wave "prod": 1/1 failed, budget 0',
    });
    expect(error?.message).toBe('rollout r-1 ended Failed: wave "prod": 1/1 failed, budget 0');
    expect(error?.code).toBe('ROLLOUT_FAILED');
    expect(error?.exitCode).toBe(1);
    expect(rolloutOutcomeError({ id: 'r-1', state: 'Aborted', message: null })?.message).toBe(
      'rollout r-1 ended Aborted',
    );
    expect(rolloutOutcomeError({ id: 'r-1', state: 'Succeeded', message: null })).toBeUndefined();
  });
});
