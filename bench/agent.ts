// The agent on a real local cluster: time from a new assignment to its status report Healthy for a
// 100-object bundle, idle resident memory, and Kubernetes API requests per minute at steady state.
// Usage: npm run build && npx tsx bench/agent.ts [--rounds 10] [--idle-seconds 60] [--resync-seconds 300]
// Requests per resync: --resync-seconds 30 --idle-seconds 90 (idleApiRequestsPerPass).
// The agent image instead of the launcher: npm run images -- agent && npx tsx bench/agent.ts
// --image docker.io/fleetwave/agent:0.1.0 (podman; memory then also from the container's cgroup).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { ReportReader } from '../test/e2e/support/report-reader.js';
import { StandInHub } from '../test/e2e/support/stand-in-hub.js';
import { startKafka } from '../test/harness/kafka.js';
import { freePort } from '../test/harness/net.js';
import { agentBin } from '../test/harness/paths.js';
import { startManagedProcess } from '../test/harness/process.js';
import { waitFor } from '../test/harness/wait-for.js';
import { ensureKubeBinaries, kubectl, startFleet } from '../test/kube/fleet.js';
import { cgroupMemoryMiB, containerPid, PODMAN_RUN_FLAGS } from './container.js';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    'idle-seconds': { type: 'string', default: '60' },
    // Node flags for the agent process instead of its launcher's (e.g. V8 heap limits), space-separated.
    'node-flags': { type: 'string', default: '' },
    'resync-seconds': { type: 'string', default: '300' },
    // Run this agent image with podman instead of the launcher (its entrypoint's Node flags apply).
    image: { type: 'string', default: '' },
  },
});
const AGENT_NODE_FLAGS = args['node-flags'].split(' ').filter(Boolean);
const IMAGE = args.image;
if (IMAGE !== '' && AGENT_NODE_FLAGS.length > 0)
  throw new Error('--node-flags and --image exclude each other');

