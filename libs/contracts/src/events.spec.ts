import { describe, expect, it } from '@jest/globals';
import { decodeHubEvent, encodeHubEvent, HubEventSchema, type HubEvent } from './events.js';

const event: HubEvent = {
  v: 1,
  id: '0b6f6a8e-2d7b-4a53-9c1e-7f1c0a0e9d11',
  occurredAt: '2025-01-31T12:00:00.000Z',
  actor: 'user:alice',
  action: 'cluster.labelsChanged',
  target: { kind: 'cluster', id: '6f1c2e1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b', name: 'prod-eu-1' },
  before: { env: 'staging' },
  after: { env: 'prod', tier: ['a', 1, true, null] },
};

describe('HubEventSchema', () => {
  it.each<[string, unknown]>([
    ['full event', event],
    [
      'without before/after/name',
      { ...event, before: undefined, after: undefined, target: { kind: 'rollout', id: 'r1' } },
    ],
    ['scalar before/after', { ...event, before: null, after: 3 }],
    ...(['cluster', 'registrationToken', 'apiToken', 'application', 'rollout'] as const).map(
      (kind): [string, unknown] => [`target kind ${kind}`, { ...event, target: { kind, id: 'x' } }],
    ),
  ])('accepts %s', (_name, value) => {
    expect(HubEventSchema.safeParse(value).success).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['v 2', { v: 2 }],
    ['empty id', { id: '' }],
    ['occurredAt not ISO', { occurredAt: 'now' }],
    ['empty actor', { actor: '' }],
    ['empty action', { action: '' }],
    ['unknown target kind', { target: { kind: 'node', id: 'x' } }],
    ['target without id', { target: { kind: 'cluster' } }],
    ['before not JSON', { before: () => 1 }],
  ])('rejects %s', (_name, patch) => {
    expect(HubEventSchema.safeParse({ ...event, ...patch }).success).toBe(false);
  });
});

describe('encodeHubEvent / decodeHubEvent', () => {
  it('round-trips', () => {
    expect(decodeHubEvent(encodeHubEvent(event))).toEqual(event);
  });

  it('ignores unknown keys from newer replicas', () => {
    const value = Buffer.from(JSON.stringify({ ...event, traceId: 'abc' }));
    expect(decodeHubEvent(value)).toEqual(event);
  });

  it('refuses to encode an invalid event', () => {
    expect(() => encodeHubEvent({ ...event, occurredAt: 'now' })).toThrow();
  });

  it.each<[string, Buffer | null | undefined]>([
    ['null', null],
    ['undefined', undefined],
    ['empty', Buffer.alloc(0)],
    ['not JSON', Buffer.from('{')],
    ['invalid UTF-8', Buffer.from([0xff])],
    ['JSON but not an event', Buffer.from('{"v":1}')],
    ['an array', Buffer.from('[]')],
  ])('decodes %s as undefined', (_name, value) => {
    expect(decodeHubEvent(value)).toBeUndefined();
  });

  it('decodes an oversized value as undefined', () => {
    expect(decodeHubEvent(encodeHubEvent(event), 10)).toBeUndefined();
  });
});
