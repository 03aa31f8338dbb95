import { describe, expect, it } from '@jest/globals';
import {
  MAX_TIMER_MS,
  nextRenewalStep,
  renewAt,
  type RenewalStep,
  type RenewalTiming,
  RETRY_MS,
  stepAfterFailedRenewal,
} from './renewal-timing';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 11, 3, 4, 0, 0);
const hourLong: RenewalTiming = { issuedAt: T0, expiresAt: T0 + HOUR, canRefresh: true };
const short: RenewalTiming = { issuedAt: T0, expiresAt: T0 + 20_000, canRefresh: true };

describe('renewAt', () => {
  it.each<[string, RenewalTiming, number]>([
    ['an hour-long token: a minute before expiry', hourLong, T0 + HOUR - MIN],
    ['a 20 s token: a quarter of its lifetime before expiry', short, T0 + 15_000],
    [
      'a token issued after it expires (clock skew): at expiry',
      { ...short, issuedAt: T0 + 30_000 },
      T0 + 20_000,
    ],
  ])('%s', (_, timing, expected) => {
    expect(renewAt(timing)).toBe(expected);
  });
});

describe('nextRenewalStep', () => {
  it.each<[string, RenewalTiming, number, RenewalStep]>([
    ['just signed in: wait until a minute before expiry', hourLong, T0, { kind: 'wait', ms: HOUR - MIN }],
    ['half-way: wait the rest', hourLong, T0 + 30 * MIN, { kind: 'wait', ms: 29 * MIN }],
    ['at the renewal moment: renew', hourLong, T0 + HOUR - MIN, { kind: 'refresh' }],
    ['past expiry (a sleeping tab): still renew', hourLong, T0 + 2 * HOUR, { kind: 'refresh' }],
    ['a short token: renew after three quarters', short, T0 + 15_000, { kind: 'refresh' }],
    [
      'no refresh token: wait until expiry',
      { ...hourLong, canRefresh: false },
      T0 + 10 * MIN,
      { kind: 'wait', ms: 50 * MIN },
    ],
    [
      'no refresh token, expired: the session ends',
      { ...hourLong, canRefresh: false },
      T0 + HOUR,
      { kind: 'expired' },
    ],
    [
      'a month-long token: no wait longer than a timer can hold',
      { ...hourLong, expiresAt: T0 + 31 * 24 * HOUR },
      T0,
      { kind: 'wait', ms: MAX_TIMER_MS },
    ],
  ])('%s', (_, timing, now, expected) => {
    expect(nextRenewalStep(timing, now)).toEqual(expected);
  });
});

describe('stepAfterFailedRenewal', () => {
  it.each<[string, number, boolean, RenewalStep]>([
    ['the provider refused: the session ends', T0 + HOUR - MIN, true, { kind: 'expired' }],
    ['no answer, time left: try again shortly', T0 + HOUR - MIN, false, { kind: 'wait', ms: RETRY_MS }],
    [
      'no answer, expiring before a retry: the session ends',
      T0 + HOUR - RETRY_MS,
      false,
      { kind: 'expired' },
    ],
    ['no answer, already expired: the session ends', T0 + HOUR + 1, false, { kind: 'expired' }],
  ])('%s', (_, now, refused, expected) => {
    expect(stepAfterFailedRenewal(hourLong, now, { refused })).toEqual(expected);
  });
});
