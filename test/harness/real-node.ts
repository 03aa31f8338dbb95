/**
 * The real-node cluster of test/kube/realnode.sh from TypeScript: one node whose kubelet really runs
 * Pods (containerd + runc + CNI bridge), for what kwok clusters cannot show (images, probes, logs,
 * RBAC of a running Pod, Helm installs). Plus the hub and agent images it runs: built by
 * scripts/images.sh only when their inputs changed, then imported into the node's containerd.
 *
 *   const node = await startRealNode('e2e');
 *   try { await node.importImages([...]); ...node.kubeconfigPath... } finally { await node.stop(); }
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT, run } from '../kube/fleet.js';
import { cacheDir } from './paths.js';

const SCRIPT = path.join(REPO_ROOT, 'test', 'kube', 'realnode.sh');

export interface RealNode {
  name: string;
  workdir: string;
  /** Admin kubeconfig (system:masters) of the cluster. */
  kubeconfigPath: string;
  server: string;
  nodeName: string;
  /** The host's address as Pods see it: services the Pods use listen here. */
  hostIp: string;
  podSubnet: string;
  /** The tiny HTTP server image (test/kube/node-images/httpd), already in containerd. */
  httpdImage: string;
  startupMs: number;
  /** Imports images from buildah's store into the node's containerd (skipped when already there). */
  importImages(images: readonly string[]): Promise<void>;
  /** Stops the cluster and removes its Pods, network and work dir. Idempotent. */
  stop(): Promise<void>;
}

