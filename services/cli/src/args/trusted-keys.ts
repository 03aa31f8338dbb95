import { VerifyMode } from '@fleetwave/api-client';
import { usageError } from '../errors.js';

const PGP_BLOCK = /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/g;

/**
 * Pure: the keys of a --trusted-keys-file. gpg: each armored public key block (`gpg --armor --export`,
 * one or more); ssh: each non-empty line that is not a `#` comment (a `.pub` file, or several
 * concatenated). The hub reads the keys and names any it cannot use.
 */
export function trustedKeysFrom(text: string, mode: VerifyMode, source: string): string[] {
  if (text.includes('PRIVATE KEY')) {
    throw usageError(`${source}: holds a private key; give the public keys only`);
  }
  const keys =
    mode === VerifyMode.Gpg
      ? (text.match(PGP_BLOCK) ?? [])
      : text
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.startsWith('#'));
  if (keys.length === 0) {
    throw usageError(
      mode === VerifyMode.Gpg
        ? `${source}: no armored OpenPGP public key block (gpg --armor --export <key id>)`
        : `${source}: no OpenSSH public key line ("ssh-ed25519 AAAA… comment")`,
    );
  }
  return keys;
}

/**
 * Pure: the `verify` input of --verify and --trusted-keys-file (given together); `false` from
 * --no-verify clears it (update); undefined when neither is given.
 */
export function verifyInput(
  verify: VerifyMode | false | undefined,
  keysFile: { path: string; text: string } | undefined,
): { mode: VerifyMode; trustedKeys: string[] } | null | undefined {
  if (verify === false) {
    if (keysFile !== undefined) throw usageError('--no-verify takes no --trusted-keys-file');
    return null;
  }
  if (verify === undefined && keysFile === undefined) return undefined;
  if (verify === undefined) throw usageError('--trusted-keys-file needs --verify gpg|ssh');
  if (keysFile === undefined) throw usageError(`--verify ${verify} needs --trusted-keys-file`);
  return { mode: verify, trustedKeys: trustedKeysFrom(keysFile.text, verify, keysFile.path) };
}
