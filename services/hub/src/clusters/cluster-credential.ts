/**
 * When a cluster credential (and the report-signing key issued with it) is accepted. One rule for
 * the agent API's guard and for report ingestion, so a key is never refused on one path and
 * accepted on the other.
 */

/** Which of the cluster's two credentials was presented: the current one, or the one a rotation replaced. */
export type CredentialSlot = 'current' | 'previous';

export interface CredentialLifetime {
  /** Null: issued before credentials expired (never expires). */
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** The previous credential and key work until then (the rotation's grace). */
  previousValidUntil: Date | null;
}

export type CredentialRefusalCode = 'CREDENTIAL_REVOKED' | 'CREDENTIAL_EXPIRED';
export interface CredentialRefusal {
  code: CredentialRefusalCode;
  message: string;
}

const COMES_BACK =
  'the agent registers again with a registration token (the cluster keeps its name and history)';

/** Why the credential (or its key) in `slot` is refused at `now`, or null when it is accepted. */
export function credentialRefusal(
  lifetime: CredentialLifetime,
  slot: CredentialSlot,
  now: Date,
): CredentialRefusal | null {
  if (lifetime.revokedAt) {
    return {
      code: 'CREDENTIAL_REVOKED',
      message: `the cluster credential was revoked at ${lifetime.revokedAt.toISOString()}; ${COMES_BACK}`,
    };
  }
  if (slot === 'previous') {
    const until = lifetime.previousValidUntil;
    if (until && now.getTime() < until.getTime()) return null;
    return {
      code: 'CREDENTIAL_EXPIRED',
      message: `the cluster credential was replaced by a rotation${until ? ` and its grace period ended at ${until.toISOString()}` : ''}; use the new one`,
    };
  }
  if (lifetime.expiresAt && now.getTime() >= lifetime.expiresAt.getTime()) {
    return {
      code: 'CREDENTIAL_EXPIRED',
      message: `the cluster credential expired at ${lifetime.expiresAt.toISOString()} (agents rotate it before then); ${COMES_BACK}`,
    };
  }
  return null;
}

/** The credential's standing as the API shows it. */
export type CredentialState = 'Active' | 'Expired' | 'Revoked';

export function credentialState(lifetime: CredentialLifetime, now: Date): CredentialState {
  const refusal = credentialRefusal(lifetime, 'current', now);
  if (!refusal) return 'Active';
  return refusal.code === 'CREDENTIAL_REVOKED' ? 'Revoked' : 'Expired';
}
