import { describe, expect, it } from '@jest/globals';
import { eventFilter } from './events.js';

const NOW = new Date('2026-12-02T12:00:00Z');

describe('eventFilter: flags to the hub filter', () => {
  it.each([
    ['nothing: the whole trail', {}, {}],
    ['--since 1h', { since: '1h' }, { since: '2026-12-02T11:00:00.000Z' }],
    [
      '--since and --until',
      { since: '2026-12-01T00:00:00Z', until: '2h' },
      { since: '2026-12-01T00:00:00.000Z', until: '2026-12-02T10:00:00.000Z' },
    ],
    [
      'who, what, where',
      { actor: 'token:ci', action: 'rollout.', app: 'web', cluster: 'prod-eu-1' },
      { actor: 'token:ci', action: 'rollout.', application: 'web', cluster: 'prod-eu-1' },
    ],
    ['--project', { project: 'payments' }, { project: 'payments' }],
    ['--target kind/id', { target: 'rollout/1f2e' }, { targetKind: 'rollout', targetId: '1f2e' }],
    [
      'a placement id keeps its slash',
      { target: 'placement/c1/web' },
      { targetKind: 'placement', targetId: 'c1/web' },
    ],
  ])('%s', (_name, options, expected) => {
    expect(eventFilter(options, NOW)).toEqual(expected);
  });

  it.each([
    ['an unknown kind', { target: 'pod/x' }, /--target "pod\/x": expected <kind>\/<id>/],
    ['no id', { target: 'rollout/' }, /expected <kind>\/<id>/],
    ['no slash', { target: 'rollout' }, /expected <kind>\/<id>/],
    ['since after until', { since: '1h', until: '2h' }, /--since must be before --until/],
    ['a garbled time', { since: 'last week' }, /invalid --since/],
  ])('refuses %s', (_name, options, message) => {
    expect(() => eventFilter(options, NOW)).toThrow(message);
  });
});
