import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type CommitSigning } from './git-server.js';
import { requireTool } from './process.js';

const run = promisify(execFile);

/** A key that signs commits for tests, made with the real tool; stop() removes it (and gpg's agent). */
export interface CommitSigner {
  /** What the hub trusts: an armored OpenPGP public key block, or an OpenSSH public key line. */
  publicKey: string;
  /** As the hub reports it: OpenPGP 16-hex key id; SSH `SHA256:…` fingerprint (ssh-keygen -l). */
  keyId: string;
  /** Pass to LocalRepo.commit. */
  signing: CommitSigning;
  stop(): Promise<void>;
}

/**
 * A fresh OpenPGP signing key (ed25519, no passphrase) in its own GNUPGHOME, made by Debian's gpg.
 * The home is short (the agent's socket path must fit in 108 bytes).
 */
export async function createGpgSigner(name: string, email: string): Promise<CommitSigner> {
  requireTool('gpg', ['--version'], 'Install GnuPG (Debian: apt-get install gnupg).');
  const home = await mkdtemp(path.join(tmpdir(), 'fw-gpg-'));
  await chmod(home, 0o700);
  const env = { ...process.env, GNUPGHOME: home };
  const gpg = async (args: string[]) => (await run('gpg', ['--batch', ...args], { env })).stdout;
  try {
    await gpg(['--passphrase', '', '--quick-gen-key', `${name} <${email}>`, 'ed25519', 'sign', 'never']);
    const listing = await gpg(['--with-colons', '--list-keys', email]);
    const keyId = listing
      .split('\n')
      .find((line) => line.startsWith('pub:'))
      ?.split(':')[4];
    if (keyId === undefined) throw new Error(`gpg made no key for ${email}`);
    const publicKey = await gpg(['--armor', '--export', keyId]);
    return {
      publicKey,
      keyId: keyId.toUpperCase(),
      signing: { config: { 'gpg.format': 'openpgp', 'user.signingkey': keyId }, env: { GNUPGHOME: home } },
      async stop() {
        await run('gpgconf', ['--kill', 'gpg-agent'], { env }).catch(() => undefined);
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await run('gpgconf', ['--kill', 'gpg-agent'], { env }).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
    throw error;
  }
}

/** A fresh SSH signing key (no passphrase) made by Debian's ssh-keygen; git signs with gpg.format=ssh. */
export async function createSshSigner(
  comment: string,
  type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519',
): Promise<CommitSigner> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fw-ssh-'));
  const file = path.join(dir, `id_${type}`);
  try {
    await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', comment, '-f', file]);
    const publicKey = (await readFile(`${file}.pub`, 'utf8')).trim();
    const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`]);
    const keyId = stdout.split(' ')[1]!;
    return {
      publicKey,
      keyId,
      signing: { config: { 'gpg.format': 'ssh', 'user.signingkey': file } },
      stop: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new Error('`ssh-keygen` is required. Install OpenSSH (Debian: apt-get install openssh-client).', {
        cause: error,
      });
    }
    throw error;
  }
}
