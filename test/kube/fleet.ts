/**
 * Fleet harness: real Kubernetes control planes (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler) plus kwok fake nodes, run as plain
 * processes on this machine by `kwokctl --runtime binary`. No Docker, no
 * network: every binary is built locally by test/kube/build-kube.sh.
 *
 *   const fleet = await startFleet({ clusters: 3 });
 *   try { ...fleet.clusters[i].kubeconfigPath... } finally { await fleet.stop(); }
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ----------------------------------------------------------------- paths

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (two levels above test/kube). */
export const REPO_ROOT = path.resolve(HERE, '..', '..');
export const BUILD_SCRIPT = path.join(HERE, 'build-kube.sh');
/**
 * Stages every fleet adds to kwok's defaults: pods of the images `kwok.fleetwave.test/exit-1` fail,
 * of `kwok.fleetwave.test/sleep-forever` keep running (other pods of Jobs complete, as by default).
 */
export const CHECK_STAGES = path.join(HERE, 'kwok-check-stages.yaml');
/** The image of a container that exits 1 in a test fleet (see {@link CHECK_STAGES}). */
export const KWOK_FAILING_IMAGE = 'kwok.fleetwave.test/exit-1';
/** The image of a container that never finishes in a test fleet (see {@link CHECK_STAGES}). */
export const KWOK_ENDLESS_IMAGE = 'kwok.fleetwave.test/sleep-forever';

/** `${FLEETWAVE_CACHE_DIR:-<repo>/.cache}/kube/bin`, the same rule as build-kube.sh. */
export function kubeBinDir(): string {
  const cacheRoot = process.env.FLEETWAVE_CACHE_DIR ?? path.join(REPO_ROOT, '.cache');
  return path.join(cacheRoot, 'kube', 'bin');
}

// ----------------------------------------------------------------- types

export interface KubeBinaries {
  binDir: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  kwok: string;
  kwokctl: string;
  /** kwok's own node and pod Stages, written by build-kube.sh (see {@link CHECK_STAGES}). */
  kwokDefaultStages: string;
  /** From bin/VERSIONS, e.g. { kubernetes: 'v1.34.4', etcd: 'v3.6.16', kwok: 'v0.8.0', go: 'go1.26.8' }. */
  versions: Readonly<Record<string, string>>;
}

export interface FleetCluster {
  /** kwokctl cluster name, e.g. `fleet-1`. */
  name: string;
  /** A kubeconfig holding only this cluster (client-certificate auth, https://127.0.0.1:<port>). */
  kubeconfigPath: string;
  /** The context to use in `kubeconfigPath` (also present in the fleet-wide kubeconfig). */
  context: string;
  /** API server URL, e.g. https://127.0.0.1:34567. */
  server: string;
  /** Wall time spent creating this cluster until its nodes were Ready. */
  startupMs: number;
}

export interface Fleet {
  /** Private KWOK_WORKDIR of this fleet; removed by stop(). */
  workdir: string;
  /** One kubeconfig with a context per cluster (`kwok-<name>`). */
  kubeconfigPath: string;
  clusters: FleetCluster[];
  binaries: KubeBinaries;
  /** Tear everything down. Idempotent; safe to call after a failed test. */
  stop(): Promise<void>;
}

export interface StartFleetOptions {
  clusters: number;
  /** Fake (kwok) nodes per cluster; default 1. */
  nodesPerCluster?: number;
  /** Cluster names are `${namePrefix}-${i}` (1-based); default `fleet`. */
  namePrefix?: string;
  /** Reuse binaries from an earlier ensureKubeBinaries() call (skips the build check). */
  binaries?: KubeBinaries;
  /** Per-cluster bound for create + nodes Ready; default 180 s. */
  clusterTimeoutMs?: number;
  /**
   * Kill this fleet's processes and remove its workdir when this Node process
   * exits or gets SIGINT/SIGTERM/SIGHUP. Default true. The CLI turns it off for
   * `start`, whose fleet must outlive it.
   */
  exitSafetyNet?: boolean;
  /** Progress logger; default writes `[fleet] ...` lines to stderr. */
  log?: (line: string) => void;
}

