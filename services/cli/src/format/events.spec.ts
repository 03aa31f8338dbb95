import { describe, expect, it } from '@jest/globals';
import { type AuditEvent } from '../resources/events.js';
import { eventsNdjson, eventsTable, eventSummary } from './events.js';

const event = (over: Partial<AuditEvent>): AuditEvent => ({
  id: '1',
  occurredAt: '2026-12-02T11:59:00.123Z',
  actor: 'token:ci',
  action: 'rollout.started',
  target: { kind: 'rollout', id: 'r1' },
  project: null,
  before: null,
  after: null,
  ...over,
});

describe('eventSummary', () => {
  it.each([
    ['no after', null, ''],
    ['a list', [1, 2], ''],
    [
      'application, state and a short commit',
      { application: 'web', state: 'Failed', commit: '0123456789abcdef0123', waves: [] },
      'application=web state=Failed commit=0123456789ab',
    ],
    ['an empty string is left out', { reason: '', name: 'prod-1' }, 'name=prod-1'],
  ])('%s', (_name, after, expected) => {
    expect(eventSummary(event({ after }))).toBe(expected);
  });
});

describe('eventsTable and eventsNdjson', () => {
  const events = [
    event({ id: '2', after: { application: 'web' } }),
    event({ id: '1', actor: 'engine', action: 'rollout.succeeded' }),
  ];

  it('one row per event, newest first as given', () => {
    const lines = eventsTable(events).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+ACTOR\s+ACTION\s+TARGET\s+SUMMARY$/);
    expect(lines[1]).toMatch(
      /^2026-12-02T11:59:00Z\s+token:ci\s+rollout.started\s+rollout\/r1\s+application=web$/,
    );
    expect(lines[2]).toMatch(/engine\s+rollout.succeeded\s+rollout\/r1\s+-$/);
  });

  it('NDJSON: one parseable object per line', () => {
    const lines = eventsNdjson(events).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l) as AuditEvent)).toEqual(events);
  });
});
