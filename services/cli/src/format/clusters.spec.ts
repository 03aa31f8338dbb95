import { describe, expect, it } from '@jest/globals';
import { clusterStatus } from './clusters.js';

describe('clusterStatus', () => {
  const maintenance = { reason: 'node pool upgrade', since: '2026-11-22T01:00:00.000Z' };
  it.each([
    ['Ready', false, null, 'Ready'],
    ['Ready', true, null, 'Ready,Cordoned'],
    ['NotReady', false, maintenance, 'NotReady,Maintenance'],
    ['Ready', true, maintenance, 'Ready,Cordoned,Maintenance'],
  ] as const)('%s, cordoned %p, maintenance %p → %s', (status, cordoned, m, expected) => {
    expect(clusterStatus({ status, cordoned, maintenance: m })).toBe(expected);
  });

  it.each([
    ['Active', 'Ready'],
    ['Revoked', 'Ready,CredentialRevoked'],
    ['Expired', 'Ready,CredentialExpired'],
  ] as const)('credential %s → %s', (state, expected) => {
    const credential = { state, expiresAt: null, revokedAt: null };
    expect(clusterStatus({ status: 'Ready', cordoned: false, maintenance: null, credential })).toBe(expected);
  });
});