/** What is needed to find and stop a fleet from another process (see fleet-cli.ts). */
export interface FleetState {
  workdir: string;
  kubeconfigPath: string;
  clusters: FleetCluster[];
  binDir: string;
}

// ---------------------------------------------------------------- helpers

const defaultLog = (line: string): void => {
  process.stderr.write(`[fleet ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with each output line (stdout and stderr) as it arrives. */
  onLine?: (line: string) => void;
}

interface RunResult {
  stdout: string;
  stderr: string;
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Run a command to completion; rejects with CommandError (output attached) on failure or timeout. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timedOut = false;
    const onChunk = (chunk: Buffer, sink: 'out' | 'err'): void => {
      const text = chunk.toString('utf8');
      if (sink === 'out') stdout += text;
      else stderr += text;
      if (opts.onLine) {
        pending += text;
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        for (const part of parts) if (part.trim() !== '') opts.onLine(part);
      }
    };
    child.stdout.on('data', (c: Buffer) => onChunk(c, 'out'));
    child.stderr.on('data', (c: Buffer) => onChunk(c, 'err'));
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, opts.timeoutMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new CommandError(`${cmd}: ${err.message}`, null, stdout, stderr));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (opts.onLine && pending.trim() !== '') opts.onLine(pending);
      const shown = [path.basename(cmd), ...args].join(' ');
      if (timedOut) {
        reject(
          new CommandError(
            `${shown} timed out after ${opts.timeoutMs} ms\n${tail(stdout + stderr)}`,
            code,
            stdout,
            stderr,
          ),
        );
      } else if (code !== 0) {
        reject(
          new CommandError(
            `${shown} failed (${signal ?? `exit ${code}`})\n${tail(stdout + stderr)}`,
            code,
            stdout,
            stderr,
          ),
        );
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kwokctl logs JSON lines; show them as `LEVEL msg key=value ...` (other lines unchanged). */
export function compactKwokLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (!isRecord(parsed) || typeof parsed.msg !== 'string') return line;
  const skip = new Set(['time', 'level', 'source', 'msg', 'cluster']);
  const extras = Object.entries(parsed)
    .filter(([k]) => !skip.has(k))
    .map(([k, v]) => {
      if (isRecord(v) && typeof v.human === 'string') return `${k}=${v.human}`;
      return `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`;
    });
  const level = typeof parsed.level === 'string' ? parsed.level : 'INFO';
  return [level, parsed.msg, ...extras].join(' ');
}

// -------------------------------------------------------------- binaries

let binariesPromise: Promise<KubeBinaries> | undefined;

function binariesIn(binDir: string): KubeBinaries {
  const versions: Record<string, string> = {};
  const versionsFile = path.join(binDir, 'VERSIONS');
  if (existsSync(versionsFile)) {
    for (const line of readFileSync(versionsFile, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) versions[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  const b: KubeBinaries = {
    binDir,
    etcd: path.join(binDir, 'etcd'),
    kubeApiserver: path.join(binDir, 'kube-apiserver'),
    kubeControllerManager: path.join(binDir, 'kube-controller-manager'),
    kubeScheduler: path.join(binDir, 'kube-scheduler'),
    kubectl: path.join(binDir, 'kubectl'),
    kwok: path.join(binDir, 'kwok'),
    kwokctl: path.join(binDir, 'kwokctl'),
    kwokDefaultStages: path.join(binDir, 'kwok-default-stages.yaml'),
    versions,
  };
  const missing = [
    b.etcd,
    b.kubeApiserver,
    b.kubeControllerManager,
    b.kubeScheduler,
    b.kubectl,
    b.kwok,
    b.kwokctl,
    b.kwokDefaultStages,
  ].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`kube binaries missing after build: ${missing.join(', ')}`);
  }
  return b;
}

/**
 * Build (or verify the cache of) all binaries with test/kube/build-kube.sh.
 * Its progress goes straight to this process's stdout/stderr. Memoised per process.
 * A cold build takes ~15 min on 2 cores (~30 s with warm Go caches); a check of a complete cache ~1 s.
 */
export function ensureKubeBinaries(): Promise<KubeBinaries> {
  binariesPromise ??= new Promise<KubeBinaries>((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    });
    child.on('error', (err) => reject(new Error(`cannot run ${BUILD_SCRIPT}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`${BUILD_SCRIPT} failed (${signal ?? `exit ${code}`}); see its output above`));
        return;
      }
      try {
        resolve(binariesIn(kubeBinDir()));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }).catch((err: unknown) => {
    binariesPromise = undefined; // allow a retry
    throw err;
  });
  return binariesPromise;
}