const log = (line: string): void => {
  process.stderr.write(`[real-node ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

/**
 * The address Pods of a real node use for this host (what realnode.sh picks: the default route's
 * source address, or FLEETWAVE_REALNODE_HOST_IP); services for Pods listen on it.
 */
export function realNodeHostIp(): string {
  if (process.env.FLEETWAVE_REALNODE_HOST_IP) return process.env.FLEETWAVE_REALNODE_HOST_IP;
  const route = execFileSync('ip', ['-4', 'route', 'get', '1.1.1.1'], { encoding: 'utf8' });
  const ip = /\bsrc (\d+\.\d+\.\d+\.\d+)/.exec(route)?.[1];
  if (!ip) throw new Error('REALNODE_NO_HOST_IP: no default route; set FLEETWAVE_REALNODE_HOST_IP');
  return ip;
}

/** Starts real-node cluster `name` (a DNS label); at most one per machine (REALNODE_BUSY otherwise). */
export async function startRealNode(name: string, options: { timeoutMs?: number } = {}): Promise<RealNode> {
  const { stdout } = await run('bash', [SCRIPT, 'start', name], {
    timeoutMs: options.timeoutMs ?? 180_000,
  }).catch(async (error: unknown) => {
    await run('bash', [SCRIPT, 'stop', name], { timeoutMs: 120_000 }).catch(() => undefined);
    throw error;
  });
  const stateFile = stdout.trim().split('\n').pop() ?? '';
  const state = JSON.parse(await readFile(stateFile, 'utf8')) as Omit<RealNode, 'importImages' | 'stop'>;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= run('bash', [SCRIPT, 'stop', name], { timeoutMs: 120_000 }).then(() => undefined));
  // A test process that dies must not leave a node behind (its iptables chains, its bridge).
  process.once('exit', () => {
    if (!stopped) {
      try {
        execFileSync('bash', [SCRIPT, 'stop', name], { stdio: 'ignore', timeout: 60_000 });
      } catch {
        // best effort at exit
      }
    }
  });
  return {
    ...state,
    importImages: async (images) => {
      await run('bash', [SCRIPT, 'import', name, ...images], { timeoutMs: 600_000 });
    },
    stop,
  };
}

// ------------------------------------------------------------------------------- images

/** The files scripts/images.sh builds an app image from (its build context, .dockerignore'd). */
const IMAGE_INPUTS = [
  'package.json',
  'package-lock.json',
  'tsconfig.base.json',
  'libs',
  'migrations',
  'services',
  'test/kube/go-build-lib.sh',
  'test/kube/build-helm.sh',
  'test/kube/build-kustomize.sh',
  'scripts/images.sh',
  'scripts/images',
];
const IGNORED = /(^|\/)(node_modules|dist|test-fixtures)(\/|$)|\.tsbuildinfo$|\.spec\.tsx?$/;

/** A hash over the content of every input of the app images (tracked and untracked, not ignored). */
export function imageInputsKey(): string {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z', '--', ...IMAGE_INPUTS], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
    .split('\0')
    .filter((f) => f && !IGNORED.test(f) && existsSync(path.join(REPO_ROOT, f)))
    .sort();
  const hash = createHash('sha256');
  for (const f of files)
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(path.join(REPO_ROOT, f)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

function imageId(image: string): string | undefined {
  try {
    return execFileSync('buildah', ['inspect', '--type', 'image', '--format', '{{.FromImageID}}', image], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/**
 * docker.io/fleetwave/<app>:<version> for each app, built by `scripts/images.sh <app>` unless the
 * image in buildah's store was built from the same inputs (recorded under .cache/images/inputs).
 * Cold: ~13 min (Debian bases, npm ci); inputs changed: a few minutes; unchanged: nothing to do.
 */
export async function ensureAppImages(apps: readonly ('hub' | 'agent')[]): Promise<Record<string, string>> {
  const version = (
    JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  const key = imageInputsKey();
  const markerDir = cacheDir('images', 'inputs');
  await mkdir(markerDir, { recursive: true });
  const images: Record<string, string> = {};
  const stale: string[] = [];
  for (const app of apps) {
    const image = `docker.io/fleetwave/${app}:${version}`;
    images[app] = image;
    const marker = path.join(markerDir, app);
    const recorded = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '';
    const id = imageId(image);
    if (!id || recorded !== `${key} ${id}`) stale.push(app);
  }
  if (stale.length > 0) {
    log(`building images ${stale.join(', ')} (scripts/images.sh; inputs ${key})`);
    const started = Date.now();
    await run('bash', [path.join(REPO_ROOT, 'scripts', 'images.sh'), ...stale], { timeoutMs: 45 * 60_000 });
    log(`images built in ${Math.round((Date.now() - started) / 1000)} s`);
    for (const app of stale) {
      const id = imageId(images[app]!);
      if (!id) throw new Error(`scripts/images.sh did not produce ${images[app]}`);
      await writeFile(path.join(markerDir, app), `${key} ${id}\n`);
    }
  }
  return images;
}

// ------------------------------------------------------------------------------- charts

/** `helm` (test/kube/build-helm.sh) against the real node, with private HELM_*_HOME dirs under `workDir`. */
export function helmOn(node: RealNode, workDir: string): (...args: string[]) => Promise<string> {
  const env = {
    ...process.env,
    KUBECONFIG: node.kubeconfigPath,
    HELM_CACHE_HOME: path.join(workDir, 'helm', 'cache'),
    HELM_CONFIG_HOME: path.join(workDir, 'helm', 'config'),
    HELM_DATA_HOME: path.join(workDir, 'helm', 'data'),
  };
  return async (...args) =>
    (await run(cacheDir('kube', 'bin', 'helm'), args, { env, timeoutMs: 180_000 })).stdout;
}

export interface AgentChartInstall {
  /** Where the release goes (created when missing). */
  namespace: string;
  /** The agent image in the node's containerd, e.g. docker.io/fleetwave/agent:0.1.0. */
  image: string;
  hubUrl: string;
  brokers: readonly string[];
  clusterName: string;
  labels?: Record<string, string>;
  /** The registration token: kept in the Secret fleetwave-agent-registration of `namespace`. */
  registrationToken: string;
  /** More values, merged over these. */
  values?: Record<string, unknown>;
}

/** `kubectl` against the real node (admin). */
export function kubectlOn(node: RealNode): (...args: string[]) => Promise<string> {
  const env = { ...process.env, KUBECONFIG: node.kubeconfigPath };
  return async (...args) =>
    (await run(cacheDir('kube', 'bin', 'kubectl'), args, { env, timeoutMs: 120_000 })).stdout;
}

/**
 * `helm install fleetwave-agent charts/agent` on the real node, the registration token in a Secret
 * created first (the chart references it: the token never enters the values). Returns the values file.
 */
export async function installAgentChart(
  node: RealNode,
  workDir: string,
  install: AgentChartInstall,
): Promise<string> {
  const kubectl = kubectlOn(node);
  const namespaces = await kubectl('get', 'namespaces', '-o', 'name');
  if (!namespaces.split('\n').includes(`namespace/${install.namespace}`))
    await kubectl('create', 'namespace', install.namespace);
  await kubectl(
    'create',
    'secret',
    'generic',
    'fleetwave-agent-registration',
    '--namespace',
    install.namespace,
    `--from-literal=token=${install.registrationToken}`,
  );
  const file = path.join(workDir, 'agent-values.yaml');
  const tag = install.image.lastIndexOf(':');
  await writeFile(
    file,
    JSON.stringify(
      {
        image: {
          repository: install.image.slice(0, tag),
          tag: install.image.slice(tag + 1),
          pullPolicy: 'Never',
        },
        hub: { url: install.hubUrl },
        kafka: { brokers: install.brokers },
        cluster: { name: install.clusterName, labels: install.labels ?? {} },
        registration: { existingSecret: 'fleetwave-agent-registration' },
        ...install.values,
      },
      null,
      2,
    ),
  );
  await helmOn(node, workDir)(
    'install',
    'fleetwave-agent',
    path.join(REPO_ROOT, 'charts', 'agent'),
    '--namespace',
    install.namespace,
    '-f',
    file,
  );
  return file;
}
