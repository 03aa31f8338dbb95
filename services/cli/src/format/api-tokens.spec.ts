import { describe, expect, it } from '@jest/globals';
import { type ApiToken } from '../resources/api-tokens.js';
import { apiTokensTable, apiTokenStatus } from './api-tokens.js';

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

describe('apiTokensTable', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const token = (over: Partial<ApiToken>): ApiToken => ({
    id: 't1',
    name: 'ci',
    role: 'operator',
    project: null,
    createdBy: 'bootstrap-admin',
    createdAt: '2026-03-01T11:00:00.000Z',
    expiresAt: null,
    lastUsedAt: null,
    revokedAt: null,
    ...over,
  });

  it('names the project of a bound token and * for a fleet-wide one', () => {
    const table = apiTokensTable([token({}), token({ id: 't2', name: 'pay-ci', project: 'payments' })], now);
    const [header, fleetWide, bound] = table.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+ROLE\s+PROJECT\s+STATUS/);
    expect(fleetWide).toMatch(/^t1\s+ci\s+operator\s+\*\s+Active/);
    expect(bound).toMatch(/^t2\s+pay-ci\s+operator\s+payments\s+Active/);
  });
});
