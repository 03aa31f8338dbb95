import { describe, expect, it } from '@jest/globals';
import { type RunRecord, waveVerifications } from './wave-state.js';

const T = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
function run(overrides: Partial<RunRecord>): RunRecord {
  return {
    wave: 'canary',
    checkName: 'healthz',
    kind: 'http',
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
      {
        canary: { status: 'running', running: ['healthz'], failed: null, failedClusters: [], passedAt: null },
      },
    ],
    [
      'a failed attempt waiting for its retry is running',
      [run({ result: 'failed', finishedAt: T(1) })],
      {
        canary: { status: 'running', running: ['healthz'], failed: null, failedClusters: [], passedAt: null },
      },
    ],
    [
      'the retry passed',
      [run({ result: 'failed', finishedAt: T(1) }), run({ attempt: 2, result: 'passed', finishedAt: T(5) })],
      { canary: { status: 'passed', running: [], failed: null, failedClusters: [], passedAt: T(5) } },
    ],
    [
      'a per-cluster check failed for good: the cluster is left to the budget, the wave settles',
      [
        run({ result: 'passed', finishedAt: T(2), target: 'c2' }),
        run({ attempt: 2, result: 'error', final: true, message: 'timed out', finishedAt: T(3) }),
      ],
      {
        canary: {
          status: 'passed',
          running: [],
          failed: null,
          failedClusters: [{ check: 'healthz', target: 'c1', message: 'timed out' }],
          passedAt: T(3),
        },
      },
    ],
    [
      'one entry per cluster: its first failed check by name; clusters by name',
      [
        run({ checkName: 'smoke', kind: 'job', target: 'c2', result: 'failed', final: true, message: 'x' }),
        run({
          checkName: 'smoke',
          kind: 'job',
          result: 'failed',
          final: true,
          message: 'BackoffLimitExceeded',
        }),
        run({ result: 'failed', final: true, message: 'status 500', finishedAt: T(4) }),
      ],
      {
        canary: {
          status: 'passed',
          running: [],
          failed: null,
          failedClusters: [
            { check: 'healthz', target: 'c1', message: 'status 500' },
            { check: 'smoke', target: 'c2', message: 'x' },
          ],
          passedAt: T(4),
        },
      },
    ],
    [
      'a per-cluster failure while another check runs: running',
      [run({ result: 'failed', final: true }), run({ checkName: 'other', target: 'c2' })],
      {
        canary: {
          status: 'running',
          running: ['other'],
          failed: null,
          failedClusters: [{ check: 'healthz', target: 'c1', message: '' }],
          passedAt: null,
        },
      },
    ],
    [
      'a wave-level check failed for good: the wave failed',
      [
        run({ result: 'passed', finishedAt: T(2), target: 'c2' }),
        run({
          checkName: 'errors',
          kind: 'prometheus',
          target: 'wave',
          result: 'failed',
          final: true,
          message: '0.2 > 0.1',
        }),
      ],
      {
        canary: {
          status: 'failed',
          running: [],
          failed: { check: 'errors', target: 'wave', message: '0.2 > 0.1' },
          failedClusters: [],
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
      { canary: { status: 'passed', running: [], failed: null, failedClusters: [], passedAt: T(9) } },
    ],
    [
      'waves apart',
      [run({ result: 'passed', finishedAt: T(1) }), run({ wave: 'rest' })],
      {
        canary: { status: 'passed', running: [], failed: null, failedClusters: [], passedAt: T(1) },
        rest: { status: 'running', running: ['healthz'], failed: null, failedClusters: [], passedAt: null },
      },
    ],
  ])('%s', (_name, runs, expected) => {
    expect(waveVerifications(runs)).toEqual(expected);
  });
});
