import { describe, expect, it } from '@jest/globals';
import { apiTokenStatus } from './api-tokens.js';

describe('apiTokenStatus', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  it.each([
    [null, '2026-03-01T12:00:01.000Z', 'Active'],
    [null, null, 'Active'],
    [null, '2026-03-01T12:00:00.000Z', 'Expired'],
    ['2026-03-01T11:00:00.000Z', '2026-03-02T00:00:00.000Z', 'Revoked'],
    ['2026-03-01T11:00:00.000Z', '2026-02-01T00:00:00.000Z', 'Revoked'],
  ])('revoked %p, expires %p → %s', (revokedAt, expiresAt, expected) => {
    expect(apiTokenStatus({ revokedAt, expiresAt }, now)).toBe(expected);
  });
});
