import { describe, expect, it } from '@jest/globals';
import { formatAge, formatTime, humanDuration } from './age.js';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

describe('humanDuration (kubectl AGE)', () => {
  it.each([
    [-5, '<invalid>'],
    [-0.5, '0s'],
    [0, '0s'],
    [45, '45s'],
    [119, '119s'],
    [2 * MINUTE, '2m'],
    [5 * MINUTE, '5m'],
    [5 * MINUTE + 12, '5m12s'],
    [10 * MINUTE + 59, '10m'],
    [179 * MINUTE, '179m'],
    [3 * HOUR, '3h'],
    [3 * HOUR + 20 * MINUTE, '3h20m'],
    [8 * HOUR + 59 * MINUTE, '8h'],
    [47 * HOUR, '47h'],
    [2 * DAY, '2d'],
    [2 * DAY + 4 * HOUR, '2d4h'],
    [8 * DAY + 4 * HOUR, '8d'],
    [400 * DAY, '400d'],
    [3 * 365 * DAY, '3y'],
    [3 * 365 * DAY + 10 * DAY, '3y10d'],
    [9 * 365 * DAY, '9y'],
  ])('%d s → %s', (seconds, expected) => {
    expect(humanDuration(seconds)).toBe(expected);
  });
});

describe('formatAge', () => {
  const now = new Date('2026-05-04T12:00:00Z');

  it.each([
    ['2026-05-04T11:55:00Z', '5m'],
    [new Date('2026-05-04T09:00:00Z'), '3h'],
    ['2026-05-02T12:00:00Z', '2d'],
    [null, '<none>'],
    [undefined, '<none>'],
    ['not a date', '<invalid>'],
  ])('%s → %s', (since, expected) => {
    expect(formatAge(since, now)).toBe(expected);
  });
});

describe('formatTime', () => {
  it('is ISO 8601 in UTC to the second', () => {
    expect(formatTime('2026-05-04T10:12:00.123Z')).toBe('2026-05-04T10:12:00Z');
    expect(formatTime(null)).toBe('<none>');
  });
});
