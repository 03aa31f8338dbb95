import { describe, expect, it } from '@jest/globals';
import { classifyEvent, type Notable, type NotificationKind, wants } from './notification-kinds.js';

describe('classifyEvent', () => {
  it.each<[string, unknown, Notable | null]>([
    [
      'rollout.awaitingApproval',
      { application: 'web' },
      { kind: 'waveAwaitingApproval', application: 'web', project: 'shop' },
    ],
    [
      'rollout.failed',
      { application: 'web' },
      { kind: 'rolloutFailed', application: 'web', project: 'shop' },
    ],
    [
      'rollout.rolledBack',
      { application: 'web' },
      { kind: 'rolledBack', application: 'web', project: 'shop' },
    ],
    [
      'rollout.succeeded',
      { application: 'api' },
      { kind: 'rolloutSucceeded', application: 'api', project: 'shop' },
    ],
    [
      'placement.driftCorrected',
      { application: 'web' },
      { kind: 'driftCorrected', application: 'web', project: 'shop' },
    ],
    [
      'rollout.degradedAfterSuccess',
      { application: 'web', cluster: 'east-1', reason: 'phase Degraded' },
      { kind: 'degradedAfterSuccess', application: 'web', project: 'shop' },
    ],
    [
      'rollout.verificationFailed',
      { application: 'web', wave: 'canary', check: 'healthz', target: 'east-1', result: 'failed' },
      { kind: 'verificationFailed', application: 'web', project: 'shop' },
    ],
    [
      'cluster.statusChanged',
      { status: 'Offline' },
      { kind: 'clusterOffline', application: null, project: null },
    ],
    ['cluster.statusChanged', { status: 'Unknown' }, null],
    ['rollout.progressed', { application: 'web' }, null],
    ['rollout.started', { application: 'web' }, null],
    ['application.created', undefined, null],
    ['rollout.failed', undefined, { kind: 'rolloutFailed', application: null, project: 'shop' }],
    ['rollout.failed', { application: 7 }, { kind: 'rolloutFailed', application: null, project: 'shop' }],
  ])('%s with %j → %j', (action, after, expected) => {
    expect(classifyEvent({ action, after: after as never, project: 'shop' })).toEqual(expected);
  });

  it('an event outside projects has none', () => {
    expect(classifyEvent({ action: 'rollout.failed', after: { application: 'web' } })).toEqual({
      kind: 'rolloutFailed',
      application: 'web',
      project: null,
    });
  });
});

describe('wants', () => {
  const offline: Notable = { kind: 'clusterOffline', application: null, project: null };
  const webFailed: Notable = { kind: 'rolloutFailed', application: 'web', project: 'shop' };
  const unprojected: Notable = { kind: 'rolloutFailed', application: 'web', project: null };
  it.each<[NotificationKind[], string | null, string | null, Notable, boolean]>([
    [['rolloutFailed'], null, null, webFailed, true],
    [['rolloutFailed'], 'web', null, webFailed, true],
    [['rolloutFailed'], 'api', null, webFailed, false],
    [['rolloutSucceeded'], null, null, webFailed, false],
    [['clusterOffline'], null, null, offline, true],
    [['clusterOffline'], 'web', null, offline, false],
    [['rolloutFailed'], null, 'shop', webFailed, true],
    [['rolloutFailed'], null, 'payments', webFailed, false],
    [['rolloutSucceeded'], null, 'shop', webFailed, false],
    [['clusterOffline'], null, 'shop', offline, false],
    [['rolloutFailed'], null, 'shop', unprojected, false],
  ])('kinds %j, application %s, project %s, %j → %s', (kinds, application, project, notable, expected) => {
    expect(wants({ kinds, application, project }, notable)).toBe(expected);
  });
});