/** 100 objects: a Namespace, 60 ConfigMaps, 20 Secrets, 15 Services, 4 Deployments. */
function bundle(revision: number): string {
  const docs = ['apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n'];
  for (let i = 0; i < 60; i++) {
    docs.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: bench\ndata:\n  revision: "${revision}"\n`,
    );
  }
  for (let i = 0; i < 20; i++) {
    docs.push(
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s-${i}\n  namespace: bench\nstringData:\n  k: v${i}\n`,
    );
  }
  for (let i = 0; i < 15; i++) {
    docs.push(
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: bench\nspec:\n  selector: { app: d-${i % 4} }\n  ports: [{ port: 80 }]\n`,
    );
  }
  for (let i = 0; i < 4; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: d-${i}, namespace: bench }
spec:
  replicas: 1
  selector: { matchLabels: { app: d-${i} } }
  template:
    metadata: { labels: { app: d-${i} } }
    spec: { containers: [{ name: c, image: registry.invalid/app:1 }] }
`);
  }
  return docs.join('---\n');
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'fw-agent-bench-'));
const [fleet, kafka] = await Promise.all([
  startFleet({ clusters: 1, namePrefix: 'agent-bench', log: () => undefined }),
  startKafka({ log: () => undefined }),
]);
const cluster = fleet.clusters[0]!;
const topic = 'bench.fleetwave.reports.v1';
const admin = new Kafka({ clientId: 'bench', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
await admin.disconnect();
const hub = new StandInHub(topic);
await hub.start();
const reader = new ReportReader(kafka.brokers, topic, hub.identity.signingKey);
await reader.start();
const healthPort = await freePort();
const agentEnv: Record<string, string> = {
  ...(AGENT_NODE_FLAGS.length > 0 ? { FLEETWAVE_AGENT_NODE_FLAGS: AGENT_NODE_FLAGS.join(' ') } : {}),
  AGENT_HUB_URL: hub.url,
  AGENT_KAFKA_BROKERS: kafka.brokers.join(','),
  AGENT_CLUSTER_NAME: 'bench',
  AGENT_REGISTRATION_TOKEN: 'fwr_bench',
  AGENT_KUBECONFIG: cluster.kubeconfigPath,
  AGENT_KUBE_CONTEXT: cluster.context,
  AGENT_CACHE_DIR: path.join(tmp, 'cache'),
  AGENT_HEALTH_HOST: '127.0.0.1',
  AGENT_HEALTH_PORT: String(healthPort),
  AGENT_RESYNC_SECONDS: args['resync-seconds'],
  LOG_LEVEL: 'warn',
};
const container = `fw-agent-bench-${process.pid}`;
const agent =
  IMAGE === ''
    ? startManagedProcess(agentBin, [], {
        logFile: path.join(tmp, 'agent.log'),
        env: { ...process.env, ...agentEnv },
      })
    : await startAgentContainer();

/**
 * The image as the chart runs it: read-only root, the cache and /tmp writable, its kubeconfig (one
 * file, certificates inlined) mounted read-only; host network, since the cluster, Kafka and the
 * stand-in hub listen on 127.0.0.1.
 */
async function startAgentContainer() {
  const kubeconfig = path.join(tmp, 'kubeconfig.yaml');
  await writeFile(
    kubeconfig,
    await kubectl(await ensureKubeBinaries(), cluster, ['config', 'view', '--flatten', '--minify']),
  );
  const env = {
    ...agentEnv,
    AGENT_KUBECONFIG: '/etc/fleetwave/kubeconfig',
    AGENT_CACHE_DIR: '/var/cache/fleetwave',
  };
  // `-e NAME` passes podman's own variable of that name into the container.
  const envArgs = Object.keys(env).flatMap((name) => ['-e', name]);
  return startManagedProcess(
    'podman',
    [
      'run',
      '--rm',
      '--name',
      container,
      ...PODMAN_RUN_FLAGS,
      '--network',
      'host',
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--tmpfs',
      '/var/cache/fleetwave',
      '-v',
      `${kubeconfig}:/etc/fleetwave/kubeconfig:ro`,
      ...envArgs,
      IMAGE,
    ],
    { logFile: path.join(tmp, 'agent.log'), env: { ...process.env, ...env } },
  );
}

/** The agent's process id on this machine (the container's PID 1 for an image). */
const agentPid = async () => (IMAGE === '' ? agent.child.pid! : containerPid(container));

const metric = async (name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
};
const rss = async (field = 'VmRSS') =>
  Number(
    new RegExp(`${field}:\\s+(\\d+)`).exec(await readFile(`/proc/${await agentPid()}/status`, 'utf8'))?.[1],
  ) / 1024;

try {
  await waitFor(() => reader.reports.length > 0, { description: 'first heartbeat', timeoutMs: 60_000 }).catch(
    (error: unknown) => {
      throw new Error(`${String(error)}\nagent log:\n${agent.logTail(20)}`);
    },
  );
  const timings: number[] = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    const started = performance.now();
    const assignment = hub.assign('bench', bundle(round), { progressDeadlineSeconds: 120 });
    await waitFor(
      () => {
        const b = reader.latestBundle('bench');
        return b?.digest === assignment.digest && b.phase === 'Healthy' && b.total === 100;
      },
      { description: `round ${round} Healthy`, timeoutMs: 120_000, intervalMs: 10 },
    );
    timings.push(performance.now() - started);
  }
  const idleSeconds = Number(args['idle-seconds']);
  const requestsBefore = await metric('fleetwave_agent_kube_requests_total');
  const passesBefore = await metric('fleetwave_agent_reconcile_passes_total');
  const idleStart = Date.now();
  await waitFor(() => Date.now() - idleStart >= idleSeconds * 1000, {
    description: 'idle period',
    timeoutMs: idleSeconds * 1000 + 5_000,
    intervalMs: 1_000,
  });
  const requestsAfter = await metric('fleetwave_agent_kube_requests_total');
  const idlePasses = (await metric('fleetwave_agent_reconcile_passes_total')) - passesBefore;
  const updates = timings.slice(1).sort((a, b) => a - b);
  console.log(
    JSON.stringify(
      {
        bundleObjects: 100,
        firstApplyMs: Math.round(timings[0]!),
        updateRounds: updates.length,
        updateP50Ms: Math.round(updates[Math.floor(updates.length * 0.5)]!),
        updateP95Ms: Math.round(updates[Math.min(updates.length - 1, Math.ceil(updates.length * 0.95) - 1)]!),
        idleRssMiB: Math.round(await rss()),
        // RSS less the shared libraries' and other files' pages: the process's own memory.
        idleRssAnonMiB: Math.round(await rss('RssAnon')),
        ...(IMAGE === '' ? {} : { image: IMAGE, idleCgroupMemory: await cgroupMemoryMiB(await agentPid()) }),
        idleApiRequestsPerMinute: +(((requestsAfter - requestsBefore) / idleSeconds) * 60).toFixed(1),
        // Resyncs (and heartbeats' namespace reads) while idle: requests per pass ≈ one resync's cost.
        idleReconcilePasses: idlePasses,
        idleApiRequestsPerPass:
          idlePasses > 0 ? +((requestsAfter - requestsBefore) / idlePasses).toFixed(1) : null,
      },
      null,
      2,
    ),
  );
} finally {
  await agent.stop();
  await reader.stop();
  await hub.stop();
  await kafka.stop();
  await fleet.stop();
  await rm(tmp, { recursive: true, force: true });
}
