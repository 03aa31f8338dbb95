import { createMessage, type Key, type PublicKey, readKeys, readSignature, verify } from 'openpgp';
import { type SignatureFinding } from './signature-finding.js';

/** Input that is not a usable OpenPGP public key; the message never quotes key material. */
export class OpenPgpFormatError extends Error {
  override readonly name = 'OpenPgpFormatError';
}

const ARMORED_BLOCK = /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/g;

/**
 * The public keys of armored key blocks (`gpg --armor --export`; several blocks one after another
 * are each read: openpgp would read the first alone). Private keys are refused.
 */
export async function readOpenPgpPublicKeys(armored: string): Promise<PublicKey[]> {
  if (armored.includes('PRIVATE KEY BLOCK')) {
    throw new OpenPgpFormatError('is a private key: give the public key (gpg --armor --export)');
  }
  const blocks = armored.match(ARMORED_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new OpenPgpFormatError('is not an armored OpenPGP public key block (gpg --armor --export)');
  }
  const keys: Key[] = [];
  for (const block of blocks) {
    try {
      keys.push(...(await readKeys({ armoredKeys: block })));
    } catch {
      // Not openpgp's message: it may quote the input.
      throw new OpenPgpFormatError('is not an armored OpenPGP public key block (gpg --armor --export)');
    }
  }
  if (keys.some((key) => key.isPrivate())) {
    throw new OpenPgpFormatError('is a private key: give the public key (gpg --armor --export)');
  }
  return keys as PublicKey[];
}

/**
 * Checks a detached OpenPGP signature (what `git commit -S` stores) over `payload` against the
 * trusted keys: the signer's key id comes from the signature, so an untrusted signer is named.
 */
export async function verifyOpenPgpSignature(
  armoredSignature: string,
  payload: Uint8Array,
  trusted: readonly PublicKey[],
): Promise<SignatureFinding> {
  const found = { format: 'gpg' as const, keyId: null, signer: null };
  let signature: Awaited<ReturnType<typeof readSignature>>;
  try {
    signature = await readSignature({ armoredSignature });
  } catch {
    return { ...found, status: 'invalid', reason: 'the OpenPGP signature cannot be read' };
  }
  const keyIds = signature.getSigningKeyIDs();
  const keyId = keyIds[0]?.toHex().toUpperCase() ?? null;
  const signingKey = trusted.find((key) => keyIds.some((id) => key.getKeys(id).length > 0));
  if (signingKey === undefined) {
    return {
      ...found,
      keyId,
      status: 'untrusted',
      reason: `signed by OpenPGP key ${keyId ?? '(no key id)'}, which is not a trusted key`,
    };
  }
  const signer = await primaryUser(signingKey);
  const result = await verify({
    message: await createMessage({ binary: payload }),
    signature,
    verificationKeys: [signingKey],
    expectSigned: false,
    format: 'binary',
  });
  try {
    await result.signatures[0]!.verified;
  } catch (error) {
    const why = error instanceof Error ? error.message.slice(0, 200) : 'it does not verify';
    return {
      ...found,
      keyId,
      signer,
      status: 'invalid',
      reason: `the signature by key ${keyId} is bad: ${why}`,
    };
  }
  return { ...found, keyId, signer, status: 'verified', reason: null };
}

async function primaryUser(key: PublicKey): Promise<string | null> {
  try {
    return (await key.getPrimaryUser()).user.userID?.userID ?? null;
  } catch {
    return key.getUserIDs()[0] ?? null;
  }
}
