import { createHash, randomBytes } from 'node:crypto';

/**
 * Secrets handed to agents and people are 256-bit random strings with a readable type prefix
 * (so a leaked one is recognisable in a scanner). The hub stores only their sha256: with that much
 * entropy a slow hash adds nothing, and lookups stay an indexed equality.
 */
export type SecretKind = 'fwr' | 'fwc' | 'fwa';

export function newSecret(kind: SecretKind): string {
  return `${kind}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