// ------------------------------------------------------- process cleanup

/** PIDs of processes whose cwd is inside `workdir` or whose command line mentions a path inside it. */
export function processesUnder(workdir: string): number[] {
  const prefix = workdir.endsWith('/') ? workdir : `${workdir}/`;
  const self = new Set([process.pid, process.ppid]);
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids; // not Linux: nothing we can scan
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (self.has(pid)) continue;
    let match = false;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      match = cwd === workdir || cwd.startsWith(prefix);
    } catch {
      /* gone or not ours to read */
    }
    if (!match) {
      try {
        match = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
          .split('\0')
          .some((arg) => arg.includes(prefix));
      } catch {
        /* gone */
      }
    }
    if (match) pids.push(pid);
  }
  return pids;
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`, every process under `workdir`. Returns the PIDs still alive. */
export async function killProcessesUnder(workdir: string, graceMs = 5000): Promise<number[]> {
  let pids = processesUnder(workdir);
  if (pids.length === 0) return [];
  signalAll(pids, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(200);
    pids = processesUnder(workdir);
    if (pids.length === 0) return [];
  }
  signalAll(pids, 'SIGKILL');
  await sleep(300);
  return processesUnder(workdir);
}

/** Synchronous last-resort cleanup for process exit: SIGKILL everything under workdir, remove it. */
function killAndRemoveSync(workdir: string): void {
  signalAll(processesUnder(workdir), 'SIGKILL');
  try {
    rmSync(workdir, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
}

const liveWorkdirs = new Set<string>();
let safetyNetInstalled = false;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onExit(): void {
  for (const w of liveWorkdirs) killAndRemoveSync(w);
  liveWorkdirs.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  onExit();
  uninstallSafetyNet();
  // Re-raise so the default action (or other listeners) still apply.
  process.kill(process.pid, signal);
}

function installSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstallSafetyNet(): void {
  if (!safetyNetInstalled) return;
  safetyNetInstalled = false;
  process.off('exit', onExit);
  for (const s of SIGNALS) process.off(s, onSignal);
}

// ------------------------------------------------------------------ fleet

function kwokEnv(workdir: string, binaries: KubeBinaries, kubeconfigPath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // kwokctl needs `kubectl` on PATH, or it downloads one.
    PATH: `${binaries.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    KWOK_WORKDIR: workdir,
    KWOK_RUNTIME: 'binary',
    KUBECONFIG: kubeconfigPath,
  };
  const kubeVersion = binaries.versions.kubernetes;
  if (kubeVersion) env.KWOK_KUBE_VERSION = kubeVersion;
  return env;
}

/** System-wide lock serialising `kwokctl create` across processes (see runSerialized). */
const CREATE_LOCK = path.join(os.tmpdir(), 'fleetwave-kwokctl-create.lock');
let flockPath: string | null | undefined;

function findFlock(): string | null {
  if (flockPath === undefined) {
    const r = spawnSync('sh', ['-c', 'command -v flock'], { encoding: 'utf8' });
    flockPath = r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : null;
  }
  return flockPath;
}

/**
 * kwokctl picks "unused" ports by probing downward from 32767 and the
 * components bind them only later, so two fleets created at the same moment
 * (e.g. a demo fleet and a test run) could pick the same ports. Creating under
 * one system-wide flock (util-linux) closes that window; without flock the
 * command just runs. `--close` matters: kwokctl forks the long-lived
 * components, which must not inherit (and so hold forever) the lock's fd.
 */
function runSerialized(cmd: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const flock = findFlock();
  return flock ? run(flock, ['--close', CREATE_LOCK, cmd, ...args], opts) : run(cmd, args, opts);
}

interface NodeCondition {
  type: string;
  status: string;
}

