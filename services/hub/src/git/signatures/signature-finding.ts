/**
 * What checking a commit's signature found. `verified`: signed, the signature good, the key
 * trusted. `unsigned`: no signature. `untrusted`: signed by a key the application does not trust.
 * `invalid`: a signature that is unreadable, of the other format, or does not verify.
 */
export type SignatureStatus = 'verified' | 'unsigned' | 'untrusted' | 'invalid';
export const SIGNATURE_STATUSES: readonly SignatureStatus[] = [
  'verified',
  'unsigned',
  'untrusted',
  'invalid',
];

export interface SignatureFinding {
  status: SignatureStatus;
  /** The signature's format, null when unsigned or unrecognised. */
  format: 'gpg' | 'ssh' | null;
  /** OpenPGP: the signing key's 16-hex key id; SSH: the key's `SHA256:…` fingerprint. */
  keyId: string | null;
  /** The trusted key's user id (OpenPGP) or comment (SSH), when it is a trusted key. */
  signer: string | null;
  /** Why it is not verified; null when it is. */
  reason: string | null;
}
