import { describe, expect, it } from '@jest/globals';
import { dateFromJson } from './json-date.js';

describe('dateFromJson', () => {
  it.each([
    ['microseconds, UTC offset', '2026-12-02T15:04:05.123456+00:00', '2026-12-02T15:04:05.123Z'],
    ['another offset', '2026-12-02T16:04:05.5+01:00', '2026-12-02T15:04:05.500Z'],
    ['whole seconds', '2026-12-02T15:04:05+00:00', '2026-12-02T15:04:05.000Z'],
  ])('%s: to the millisecond, as the pg driver', (_, text, iso) => {
    expect(dateFromJson(text)?.toISOString()).toBe(iso);
  });

  it('null stays null', () => {
    expect(dateFromJson(null)).toBeNull();
  });
});
