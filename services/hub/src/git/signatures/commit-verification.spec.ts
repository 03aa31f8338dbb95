import { describe, expect, it } from '@jest/globals';
import {
  loadTrustedKeys,
  policyFingerprint,
  TrustedKeyError,
  verifyCommitSignature,
  type VerifyPolicy,
} from './commit-verification.js';
import {
  COMMITS,
  OPENPGP_OTHER_KEY,
  OPENPGP_TRUSTED_KEY,
  SSH_ECDSA_KEY,
  SSH_ED25519_KEY,
  SSH_FILE_NAMESPACE_SIGNATURE,
  SSH_RSA_KEY,
} from './signature-fixtures.js';
import { splitSignedCommit } from './signed-commit.js';

const commit = (name: keyof typeof COMMITS) => splitSignedCommit(Buffer.from(COMMITS[name], 'base64'));
const GPG: VerifyPolicy = { mode: 'gpg', trustedKeys: [OPENPGP_TRUSTED_KEY] };
const SSH: VerifyPolicy = { mode: 'ssh', trustedKeys: [SSH_ED25519_KEY, SSH_RSA_KEY, SSH_ECDSA_KEY] };
const OPENPGP_TRUSTED_ID = 'C43DCD39329F21FB';
const OPENPGP_OTHER_ID = 'DAFE7DF31A124A1D';

describe('verifyCommitSignature', () => {
  it.each([
    ['OpenPGP, trusted', GPG, 'openpgpTrusted', 'verified', OPENPGP_TRUSTED_ID, /Trusted Signer/],
    ['OpenPGP, another key', GPG, 'openpgpOther', 'untrusted', OPENPGP_OTHER_ID, /not a trusted key/],
    ['OpenPGP policy, SSH signature', GPG, 'sshEd25519', 'invalid', null, /trusts only gpg/],
    ['OpenPGP policy, unsigned', GPG, 'unsigned', 'unsigned', null, /not signed/],
    ['SSH ed25519, trusted', SSH, 'sshEd25519', 'verified', /^SHA256:/, /ed25519@fleetwave/],
    ['SSH RSA (rsa-sha2-512), trusted', SSH, 'sshRsa', 'verified', /^SHA256:/, /rsa@fleetwave/],
    ['SSH ECDSA P-256, trusted', SSH, 'sshEcdsa', 'verified', /^SHA256:/, /ecdsa@fleetwave/],
    ['SSH policy, OpenPGP signature', SSH, 'openpgpTrusted', 'invalid', null, /trusts only ssh/],
    ['SSH policy, unsigned', SSH, 'unsigned', 'unsigned', null, /not signed/],
  ] as const)('%s', async (_, policy, name, status, keyId, detail) => {
    const found = await verifyCommitSignature(await loadTrustedKeys(policy), commit(name));
    expect(found.status).toBe(status);
    if (keyId === null || typeof keyId === 'string') expect(found.keyId).toBe(keyId);
    else expect(found.keyId).toMatch(keyId);
    expect(`${found.signer ?? ''} ${found.reason ?? ''}`).toMatch(detail);
    expect(found.reason === null).toBe(status === 'verified');
  });

  it('names an untrusted SSH signer by the fingerprint ssh-keygen -l prints', async () => {
    const trusted = await loadTrustedKeys({ mode: 'ssh', trustedKeys: [SSH_ED25519_KEY] });
    const found = await verifyCommitSignature(trusted, commit('sshRsa'));
    expect(found).toMatchObject({ status: 'untrusted', format: 'ssh', signer: null });
    const rsaOnly = await loadTrustedKeys({ mode: 'ssh', trustedKeys: [SSH_RSA_KEY] });
    expect(found.keyId).toBe(rsaOnly.mode === 'ssh' ? rsaOnly.ssh[0]!.fingerprint : '');
  });

  it.each([
    ['OpenPGP', GPG, 'openpgpTrusted'],
    ['SSH ed25519', SSH, 'sshEd25519'],
    ['SSH RSA', SSH, 'sshRsa'],
    ['SSH ECDSA', SSH, 'sshEcdsa'],
  ] as const)('a changed commit with its old %s signature is invalid', async (_, policy, name) => {
    const original = commit(name);
    const payload = Buffer.from(original.payload.toString('latin1').replace(/\n\n/, '\n\nforged '), 'latin1');
    const found = await verifyCommitSignature(await loadTrustedKeys(policy), { ...original, payload });
    expect(found.status).toBe('invalid');
    expect(found.keyId).not.toBeNull();
  });

  it('refuses an SSH signature made for another namespace', async () => {
    const found = await verifyCommitSignature(await loadTrustedKeys(SSH), {
      payload: Buffer.from('hello\n'),
      signature: SSH_FILE_NAMESPACE_SIGNATURE,
    });
    expect(found).toMatchObject({ status: 'invalid', reason: expect.stringContaining('namespace "file"') });
  });

  it.each([
    [
      'x509',
      '-----BEGIN SIGNED MESSAGE-----\nMIIB\n-----END SIGNED MESSAGE-----',
      GPG,
      /other than OpenPGP or SSH/,
    ],
    [
      'garbled OpenPGP',
      '-----BEGIN PGP SIGNATURE-----\n\n!!!\n-----END PGP SIGNATURE-----',
      GPG,
      /cannot be read/,
    ],
    ['garbled SSH', '-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----', SSH, /SSH signature/],
    [
      'truncated SSH',
      SSH_FILE_NAMESPACE_SIGNATURE.replace(/\n[^\n]+\n-----END/, '\n-----END'),
      SSH,
      /SSH signature/,
    ],
  ] as const)('a %s signature is invalid', async (_, signature, policy, reason) => {
    const found = await verifyCommitSignature(await loadTrustedKeys(policy), {
      payload: Buffer.from('x'),
      signature,
    });
    expect(found.status).toBe('invalid');
    expect(found.reason).toMatch(reason);
  });
});

