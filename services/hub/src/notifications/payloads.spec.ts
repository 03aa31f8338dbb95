import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { type NotificationKind } from './notification-kinds.js';
import { buildBody, describe as describeEvent, type NotifiedEvent } from './payloads.js';
import { signBody } from './signature.js';

const rolloutEvent: NotifiedEvent = {
  id: '42',
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: 'engine',
  action: 'rollout.awaitingApproval',
  target: { kind: 'rollout', id: 'r-1' },
  after: { application: 'web', currentWave: 'canary' },
};

describe('describe', () => {
  it.each<[NotificationKind, NotifiedEvent, string | null, string]>([
    [
      'waveAwaitingApproval',
      rolloutEvent,
      'web',
      'Fleetwave: rollout r-1 of web awaits approval of wave canary',
    ],
    ['rolloutFailed', rolloutEvent, 'web', 'Fleetwave: rollout r-1 of web failed'],
    ['rolledBack', rolloutEvent, null, 'Fleetwave: rollout r-1 was rolled back'],
    ['rolloutSucceeded', rolloutEvent, 'web', 'Fleetwave: rollout r-1 of web succeeded'],
    [
      'clusterOffline',
      { ...rolloutEvent, target: { kind: 'cluster', id: 'c-9' }, after: { status: 'Offline' } },
      null,
      'Fleetwave: cluster c-9 is offline',
    ],
    [
      'driftCorrected',
      {
        ...rolloutEvent,
        target: { kind: 'placement', id: 'c-9/web' },
        after: { clusterId: 'c-9', corrections: 3 },
      },
      'web',
      'Fleetwave: drift corrected 3 time(s) on cluster c-9 of web',
    ],
    [
      'degradedAfterSuccess',
      {
        ...rolloutEvent,
        action: 'rollout.degradedAfterSuccess',
        after: { application: 'web', cluster: 'east-1', reason: 'phase Degraded' },
      },
      'web',
      'Fleetwave: cluster east-1 degraded after rollout r-1 of web succeeded: phase Degraded',
    ],
    [
      'verificationFailed',
      {
        ...rolloutEvent,
        action: 'rollout.verificationFailed',
        after: {
          application: 'web',
          wave: 'canary',
          check: 'healthz',
          target: 'east-1',
          result: 'failed',
          message: 'GET … status 500, expected 200',
        },
      },
      'web',
      'Fleetwave: rollout r-1 of web: check healthz failed for east-1 in wave canary: GET … status 500, expected 200',
    ],
  ])('%s', (kind, event, application, text) => {
    expect(describeEvent(event, { kind, application, project: null })).toBe(text);
  });
});

describe('buildBody', () => {
  const notable = { kind: 'waveAwaitingApproval', application: 'web', project: 'shop' } as const;
  it('sends Slack only a text', () => {
    expect(JSON.parse(buildBody('slack', rolloutEvent, notable))).toEqual({
      text: 'Fleetwave: rollout r-1 of web awaits approval of wave canary',
    });
  });
  it('sends a webhook the kind, the application and its project, the text and the event', () => {
    expect(JSON.parse(buildBody('webhook', rolloutEvent, notable))).toEqual({
      kind: 'waveAwaitingApproval',
      application: 'web',
      project: 'shop',
      text: 'Fleetwave: rollout r-1 of web awaits approval of wave canary',
      event: { ...rolloutEvent },
    });
  });
});

describe('signBody', () => {
  it('is sha256= and the hex HMAC-SHA256 of the body with the secret', () => {
    const expected = createHmac('sha256', 'k'.repeat(16)).update('{"a":1}').digest('hex');
    expect(signBody('{"a":1}', 'k'.repeat(16))).toBe(`sha256=${expected}`);
  });
  it('differs with another secret or another body', () => {
    const base = signBody('{"a":1}', 'k'.repeat(16));
    expect(signBody('{"a":2}', 'k'.repeat(16))).not.toBe(base);
    expect(signBody('{"a":1}', 'j'.repeat(16))).not.toBe(base);
  });
});
