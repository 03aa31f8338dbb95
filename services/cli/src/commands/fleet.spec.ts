import { describe, expect, it } from '@jest/globals';
import { fleetLine, freezeUntil } from './fleet.js';

const NOW = new Date('2026-12-20T10:00:00Z');

describe('freezeUntil', () => {
  it.each<[string, { until?: string; for?: string }, string | null]>([
    ['neither: until unfrozen', {}, null],
    ['--for 2h', { for: '2h' }, '2026-12-20T12:00:00.000Z'],
    ['--until a time', { until: '2026-12-27T08:00:00Z' }, '2026-12-27T08:00:00.000Z'],
  ])('%s', (_name, options, expected) => {
    expect(freezeUntil(options, NOW)).toBe(expected);
  });

  it.each<[string, { until?: string; for?: string }, RegExp]>([
    ['both', { until: '2026-12-27T08:00:00Z', for: '1h' }, /not both/],
    ['a zero duration', { for: '0s' }, /longer than 0s/],
    ['a negative duration', { for: '-2h' }, /invalid --for/],
    ['a garbled time', { until: 'next friday' }, /invalid --until/],
  ])('refuses %s', (_name, options, message) => {
    expect(() => freezeUntil(options, NOW)).toThrow(message);
  });
});

describe('fleetLine', () => {
  it.each([
    [{ freeze: null }, 'fleet: not frozen\n'],
    [
      { freeze: { reason: 'year-end', by: 'token:ops', since: '2026-12-20T10:00:00.000Z', until: null } },
      'fleet: frozen by token:ops since 2026-12-20T10:00:00.000Z until unfrozen: year-end\n',
    ],
    [
      {
        freeze: {
          reason: 'incident',
          by: 'token:ops',
          since: '2026-12-20T10:00:00.000Z',
          until: '2026-12-20T12:00:00.000Z',
        },
      },
      'fleet: frozen by token:ops since 2026-12-20T10:00:00.000Z until 2026-12-20T12:00:00.000Z: incident\n',
    ],
  ])('%#', (fleet, line) => {
    expect(fleetLine(fleet)).toBe(line);
  });
});
