import { createHash } from 'node:crypto';
import { type PublicKey } from 'openpgp';
import { OpenPgpFormatError, readOpenPgpPublicKeys, verifyOpenPgpSignature } from './openpgp-signature.js';
import { type SignatureFinding } from './signature-finding.js';
import { type SignedCommit } from './signed-commit.js';
import {
  parseSshPublicKey,
  parseSshSignature,
  SshFormatError,
  type SshPublicKey,
  sshFingerprint,
  verifySshSignature,
} from './ssh-signature.js';

export type VerifyMode = 'gpg' | 'ssh';
export const VERIFY_MODES: readonly VerifyMode[] = ['gpg', 'ssh'];

/**
 * An application's commit verification: commits must be signed in `mode` by one of `trustedKeys`
 * (armored OpenPGP public key blocks for gpg; OpenSSH public key lines for ssh).
 */
export interface VerifyPolicy {
  mode: VerifyMode;
  trustedKeys: string[];
}

/** The policy's keys, parsed. */
export type TrustedKeys =
  | { mode: 'gpg'; openpgp: PublicKey[]; policy: string }
  | { mode: 'ssh'; ssh: SshPublicKey[]; policy: string };

/** A trusted key that cannot be used: which one (its index in trustedKeys) and why. */
export class TrustedKeyError extends Error {
  override readonly name = 'TrustedKeyError';

  constructor(
    readonly index: number,
    reason: string,
  ) {
    super(`trustedKeys.${index}: ${reason}`);
  }
}

/** git signs in this SSH signature namespace (`ssh-keygen -Y sign -n git`). */
const GIT_NAMESPACE = 'git';
const PGP_ARMOR = '-----BEGIN PGP SIGNATURE-----';
const SSH_ARMOR = '-----BEGIN SSH SIGNATURE-----';

/**
 * What a revision's signature finding was checked against: sha256 of the mode and keys, or `none`
 * when the application does not verify. A revision checked against another policy is checked again.
 */
export function policyFingerprint(policy: VerifyPolicy | null): string {
  if (policy === null) return 'none';
  return createHash('sha256')
    .update(JSON.stringify([policy.mode, ...policy.trustedKeys.map((key) => key.trim())]))
    .digest('hex');
}

/** Parses every trusted key; the first unusable one is a {@link TrustedKeyError}. */
export async function loadTrustedKeys(policy: VerifyPolicy): Promise<TrustedKeys> {
  const fingerprint = policyFingerprint(policy);
  if (policy.mode === 'ssh') {
    const ssh = policy.trustedKeys.map((line, index) => {
      try {
        return parseSshPublicKey(line);
      } catch (error) {
        if (error instanceof SshFormatError) throw new TrustedKeyError(index, `${error.message}`);
        throw error;
      }
    });
    return { mode: 'ssh', ssh, policy: fingerprint };
  }
  const openpgp: PublicKey[] = [];
  for (const [index, armored] of policy.trustedKeys.entries()) {
    try {
      openpgp.push(...(await readOpenPgpPublicKeys(armored)));
    } catch (error) {
      if (error instanceof OpenPgpFormatError) throw new TrustedKeyError(index, error.message);
      throw error;
    }
  }
  return { mode: 'gpg', openpgp, policy: fingerprint };
}

/** Checks a commit's signature against the trusted keys (the commit split by `splitSignedCommit`). */
export async function verifyCommitSignature(
  trusted: TrustedKeys,
  commit: SignedCommit,
): Promise<SignatureFinding> {
  const signature = commit.signature?.trim() ?? null;
  if (signature === null) return notVerified('unsigned', null, 'the commit is not signed');
  const format = signature.startsWith(PGP_ARMOR) ? 'gpg' : signature.startsWith(SSH_ARMOR) ? 'ssh' : null;
  if (format === null) {
    return notVerified('invalid', null, 'the commit is signed in a format other than OpenPGP or SSH (x509?)');
  }
  if (format !== trusted.mode) {
    const kind = format === 'ssh' ? 'an SSH' : 'an OpenPGP';
    return notVerified(
      'invalid',
      format,
      `the commit is signed with ${kind} key; the application trusts only ${trusted.mode} signatures`,
    );
  }
  return trusted.mode === 'gpg'
    ? verifyOpenPgpSignature(signature, commit.payload, trusted.openpgp)
    : verifySsh(signature, commit.payload, trusted.ssh);
}

/** A finding that names no key: unsigned, or a signature not even read. */
function notVerified(
  status: 'unsigned' | 'invalid',
  format: VerifyMode | null,
  reason: string,
): SignatureFinding {
  return { status, format, keyId: null, signer: null, reason };
}

function verifySsh(armored: string, payload: Uint8Array, trusted: readonly SshPublicKey[]): SignatureFinding {
  const found = { format: 'ssh' as const, signer: null };
  let parsed: ReturnType<typeof parseSshSignature>;
  try {
    parsed = parseSshSignature(armored);
  } catch (error) {
    if (!(error instanceof SshFormatError)) throw error;
    return { ...found, keyId: null, status: 'invalid', reason: `the SSH signature ${error.message}` };
  }
  const keyId = sshFingerprint(parsed.publicKey);
  const key = trusted.find((candidate) => candidate.blob.equals(parsed.publicKey));
  if (key === undefined) {
    return {
      ...found,
      keyId,
      status: 'untrusted',
      reason: `signed by SSH key ${keyId}, which is not a trusted key`,
    };
  }
  const signer = key.comment === '' ? null : key.comment;
  if (parsed.namespace !== GIT_NAMESPACE) {
    return {
      ...found,
      keyId,
      signer,
      status: 'invalid',
      reason: `the SSH signature is for namespace "${parsed.namespace.slice(0, 40)}", not "git"`,
    };
  }
  if (!verifySshSignature(parsed, payload, GIT_NAMESPACE)) {
    return { ...found, keyId, signer, status: 'invalid', reason: `the signature by key ${keyId} is bad` };
  }
  return { ...found, keyId, signer, status: 'verified', reason: null };
}
