import { describe, expect, it } from '@jest/globals';
import { VerifyMode } from '@fleetwave/api-client';
import { CliError } from '../errors.js';
import { trustedKeysFrom, verifyInput } from './trusted-keys.js';

const BLOCK = (n: number) =>
  `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nkey${n}\n-----END PGP PUBLIC KEY BLOCK-----`;
const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA ann@example.com';
const RSA = 'ssh-rsa AAAAB3NzaC1yc2E bob';

describe('trustedKeysFrom', () => {
  it.each([
    ['one OpenPGP block', `${BLOCK(1)}\n`, VerifyMode.Gpg, [BLOCK(1)]],
    [
      'two OpenPGP blocks with text around',
      `keys:\n${BLOCK(1)}\n\n${BLOCK(2)}\n`,
      VerifyMode.Gpg,
      [BLOCK(1), BLOCK(2)],
    ],
    ['SSH lines, blanks and comments skipped', `# team\n${ED}\n\n  ${RSA}  \n`, VerifyMode.Ssh, [ED, RSA]],
  ])('%s', (_, text, mode, keys) => {
    expect(trustedKeysFrom(text, mode, 'keys.txt')).toEqual(keys);
  });

  it.each([
    ['no OpenPGP block', 'ssh-ed25519 AAAA', VerifyMode.Gpg, /keys.txt: no armored OpenPGP public key block/],
    ['no SSH line', '# nothing\n\n', VerifyMode.Ssh, /keys.txt: no OpenSSH public key line/],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nx\n', VerifyMode.Ssh, /private key/],
    ['a private OpenPGP key', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nx\n', VerifyMode.Gpg, /private key/],
  ])('refuses %s', (_, text, mode, message) => {
    const error = (() => {
      try {
        return trustedKeysFrom(text, mode, 'keys.txt');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('USAGE');
    expect((error as Error).message).toMatch(message);
  });
});

describe('verifyInput', () => {
  const file = { path: 'keys.txt', text: ED };
  it.each([
    ['nothing given', undefined, undefined, undefined],
    ['--no-verify', false, undefined, null],
    ['--verify ssh with a keys file', VerifyMode.Ssh, file, { mode: VerifyMode.Ssh, trustedKeys: [ED] }],
  ] as const)('%s', (_, verify, keys, expected) => {
    expect(verifyInput(verify, keys)).toEqual(expected);
  });

  it.each([
    ['--verify without keys', VerifyMode.Gpg, undefined, /--verify gpg needs --trusted-keys-file/],
    ['keys without --verify', undefined, file, /--trusted-keys-file needs --verify/],
    ['--no-verify with keys', false, file, /--no-verify takes no --trusted-keys-file/],
  ] as const)('refuses %s', (_, verify, keys, message) => {
    expect(() => verifyInput(verify, keys)).toThrow(message);
  });
});
