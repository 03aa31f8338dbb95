import { describe, expect, it } from '@jest/globals';
import { parseTimeOrAgo } from './time.js';

const now = new Date('2026-12-02T12:00:00.000Z');

describe('parseTimeOrAgo', () => {
  it.each([
    ['1h', '2026-12-02T11:00:00.000Z'],
    ['90s', '2026-12-02T11:58:30.000Z'],
    ['7d', '2026-11-25T12:00:00.000Z'],
    ['0', '2026-12-02T12:00:00.000Z'],
    ['2026-12-01T09:00:00Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00:00.250+01:00', '2026-12-01T08:00:00.250Z'],
  ])('%s → %s', (text, expected) => {
    expect(parseTimeOrAgo(text, '--since', now).toISOString()).toBe(expected);
  });

  it.each([
    ['yesterday', /invalid --since "yesterday": expected e.g. 90s/],
    ['2026-12-01', /invalid --since "2026-12-01": expected an RFC 3339 time/],
    ['2026-13-45T99:00:00Z', /expected an RFC 3339 time/],
    ['-1h', /invalid --since/],
  ])('refuses %s', (text, message) => {
    expect(() => parseTimeOrAgo(text, '--since', now)).toThrow(message);
  });
});
