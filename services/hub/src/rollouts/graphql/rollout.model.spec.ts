import { describe, expect, it } from '@jest/globals';
import { type BlockingReason } from '../engine/index.js';
import { blockingMessage, formatDuration, toBlockingModel } from './rollout.model.js';

const at = new Date('2026-03-01T12:34:56.789Z');

describe('blockingMessage', () => {
  it.each<[BlockingReason, string]>([
    [{ kind: 'soak', secondsLeft: 252, until: at }, 'soak: 4m12s left'],
    [{ kind: 'soak', secondsLeft: 3605, until: at }, 'soak: 1h0m5s left'],
    [{ kind: 'soak', secondsLeft: 9, until: at }, 'soak: 9s left'],
    [{ kind: 'approval' }, 'approval pending'],
    [{ kind: 'budget', failed: 2, limit: 1, size: 20 }, '2/20 failed, budget 1'],
    [{ kind: 'budget', failed: 1, limit: 0, size: 1 }, '1/1 failed, budget 0'],
    [{ kind: 'offline', since: at }, 'offline since 2026-03-01T12:34:56Z'],
    [{ kind: 'offline', since: null }, 'offline (never seen)'],
    [{ kind: 'deadline', at }, 'deadline at 2026-03-01T12:34:56Z'],
    [{ kind: 'concurrency', inFlight: 3, limit: 3 }, '3/3 in flight (max 3)'],
    [
      { kind: 'maintenance', reason: 'node pool upgrade', since: at },
      'maintenance since 2026-03-01T12:34:56Z: node pool upgrade',
    ],
    [{ kind: 'previousWave' }, 'waiting for the previous wave'],
    [{ kind: 'cordoned' }, 'cluster is cordoned'],
    [{ kind: 'noBundle' }, 'no bundle for this cluster'],
    [{ kind: 'paused' }, 'paused by an operator'],
  ])('%j → %s', (reason, message) => {
    expect(blockingMessage(reason)).toBe(message);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [0.2, '1s'],
    [59, '59s'],
    [60, '1m0s'],
    [3600, '1h0m0s'],
    [90061, '25h1m1s'],
  ])('%d s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('toBlockingModel', () => {
  it('sets the fields of its kind, null the others, and carries the message', () => {
    expect(toBlockingModel({ kind: 'budget', failed: 2, limit: 1, size: 20 })).toEqual({
      kind: 'budget',
      message: '2/20 failed, budget 1',
      failed: 2,
      limit: 1,
      size: 20,
      secondsLeft: null,
      until: null,
      since: null,
      reason: null,
      at: null,
      inFlight: null,
      by: null,
      opensAt: null,
      changing: null,
      share: null,
      held: null,
      label: null,
      value: null,
      matching: null,
      status: null,
      running: null,
      check: null,
      target: null,
    });
    expect(toBlockingModel({ kind: 'verification', status: 'running', running: ['healthz'] })).toMatchObject({
      message: 'verification running: healthz',
      status: 'running',
      running: ['healthz'],
    });
    expect(
      toBlockingModel({
        kind: 'verificationFailed',
        check: 'healthz',
        target: 'eu-1',
        message: 'status 500',
      }),
    ).toMatchObject({
      message: 'check healthz failed for eu-1: status 500',
      check: 'healthz',
      target: 'eu-1',
    });
    expect(toBlockingModel({ kind: 'window', opensAt: at })).toMatchObject({
      kind: 'window',
      message: 'outside its time windows until 2026-03-01T12:34:56Z',
      opensAt: at,
    });
    expect(
      toBlockingModel({ kind: 'freeze', reason: 'year-end', by: 'ops', since: at, until: null }),
    ).toMatchObject({ kind: 'freeze', reason: 'year-end', by: 'ops', since: at, until: null });
    expect(toBlockingModel({ kind: 'fleetBudget', changing: 5, limit: 5 })).toMatchObject({
      message: 'fleet change budget: 5/5 clusters changing',
      changing: 5,
      limit: 5,
    });
    expect(
      toBlockingModel({ kind: 'fleetBudget', changing: 45, limit: 60, share: 20, held: 20 }),
    ).toMatchObject({ share: 20, held: 20, changing: 45, limit: 60 });
    expect(toBlockingModel({ kind: 'fleetBudget', changing: 5, limit: 5 })).toMatchObject({
      share: null,
      held: null,
    });
    expect(toBlockingModel({ kind: 'clusterBudget', changing: 2, limit: 2 })).toMatchObject({
      message: 'cluster change budget: 2/2 applications changing on this cluster',
      changing: 2,
      limit: 2,
    });
    expect(
      toBlockingModel({ kind: 'failureCorrelation', label: 'region', value: 'us', matching: 2, failed: 2 }),
    ).toMatchObject({
      message: '2/2 failed clusters share region=us',
      label: 'region',
      value: 'us',
      matching: 2,
      failed: 2,
      limit: null,
    });
    expect(toBlockingModel({ kind: 'concurrency', inFlight: 1, limit: 2 })).toMatchObject({
      inFlight: 1,
      limit: 2,
      failed: null,
    });
    expect(toBlockingModel({ kind: 'maintenance', reason: 'upgrade', since: at })).toMatchObject({
      kind: 'maintenance',
      reason: 'upgrade',
      since: at,
      at: null,
    });
    expect(toBlockingModel(null)).toBeNull();
    expect(toBlockingModel(undefined)).toBeNull();
  });
});
