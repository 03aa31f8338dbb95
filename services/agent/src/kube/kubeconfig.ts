import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

import { isRecord } from '../domain/index.js';

/** Where the in-cluster service account's credentials are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** How often a token file is read again (projected service-account tokens rotate). */
const TOKEN_REREAD_MS = 60_000;

/**
 * How to reach and authenticate to one API server: what the agent takes from a kubeconfig context,
 * or from the in-cluster service account.
 *
 * Supported: client certificates, bearer tokens (inline or a file, re-read periodically), a CA
 * (inline or a file), `insecure-skip-tls-verify` and `tls-server-name`. Not supported (a clear
 * error at load): exec plugins, auth-provider plugins, basic auth, proxies.
 */
export interface KubeConnection {
  /** `https://host:port` (a path prefix is kept). */
  server: string;
  /** Where it came from, for messages: `kubeconfig <file> context <name>` or `in-cluster`. */
  source: string;
  /** The context's default namespace, when it has one. */
  namespace?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  /** The bearer token to send now (undefined: none). Re-reads a token file now and then. */
  token(): string | undefined;
}

export interface LoadKubeConnectionOptions {
  /** A kubeconfig file; without it, the in-cluster service account. */
  kubeconfigPath?: string;
  /** A context of that kubeconfig; default its current-context. */
  context?: string;
}

export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';
}

export function loadKubeConnection(options: LoadKubeConnectionOptions = {}): KubeConnection {
  if (options.kubeconfigPath === undefined) {
    if (options.context !== undefined) {
      throw new KubeConfigError(`kubeconfig (in-cluster) has no context "${options.context}"`);
    }
    return inClusterConnection();
  }
  return kubeconfigConnection(options.kubeconfigPath, options.context);
}

/** The in-cluster service account (KUBERNETES_SERVICE_HOST/PORT and the mounted token and CA). */
export function inClusterConnection(
  env: NodeJS.ProcessEnv = process.env,
  dir: string = SERVICE_ACCOUNT_DIR,
): KubeConnection {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new KubeConfigError(
      'not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset): give a kubeconfig path to run outside one',
    );
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const tokenFile = path.join(dir, 'token');
  const connection: KubeConnection = {
    server: `https://${hostPart}:${port}`,
    source: 'in-cluster',
    ca: readFile(path.join(dir, 'ca.crt'), 'in-cluster CA'),
    skipTLSVerify: false,
    token: fileToken(tokenFile, 'in-cluster service account token'),
  };
  const namespace = readOptional(path.join(dir, 'namespace'))?.toString('utf8').trim();
  if (namespace) connection.namespace = namespace;
  return connection;
}

/** One context of a kubeconfig file. */
export function kubeconfigConnection(file: string, contextName?: string): KubeConnection {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KubeConfigError(`kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isRecord(doc)) throw new KubeConfigError(`kubeconfig ${file}: not a kubeconfig`);
  const base = path.dirname(path.resolve(file));
  const name = contextName ?? (typeof doc['current-context'] === 'string' ? doc['current-context'] : '');
  if (name === '') throw new KubeConfigError(`kubeconfig ${file}: no current-context and no context given`);
  const context = named(doc.contexts, name, 'context');
  if (context === undefined) throw new KubeConfigError(`kubeconfig ${file} has no context "${name}"`);
  const source = `kubeconfig ${file} context "${name}"`;
  const clusterName = typeof context.cluster === 'string' ? context.cluster : '';
  const cluster = named(doc.clusters, clusterName, 'cluster');
  if (cluster === undefined) throw new KubeConfigError(`${source}: no cluster "${clusterName}"`);
  const userName = typeof context.user === 'string' ? context.user : '';
  const user = userName === '' ? {} : named(doc.users, userName, 'user');
  if (user === undefined) throw new KubeConfigError(`${source}: no user "${userName}"`);

  const server = str(cluster.server);
  if (server === undefined || server === '')
    throw new KubeConfigError(`${source}: the cluster has no server`);
  if (!/^https?:\/\//.test(server)) throw new KubeConfigError(`${source}: unsupported server URL ${server}`);
  if (str(cluster['proxy-url']) !== undefined) {
    throw new KubeConfigError(`${source}: cluster proxy-url is not supported`);
  }
  for (const [field, what] of [
    ['exec', 'exec credential plugins (users[].user.exec)'],
    ['auth-provider', 'auth-provider plugins (users[].user.auth-provider)'],
    ['username', 'basic auth (users[].user.username/password)'],
    ['password', 'basic auth (users[].user.username/password)'],
    ['as', 'impersonation (users[].user.as)'],
  ] as const) {
    if (user[field] !== undefined && user[field] !== null) {
      throw new KubeConfigError(
        `${source}: user "${userName}" uses ${what}, which the agent does not support`,
      );
    }
  }

  const resolve = (p: string): string => (path.isAbsolute(p) ? p : path.join(base, p));
  const material = (data: unknown, fileField: unknown, what: string): Buffer | undefined => {
    const inline = str(data);
    if (inline !== undefined && inline !== '') return Buffer.from(inline, 'base64');
    const f = str(fileField);
    return f !== undefined && f !== '' ? readFile(resolve(f), `${source}: ${what}`) : undefined;
  };

  const connection: KubeConnection = {
    server: server.replace(/\/+$/, ''),
    source,
    skipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    token: () => undefined,
  };
  const namespace = str(context.namespace);
  if (namespace) connection.namespace = namespace;
  const ca = material(cluster['certificate-authority-data'], cluster['certificate-authority'], 'CA');
  if (ca !== undefined) connection.ca = ca;
  const cert = material(user['client-certificate-data'], user['client-certificate'], 'client certificate');
  if (cert !== undefined) connection.cert = cert;
  const key = material(user['client-key-data'], user['client-key'], 'client key');
  if (key !== undefined) connection.key = key;
  if ((cert === undefined) !== (key === undefined)) {
    throw new KubeConfigError(`${source}: a client certificate needs both a certificate and a key`);
  }
  const tlsServerName = str(cluster['tls-server-name']);
  if (tlsServerName) connection.tlsServerName = tlsServerName;
  const token = str(user.token);
  const tokenFile = str(user.tokenFile);
  if (token !== undefined && token !== '') connection.token = () => token;
  else if (tokenFile !== undefined && tokenFile !== '') {
    connection.token = fileToken(resolve(tokenFile), `${source}: token file`);
  }
  return connection;
}

/** `[{ name, <field>: {...} }]` → the `<field>` object of the entry called `name`. */
function named(list: unknown, name: string, field: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const entry of list as unknown[]) {
    if (isRecord(entry) && entry.name === name) return isRecord(entry[field]) ? entry[field] : {};
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function readFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new KubeConfigError(`${what} ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** A token read from `file` now, then again at most every minute (the last good one is kept on a read error). */
function fileToken(file: string, what: string): () => string | undefined {
  let token = readFile(file, what).toString('utf8').trim();
  let readAt = Date.now();
  return () => {
    if (Date.now() - readAt >= TOKEN_REREAD_MS) {
      readAt = Date.now();
      const fresh = readOptional(file)?.toString('utf8').trim();
      if (fresh) token = fresh;
    }
    return token === '' ? undefined : token;
  };
}
