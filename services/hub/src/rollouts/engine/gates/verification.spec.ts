import { describe, expect, it } from '@jest/globals';
import { type VerificationCheck } from '../verification/checks.js';
import { type WaveVerification } from '../verification/wave-state.js';
import { at, clusters, context } from './gate-fixtures.js';
import { soakGate } from './soak.js';
import { verificationFailedGate, verificationGate } from './verification.js';

const check: VerificationCheck = {
  name: 'healthz',
  kind: 'http',
  method: 'GET',
  url: 'http://x.test',
  expectedStatus: 200,
  retries: 0,
  timeoutSeconds: 5,
  intervalSeconds: 5,
};
const state = (overrides: Partial<WaveVerification>): WaveVerification => ({
  status: 'running',
  running: [],
  failed: null,
  failedClusters: [],
  passedAt: null,
  ...overrides,
});
const failed = { check: 'errors', target: 'wave', message: '0.2 > 0.1' };

describe('verificationGate (afterDone)', () => {
  it.each<[string, VerificationCheck[], WaveVerification | null, unknown]>([
    ['no checks: open', [], null, { status: 'open' }],
    [
      'not started: pending with every check',
      [check],
      null,
      { status: 'blocked', reason: { kind: 'verification', status: 'pending', running: ['healthz'] } },
    ],
    [
      'running',
      [check],
      state({ running: ['healthz'] }),
      { status: 'blocked', reason: { kind: 'verification', status: 'running', running: ['healthz'] } },
    ],
    ['passed: open', [check], state({ status: 'passed', passedAt: at(5) }), { status: 'open' }],
  ])('%s', (_name, setting, verification, expected) => {
    expect(
      verificationGate.evaluate(context(setting, { clusters: clusters('Healthy'), verification })),
    ).toEqual(expected);
  });

  it('an empty wave runs no checks', () => {
    expect(verificationGate.evaluate(context([check], { clusters: [], verification: null }))).toEqual({
      status: 'open',
    });
  });

  it('says what is running', () => {
    expect(verificationGate.message({ kind: 'verification', status: 'running', running: ['a', 'b'] })).toBe(
      'verification running: a, b',
    );
  });
});

describe('verificationFailedGate (wave)', () => {
  it.each<[string, WaveVerification | null, boolean, unknown]>([
    ['nothing recorded: open', null, false, { status: 'open' }],
    ['running: open', state({ running: ['healthz'] }), false, { status: 'open' }],
    ['passed: open', state({ status: 'passed' }), false, { status: 'open' }],
    [
      "per-cluster failures are the budget's: open",
      state({ status: 'passed', failedClusters: [{ check: 'healthz', target: 'c1', message: '500' }] }),
      false,
      { status: 'open' },
    ],
    [
      'a wave-level check failed: the rollout fails whatever the budget',
      state({ status: 'failed', failed }),
      false,
      {
        status: 'blocked',
        reason: { kind: 'verificationFailed', ...failed },
        state: 'Failed',
        event: 'rollout failed: wave canary: check errors failed for wave: 0.2 > 0.1',
      },
    ],
    [
      'failed with autoRollback: asks for the rollback',
      state({ status: 'failed', failed }),
      true,
      expect.objectContaining({
        event: 'rollout failed: wave canary: check errors failed for wave: 0.2 > 0.1; rollback requested',
      }),
    ],
  ])('%s', (_name, verification, autoRollback, expected) => {
    expect(verificationFailedGate.evaluate(context(undefined, { verification, autoRollback }))).toEqual(
      expected,
    );
  });
});

describe('soak after verification', () => {
  it('counts from when the checks passed, not from when the wave was healthy', () => {
    const verification = state({ status: 'passed', passedAt: at(100) });
    const result = soakGate.evaluate(
      context(60, { clusters: clusters('Healthy'), healthyAt: at(0), verification, now: at(130) }),
    );
    expect(result).toEqual({
      status: 'blocked',
      reason: { kind: 'soak', secondsLeft: 30, until: at(160) },
      state: 'Soaking',
    });
  });
});
