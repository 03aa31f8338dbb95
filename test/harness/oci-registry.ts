import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { stringify } from 'yaml';
import { kubeBinDir } from '../kube/fleet.js';
import { freePort } from './net.js';
import { type ManagedProcess, startManagedProcess } from './process.js';
import { StopWaiting, waitFor } from './wait-for.js';

/** The CNCF distribution registry built by test/kube/build-registry.sh. */
export const registryBinary = (): string => path.join(kubeBinDir(), 'registry');

export interface OciRegistry {
  /** `127.0.0.1:PORT`, what `oci://` references and `helm registry login` take. */
  readonly host: string;
  readonly port: number;
  /** Where pushed blobs and manifests are stored (removed by stop()). */
  readonly storageDir: string;
  /** The registry's last log lines, for failure messages. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export interface OciRegistryOptions {
  /** When set, every request needs HTTP basic auth with exactly these credentials (htpasswd, bcrypt). */
  auth?: { username: string; password: string };
  /** How long to wait for `/v2/` to answer (default 30 s). */
  startTimeoutMs?: number;
}

/**
 * A real OCI registry for tests: the distribution registry on 127.0.0.1 and a free port, plain
 * HTTP (clients need `--plain-http`), filesystem storage in a temporary directory, and optionally
 * htpasswd basic auth. Resolves once `/v2/` answers (200, or 401 with auth); stop() ends it and
 * removes its directory.
 */
export async function startOciRegistry(options: OciRegistryOptions = {}): Promise<OciRegistry> {
  const binary = registryBinary();
  if (!existsSync(binary)) {
    throw new Error(`registry not found at ${binary}: build it with \`bash test/kube/build-registry.sh\``);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'fleetwave-registry-'));
  const storageDir = path.join(dir, 'storage');
  await mkdir(storageDir);
  const port = await freePort();
  const host = `127.0.0.1:${port}`;

  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storageDir }, delete: { enabled: true } },
    // A fixed secret: without one the registry makes a random one and warns.
    http: { addr: host, secret: randomBytes(16).toString('hex') },
  };
  if (options.auth) {
    const htpasswd = path.join(dir, 'htpasswd');
    // The registry accepts bcrypt entries only.
    await writeFile(htpasswd, `${options.auth.username}:${bcrypt.hashSync(options.auth.password, 10)}\n`, {
      mode: 0o600,
    });
    config.auth = { htpasswd: { realm: 'fleetwave-test-registry', path: htpasswd } };
  }
  const configFile = path.join(dir, 'config.yml');
  await writeFile(configFile, stringify(config));

  const registry: ManagedProcess = startManagedProcess(binary, ['serve', configFile], {
    logFile: path.join(dir, 'registry.log'),
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir },
  });
  let exited = false;
  void registry.exited().then(() => (exited = true));
  const stop = async () => {
    await registry.stop('SIGTERM', 5_000);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      async () => {
        if (exited) throw new StopWaiting(`the registry exited:\n${registry.logTail()}`);
        const response = await fetch(`http://${host}/v2/`);
        await response.arrayBuffer();
        return response.status === (options.auth ? 401 : 200);
      },
      { description: `the registry at ${host} to answer /v2/`, timeoutMs: options.startTimeoutMs ?? 30_000 },
    );
  } catch (error) {
    const tail = registry.logTail();
    await stop();
    throw new Error(`${(error as Error).message}\nregistry log:\n${tail}`, { cause: error });
  }

  return { host, port, storageDir, logTail: (lines) => registry.logTail(lines), stop };
}
