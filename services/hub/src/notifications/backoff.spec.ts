import { describe, expect, it } from '@jest/globals';
import { MAX_ATTEMPTS, nextAttemptAt, retryDelayMs } from './backoff.js';

describe('retryDelayMs', () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [6, 320_000],
    [11, 10_240_000],
    [12, 4 * 60 * 60 * 1000],
    [50, 4 * 60 * 60 * 1000],
  ])('after %i failed attempts waits %i ms', (attempts, ms) => {
    expect(retryDelayMs(attempts)).toBe(ms);
  });
});

describe('nextAttemptAt', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('is the delay after now while attempts are left', () => {
    expect(nextAttemptAt(1, now)).toEqual(new Date('2026-01-01T00:00:10Z'));
    expect(nextAttemptAt(MAX_ATTEMPTS - 1, now)).not.toBeNull();
  });
  it('gives up after the last attempt', () => {
    expect(nextAttemptAt(MAX_ATTEMPTS, now)).toBeNull();
  });
});