/** Names of Ready nodes in `kubectl get nodes -o json` output. */
export function readyNodeNames(nodesJson: string): string[] {
  const parsed: unknown = JSON.parse(nodesJson);
  if (!isRecord(parsed) || !Array.isArray(parsed.items)) return [];
  const ready: string[] = [];
  for (const item of parsed.items as unknown[]) {
    if (!isRecord(item) || !isRecord(item.metadata) || !isRecord(item.status)) continue;
    const conditions = Array.isArray(item.status.conditions) ? (item.status.conditions as unknown[]) : [];
    const isReady = conditions.some(
      (c): c is NodeCondition => isRecord(c) && c.type === 'Ready' && c.status === 'True',
    );
    if (isReady && typeof item.metadata.name === 'string') ready.push(item.metadata.name);
  }
  return ready;
}

/** Run the fleet's kubectl against one cluster. */
export async function kubectl(
  binaries: Pick<KubeBinaries, 'kubectl'>,
  cluster: Pick<FleetCluster, 'kubeconfigPath' | 'context'>,
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<string> {
  const { stdout } = await run(
    binaries.kubectl,
    ['--kubeconfig', cluster.kubeconfigPath, '--context', cluster.context, ...args],
    { timeoutMs },
  );
  return stdout;
}

async function kubeconfigInfo(
  binaries: KubeBinaries,
  kubeconfigPath: string,
): Promise<{ context: string; server: string }> {
  const { stdout: context } = await run(
    binaries.kubectl,
    ['--kubeconfig', kubeconfigPath, 'config', 'current-context'],
    {
      timeoutMs: 10_000,
    },
  );
  const { stdout: server } = await run(
    binaries.kubectl,
    [
      '--kubeconfig',
      kubeconfigPath,
      'config',
      'view',
      '--minify',
      '-o',
      'jsonpath={.clusters[0].cluster.server}',
    ],
    { timeoutMs: 10_000 },
  );
  return { context: context.trim(), server: server.trim() };
}

function validateName(name: string): void {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 40) {
    throw new Error(`invalid cluster name ${JSON.stringify(name)}: use lowercase letters, digits and '-'`);
  }
}

/**
 * Start `clusters` clusters, one after another (apiserver start-up is CPU-heavy
 * on 2 cores). Each gets `nodesPerCluster` Ready fake nodes. If anything fails
 * half-way, the clusters already created are torn down before the error is
 * rethrown.
 */
