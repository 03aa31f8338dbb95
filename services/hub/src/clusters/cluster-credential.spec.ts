import { describe, expect, it } from '@jest/globals';
import {
  type CredentialLifetime,
  credentialRefusal,
  type CredentialSlot,
  credentialState,
} from './cluster-credential.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const active: CredentialLifetime = { expiresAt: at(3600), revokedAt: null, previousValidUntil: null };

describe('credentialRefusal', () => {
  it.each<[string, Partial<CredentialLifetime>, CredentialSlot, string | null]>([
    ['the current credential before it expires', {}, 'current', null],
    ['a credential issued before credentials expired', { expiresAt: null }, 'current', null],
    ['the current credential when it expires', { expiresAt: NOW }, 'current', 'CREDENTIAL_EXPIRED'],
    ['the current credential after it expired', { expiresAt: at(-1) }, 'current', 'CREDENTIAL_EXPIRED'],
    ['a revoked credential', { revokedAt: at(-5) }, 'current', 'CREDENTIAL_REVOKED'],
    [
      'a revoked and expired credential',
      { revokedAt: at(-5), expiresAt: at(-1) },
      'current',
      'CREDENTIAL_REVOKED',
    ],
    ['the previous credential within the grace', { previousValidUntil: at(1) }, 'previous', null],
    [
      'the previous credential when the grace ends',
      { previousValidUntil: NOW },
      'previous',
      'CREDENTIAL_EXPIRED',
    ],
    [
      'the previous credential after the grace',
      { previousValidUntil: at(-1) },
      'previous',
      'CREDENTIAL_EXPIRED',
    ],
    ['a previous credential without a grace', { previousValidUntil: null }, 'previous', 'CREDENTIAL_EXPIRED'],
    [
      'the previous credential of a revoked cluster',
      { previousValidUntil: at(60), revokedAt: at(-1) },
      'previous',
      'CREDENTIAL_REVOKED',
    ],
  ])('%s → %s', (_case, patch, slot, expected) => {
    expect(credentialRefusal({ ...active, ...patch }, slot, NOW)?.code ?? null).toBe(expected);
  });

  it('says when and what to do, never a secret', () => {
    expect(credentialRefusal({ ...active, revokedAt: at(-5) }, 'current', NOW)?.message).toBe(
      'the cluster credential was revoked at 2026-03-01T11:59:55.000Z; the agent registers again with a registration token (the cluster keeps its name and history)',
    );
    expect(credentialRefusal({ ...active, previousValidUntil: at(-1) }, 'previous', NOW)?.message).toBe(
      'the cluster credential was replaced by a rotation and its grace period ended at 2026-03-01T11:59:59.000Z; use the new one',
    );
  });
});

describe('credentialState', () => {
  it.each<[Partial<CredentialLifetime>, string]>([
    [{}, 'Active'],
    [{ expiresAt: at(-1) }, 'Expired'],
    [{ revokedAt: at(-1) }, 'Revoked'],
  ])('%j → %s', (patch, expected) => {
    expect(credentialState({ ...active, ...patch }, NOW)).toBe(expected);
  });
});
