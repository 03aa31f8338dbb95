import { describe, expect, it } from '@jest/globals';
import { type RunRecord, waveVerifications } from './wave-state.js';

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
function run(overrides: Partial<RunRecord>): RunRecord {
  return {
    wave: 'canary',
    checkName: 'healthz',
    target: 'c1',
    attempt: 1,
    final: false,
    result: null,
    message: '',
    finishedAt: null,
    ...overrides,
  };
}

describe('waveVerifications', () => {
  it.each<[string, RunRecord[], Record<string, unknown>]>([
    ['no runs: no wave', [], {}],
    [
      'one running',
      [run({})],
      { canary: { status: 'running', running: ['healthz'], failed: null, passedAt: null } },
    ],
    [
      'a failed attempt waiting for its retry is running',
      [run({ result: 'failed', finishedAt: T(1) })],
      { canary: { status: 'running', running: ['healthz'], failed: null, passedAt: null } },
    ],
    [
      'the retry passed',
      [run({ result: 'failed', finishedAt: T(1) }), run({ attempt: 2, result: 'passed', finishedAt: T(5) })],
      { canary: { status: 'passed', running: [], failed: null, passedAt: T(5) } },
    ],
    [
      'the last attempt failed: the wave failed',
      [
        run({ result: 'passed', finishedAt: T(2), target: 'c2' }),
        run({ attempt: 2, result: 'error', final: true, message: 'timed out', finishedAt: T(3) }),
      ],
      {
        canary: {
          status: 'failed',
          running: [],
          failed: { check: 'healthz', target: 'c1', message: 'timed out' },
          passedAt: null,
        },
      },
    ],
    [
      'passed when every target passed; passedAt is the last',
      [
        run({ result: 'passed', finishedAt: T(4) }),
        run({ target: 'c2', result: 'passed', finishedAt: T(9) }),
      ],
      { canary: { status: 'passed', running: [], failed: null, passedAt: T(9) } },
    ],
    [
      'waves apart',
      [run({ result: 'passed', finishedAt: T(1) }), run({ wave: 'rest' })],
      {
        canary: { status: 'passed', running: [], failed: null, passedAt: T(1) },
        rest: { status: 'running', running: ['healthz'], failed: null, passedAt: null },
      },
    ],
  ])('%s', (_name, runs, expected) => {
    expect(waveVerifications(runs)).toEqual(expected);
  });
});