export async function startFleet(opts: StartFleetOptions): Promise<Fleet> {
  const count = opts.clusters;
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`clusters must be a positive integer, got ${count}`);
  const nodes = opts.nodesPerCluster ?? 1;
  if (!Number.isInteger(nodes) || nodes < 0) throw new Error(`nodesPerCluster must be >= 0, got ${nodes}`);
  const prefix = opts.namePrefix ?? 'fleet';
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
  names.forEach(validateName);
  const log = opts.log ?? defaultLog;
  const timeoutMs = opts.clusterTimeoutMs ?? 180_000;
  const safetyNet = opts.exitSafetyNet ?? true;

  const binaries = opts.binaries ?? (await ensureKubeBinaries());

  const workdir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'fleetwave-kwok-')));
  if (safetyNet) {
    liveWorkdirs.add(workdir);
    installSafetyNet();
  }
  const kubeconfigPath = path.join(workdir, 'kubeconfig.yaml');
  const env = kwokEnv(workdir, binaries, kubeconfigPath);
  // kwokctl loads $KWOK_WORKDIR/kwok.yaml by default for every command. Stages in it replace
  // kwok's defaults, hence both lists.
  await writeFile(
    path.join(workdir, 'kwok.yaml'),
    [
      'kind: KwokctlConfiguration',
      'apiVersion: config.kwok.x-k8s.io/v1alpha1',
      'options:',
      '  runtime: binary',
      '  bindAddress: 127.0.0.1',
      '---',
      await readFile(binaries.kwokDefaultStages, 'utf8'),
      '---',
      await readFile(CHECK_STAGES, 'utf8'),
    ].join('\n'),
  );

  const clusters: FleetCluster[] = [];
  const fleet: Fleet = {
    workdir,
    kubeconfigPath,
    clusters,
    binaries,
    stop: () => stopFleet(fleet),
  };
  const createdNames: string[] = [];
  stopState.set(fleet, { names: createdNames, log, env });

  log(`starting ${count} cluster(s) in ${workdir} (kubernetes ${binaries.versions.kubernetes ?? '?'})`);
  try {
    for (const name of names) {
      const t0 = Date.now();
      const deadline = t0 + timeoutMs;
      const remaining = (): number => Math.max(1_000, deadline - Date.now());
      log(`${name}: creating`);
      createdNames.push(name); // before create: a half-created cluster must be deleted too
      await runSerialized(
        binaries.kwokctl,
        [
          'create',
          'cluster',
          '--name',
          name,
          '--runtime',
          'binary',
          '--etcd-binary',
          binaries.etcd,
          '--kube-apiserver-binary',
          binaries.kubeApiserver,
          '--kube-controller-manager-binary',
          binaries.kubeControllerManager,
          '--kube-scheduler-binary',
          binaries.kubeScheduler,
          '--kwok-controller-binary',
          binaries.kwok,
          '--kubeconfig',
          kubeconfigPath,
          '--wait',
          `${Math.ceil(remaining() / 1000)}s`,
          '--timeout',
          `${Math.ceil(remaining() / 1000)}s`,
        ],
        { env, timeoutMs: remaining() + 10_000, onLine: (l) => log(`${name}: ${compactKwokLine(l)}`) },
      );
      const clusterKubeconfig = path.join(workdir, 'clusters', name, 'kubeconfig.yaml');
      const { context, server } = await kubeconfigInfo(binaries, clusterKubeconfig);
      const cluster: FleetCluster = {
        name,
        kubeconfigPath: clusterKubeconfig,
        context,
        server,
        startupMs: 0,
      };

      if (nodes > 0) {
        await run(binaries.kwokctl, ['scale', 'node', '--name', name, '--replicas', String(nodes)], {
          env,
          timeoutMs: remaining(),
          onLine: (l) => log(`${name}: ${compactKwokLine(l)}`),
        });
        let ready: string[] = [];
        for (;;) {
          try {
            ready = readyNodeNames(await kubectl(binaries, cluster, ['get', 'nodes', '-o', 'json'], 15_000));
          } catch (err) {
            log(`${name}: get nodes: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
          }
          if (ready.length >= nodes) break;
          if (Date.now() > deadline) {
            throw new Error(`${name}: only ${ready.length}/${nodes} node(s) Ready after ${timeoutMs} ms`);
          }
          await sleep(500);
        }
      }
      cluster.startupMs = Date.now() - t0;
      clusters.push(cluster);
      log(`${name}: ready in ${(cluster.startupMs / 1000).toFixed(1)}s at ${server} (context ${context})`);
    }
  } catch (err) {
    log(`start failed, tearing down: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    try {
      await stopFleet(fleet);
    } catch (stopErr) {
      log(
        `cleanup after failed start also failed: ${stopErr instanceof Error ? stopErr.message : String(stopErr)}`,
      );
    }
    throw err;
  }
  return fleet;
}

interface StopState {
  names: string[];
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
  stopping?: Promise<void>;
}

const stopState = new WeakMap<Fleet, StopState>();

/**
 * Tear a fleet down: `kwokctl delete cluster` for each cluster (newest first),
 * then SIGTERM/SIGKILL whatever still runs under the workdir, then remove the
 * workdir. Idempotent. Throws only if processes survive SIGKILL.
 */
export function stopFleet(fleet: Fleet): Promise<void> {
  let state = stopState.get(fleet);
  if (!state) {
    // A fleet rebuilt from FleetState (another process started it).
    state = {
      names: fleet.clusters.map((c) => c.name),
      log: defaultLog,
      env: kwokEnv(fleet.workdir, fleet.binaries, fleet.kubeconfigPath),
    };
    stopState.set(fleet, state);
  }
  const s = state;
  s.stopping ??= (async () => {
    const t0 = Date.now();
    if (existsSync(path.join(fleet.workdir, 'clusters'))) {
      // Also catch clusters this process did not record (e.g. a crashed CLI start).
      const onDisk = readdirSync(path.join(fleet.workdir, 'clusters'));
      for (const n of onDisk) if (!s.names.includes(n)) s.names.push(n);
    }
    for (const name of [...s.names].reverse()) {
      if (!existsSync(path.join(fleet.workdir, 'clusters', name))) continue;
      try {
        await run(
          fleet.binaries.kwokctl,
          ['delete', 'cluster', '--name', name, '--kubeconfig', fleet.kubeconfigPath],
          { env: s.env, timeoutMs: 60_000 },
        );
        s.log(`${name}: deleted`);
      } catch (err) {
        s.log(
          `${name}: kwokctl delete failed, will kill its processes: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
        );
      }
    }
    const survivors = await killProcessesUnder(fleet.workdir);
    await rm(fleet.workdir, { recursive: true, force: true });
    liveWorkdirs.delete(fleet.workdir);
    if (liveWorkdirs.size === 0) uninstallSafetyNet();
    if (survivors.length > 0) {
      throw new Error(`processes under ${fleet.workdir} survived SIGKILL: ${survivors.join(', ')}`);
    }
    s.log(`fleet stopped in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  })();
  return s.stopping;
}

// ------------------------------------------------------- state (for the CLI)

export function fleetState(fleet: Fleet): FleetState {
  return {
    workdir: fleet.workdir,
    kubeconfigPath: fleet.kubeconfigPath,
    clusters: fleet.clusters,
    binDir: fleet.binaries.binDir,
  };
}

/** Rebuild a stoppable Fleet from a FleetState written by another process. */
export function fleetFromState(state: FleetState): Fleet {
  const binaries = binariesIn(state.binDir);
  const fleet: Fleet = {
    workdir: state.workdir,
    kubeconfigPath: state.kubeconfigPath,
    clusters: state.clusters,
    binaries,
    stop: () => stopFleet(fleet),
  };
  return fleet;
}

export async function writeFleetState(file: string, fleet: Fleet): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(fleetState(fleet), null, 2)}\n`);
}

export async function readFleetState(file: string): Promise<FleetState> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (
    !isRecord(parsed) ||
    typeof parsed.workdir !== 'string' ||
    typeof parsed.kubeconfigPath !== 'string' ||
    typeof parsed.binDir !== 'string' ||
    !Array.isArray(parsed.clusters)
  ) {
    throw new Error(`${file} is not a fleet state file`);
  }
  const clusters: FleetCluster[] = [];
  for (const c of parsed.clusters as unknown[]) {
    if (
      !isRecord(c) ||
      typeof c.name !== 'string' ||
      typeof c.kubeconfigPath !== 'string' ||
      typeof c.context !== 'string' ||
      typeof c.server !== 'string' ||
      typeof c.startupMs !== 'number'
    ) {
      throw new Error(`${file}: bad cluster entry`);
    }
    clusters.push({
      name: c.name,
      kubeconfigPath: c.kubeconfigPath,
      context: c.context,
      server: c.server,
      startupMs: c.startupMs,
    });
  }
  return { workdir: parsed.workdir, kubeconfigPath: parsed.kubeconfigPath, binDir: parsed.binDir, clusters };
}

/** Workdirs of fleets left behind in os.tmpdir() (e.g. by a killed test run). */
export function strayFleetWorkdirs(): string[] {
  const tmp = os.tmpdir();
  let entries: string[];
  try {
    entries = readdirSync(tmp);
  } catch {
    return [];
  }
  return entries.filter((e) => e.startsWith('fleetwave-kwok-')).map((e) => path.join(tmp, e));
}

/** A short random id, e.g. for namespaces in tests. */
export function randomSuffix(bytes = 3): string {
  return randomBytes(bytes).toString('hex');
}

/** For diagnostics: RSS (KiB) of every process under a workdir, by PID and command name. */
export function processRss(workdir: string): { pid: number; name: string; rssKiB: number }[] {
  const out: { pid: number; name: string; rssKiB: number }[] = [];
  for (const pid of processesUnder(workdir)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const name = /^Name:\s+(.+)$/m.exec(status)?.[1] ?? '?';
      const rss = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? '0');
      out.push({ pid, name, rssKiB: rss });
    } catch {
      /* exited */
    }
  }
  return out;
}

/** `<bin> --version` output (synchronous; for diagnostics and the CLI). */
export function binaryVersion(bin: string, args: readonly string[] = ['--version']): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 10_000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}
