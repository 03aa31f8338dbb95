import { describe, expect, it } from '@jest/globals';
import { classifyEvent, type Notable, type NotificationKind, wants } from './notification-kinds.js';

describe('classifyEvent', () => {
  it.each<[string, unknown, Notable | null]>([
    [
      'rollout.awaitingApproval',
      { application: 'web' },
      { kind: 'waveAwaitingApproval', application: 'web' },
    ],
    ['rollout.failed', { application: 'web' }, { kind: 'rolloutFailed', application: 'web' }],
    ['rollout.rolledBack', { application: 'web' }, { kind: 'rolledBack', application: 'web' }],
    ['rollout.succeeded', { application: 'api' }, { kind: 'rolloutSucceeded', application: 'api' }],
    ['placement.driftCorrected', { application: 'web' }, { kind: 'driftCorrected', application: 'web' }],
    [
      'rollout.degradedAfterSuccess',
      { application: 'web', cluster: 'east-1', reason: 'phase Degraded' },
      { kind: 'degradedAfterSuccess', application: 'web' },
    ],
    [
      'rollout.verificationFailed',
      { application: 'web', wave: 'canary', check: 'healthz', target: 'east-1', result: 'failed' },
      { kind: 'verificationFailed', application: 'web' },
    ],
    ['cluster.statusChanged', { status: 'Offline' }, { kind: 'clusterOffline', application: null }],
    ['cluster.statusChanged', { status: 'Unknown' }, null],
    ['rollout.progressed', { application: 'web' }, null],
    ['rollout.started', { application: 'web' }, null],
    ['application.created', undefined, null],
    ['rollout.failed', undefined, { kind: 'rolloutFailed', application: null }],
    ['rollout.failed', { application: 7 }, { kind: 'rolloutFailed', application: null }],
  ])('%s with %j → %j', (action, after, expected) => {
    expect(classifyEvent({ action, after: after as never })).toEqual(expected);
  });
});

describe('wants', () => {
  const offline: Notable = { kind: 'clusterOffline', application: null };
  const webFailed: Notable = { kind: 'rolloutFailed', application: 'web' };
  it.each<[NotificationKind[], string | null, Notable, boolean]>([
    [['rolloutFailed'], null, webFailed, true],
    [['rolloutFailed'], 'web', webFailed, true],
    [['rolloutFailed'], 'api', webFailed, false],
    [['rolloutSucceeded'], null, webFailed, false],
    [['clusterOffline'], null, offline, true],
    [['clusterOffline'], 'web', offline, false],
  ])('kinds %j, application %s, %j → %s', (kinds, application, notable, expected) => {
    expect(wants({ kinds, application }, notable)).toBe(expected);
  });
});