describe('loadTrustedKeys', () => {
  it.each([
    ['not a key', { mode: 'gpg', trustedKeys: ['hello'] }, 0, /not an armored OpenPGP public key/],
    [
      'a corrupt OpenPGP key block',
      { mode: 'gpg', trustedKeys: [OPENPGP_TRUSTED_KEY.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!')] },
      0,
      /not an armored OpenPGP public key/,
    ],
    ['an SSH key as OpenPGP', { mode: 'gpg', trustedKeys: [OPENPGP_TRUSTED_KEY, SSH_RSA_KEY] }, 1, /OpenPGP/],
    [
      'a private OpenPGP key',
      {
        mode: 'gpg',
        trustedKeys: ['-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nxx\n-----END PGP PRIVATE KEY BLOCK-----'],
      },
      0,
      /private key/,
    ],
    [
      'a private SSH key',
      {
        mode: 'ssh',
        trustedKeys: ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----'],
      },
      0,
      /private key/,
    ],
    ['an OpenPGP key as SSH', { mode: 'ssh', trustedKeys: [OPENPGP_TRUSTED_KEY] }, 0, /private key|key type/],
    [
      'an unsupported SSH type',
      { mode: 'ssh', trustedKeys: ['ssh-dss AAAAB3NzaC1kc3M= old'] },
      0,
      /key type "ssh-dss"/,
    ],
    [
      'an SSH key whose type and blob disagree',
      { mode: 'ssh', trustedKeys: [SSH_ED25519_KEY.replace(/^ssh-ed25519/, 'ssh-rsa')] },
      0,
      /holds a "ssh-ed25519" key/,
    ],
    [
      'a truncated SSH key',
      {
        mode: 'ssh',
        trustedKeys: [
          SSH_RSA_KEY.split(' ')
            .map((p, i) => (i === 1 ? p.slice(0, 60) : p))
            .join(' '),
        ],
      },
      0,
      /truncated|not base64/,
    ],
    ['a type alone', { mode: 'ssh', trustedKeys: ['ssh-ed25519'] }, 0, /not an OpenSSH public key line/],
  ] as const)('refuses %s, naming its index', async (_, policy, index, reason) => {
    const error = await loadTrustedKeys(policy as unknown as VerifyPolicy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrustedKeyError);
    expect((error as TrustedKeyError).index).toBe(index);
    expect((error as Error).message).toMatch(reason);
  });

  it('accepts several keys in one armored OpenPGP block', async () => {
    const trusted = await loadTrustedKeys({
      mode: 'gpg',
      trustedKeys: [`${OPENPGP_TRUSTED_KEY}\n${OPENPGP_OTHER_KEY}`],
    });
    expect(trusted.mode === 'gpg' && trusted.openpgp.length).toBe(2);
    expect((await verifyCommitSignature(trusted, commit('openpgpOther'))).status).toBe('verified');
  });
});

describe('policyFingerprint', () => {
  it('changes with the mode and the keys, not with surrounding whitespace', () => {
    expect(policyFingerprint(null)).toBe('none');
    expect(policyFingerprint(SSH)).toBe(
      policyFingerprint({ ...SSH, trustedKeys: SSH.trustedKeys.map((k) => ` ${k}\n`) }),
    );
    expect(policyFingerprint(SSH)).not.toBe(policyFingerprint({ ...SSH, trustedKeys: [SSH_ED25519_KEY] }));
    expect(policyFingerprint({ mode: 'gpg', trustedKeys: [] })).not.toBe(
      policyFingerprint({ mode: 'ssh', trustedKeys: [] }),
    );
  });
});
