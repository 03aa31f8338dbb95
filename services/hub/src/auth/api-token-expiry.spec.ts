import { describe, expect, it } from '@jest/globals';
import { apiTokenExpiresAt, apiTokenProblem, lastUseIsStale } from './api-token-expiry.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const LIFETIMES = { defaultSeconds: 3600, maxSeconds: 86_400 };

describe('apiTokenExpiresAt', () => {
  it.each<[string, number | undefined, { defaultSeconds: number; maxSeconds: number }, Date]>([
    ['the default without expiresIn', undefined, LIFETIMES, at(3600)],
    ['expiresIn when given', 60, LIFETIMES, at(60)],
    ['exactly the maximum', 86_400, LIFETIMES, at(86_400)],
    [
      'the maximum when the default is longer',
      undefined,
      { defaultSeconds: 90_000, maxSeconds: 86_400 },
      at(86_400),
    ],
  ])('gives %s', (_case, expiresIn, lifetimes, expected) => {
    expect(apiTokenExpiresAt(NOW, expiresIn, lifetimes)).toEqual(expected);
  });

  it.each<[string, number, RegExp]>([
    ['zero', 0, /at least 1/],
    ['a negative lifetime', -5, /at least 1/],
    ['a fraction', 1.5, /whole number/],
    ['longer than the maximum', 86_401, /longer than the longest lifetime allowed, 86400s/],
  ])('refuses %s with INVALID_ARGUMENT', (_case, expiresIn, message) => {
    expect(() => apiTokenExpiresAt(NOW, expiresIn, LIFETIMES)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(message) }),
    );
  });
});

describe('apiTokenProblem', () => {
  it.each<[string, { revokedAt: Date | null; expiresAt: Date | null }, string | null]>([
    ['an active token', { revokedAt: null, expiresAt: at(1) }, null],
    ['a token without expiry (made before tokens expired)', { revokedAt: null, expiresAt: null }, null],
    ['a token expiring now', { revokedAt: null, expiresAt: NOW }, 'expired at 2026-03-01T12:00:00.000Z'],
    ['an expired token', { revokedAt: null, expiresAt: at(-1) }, 'expired at 2026-03-01T11:59:59.000Z'],
    ['a revoked token', { revokedAt: at(-60), expiresAt: at(60) }, 'revoked at 2026-03-01T11:59:00.000Z'],
    ['a revoked and expired token', { revokedAt: at(-60), expiresAt: at(-1) }, 'revoked'],
  ])('%s', (_case, token, expected) => {
    const problem = apiTokenProblem(token, NOW);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe('lastUseIsStale', () => {
  it.each<[string, Date | null, boolean]>([
    ['never used', null, true],
    ['used a second ago', at(-1), false],
    ['used 59 s ago', at(-59), false],
    ['used a minute ago', at(-60), true],
  ])('%s → %s', (_case, lastUsedAt, expected) => {
    expect(lastUseIsStale(lastUsedAt, NOW)).toBe(expected);
  });
});
