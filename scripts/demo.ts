// The demo fleet: real PostgreSQL and Kafka (test harness), the built hub as its own process
// configured by environment variables like a deployment, a local fleet of real Kubernetes clusters
// (test/kube) with the built agent in each, and a local git repository served over HTTP holding a
// sample application. It registers everything, defines a 3-wave plan, commits, pushes (a signed
// webhook, as GitHub would) and prints the staged rollout live; then a second commit moves through
// the waves the same way. Ctrl-C stops everything.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRepo, startGitServer } from '../test/harness/git-server.js';
import { runFleetctl } from '../test/harness/fleetctl.js';
import { sendPushWebhook } from '../test/harness/git-push.js';
import { type GraphqlClient, graphqlClient } from '../test/harness/graphql-client.js';
import { startKafka } from '../test/harness/kafka.js';
import { startHubProcess } from '../test/harness/hub-process.js';
import { freePort } from '../test/harness/net.js';
import { agentBin, cacheDir } from '../test/harness/paths.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { type ManagedProcess, startManagedProcess } from '../test/harness/process.js';
import { waitFor } from '../test/harness/wait-for.js';
import {
  ensureAppImages,
  installAgentChart,
  type RealNode,
  realNodeHostIp,
  startRealNode,
} from '../test/harness/real-node.js';
import { randomSuffix, startFleet } from '../test/kube/fleet.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    clusters: { type: 'string', default: '6' },
    // Run the rollouts, print the summary, stop: a smoke run for scripts and CI.
    'exit-when-done': { type: 'boolean', default: false },
    // One more cluster whose node is real (test/kube/realnode.sh), the agent installed in it by its
    // Helm chart from the image `npm run images` builds.
    'real-node': { type: 'boolean', default: false },
  },
});
const CLUSTERS = Number(args.clusters);
if (!Number.isInteger(CLUSTERS) || CLUSTERS < 1 || CLUSTERS > 20) {
  console.error('--clusters must be a whole number from 1 to 20 (each cluster is a real control plane)');
  process.exit(2);
}

const stoppers: (() => Promise<unknown>)[] = [];
let stopping: Promise<never> | undefined;

/**
 * Stops everything once: Ctrl-C reaches every process of the terminal's group, so the signal can
 * arrive twice (directly and relayed by tsx); a second one must wait for the first clean-up, not
 * exit in the middle of it and leave clusters behind.
 */
function stopAll(code: number): Promise<never> {
  stopping ??= (async () => {
    console.log('\nstopping Fleetwave…');
    for (const stop of stoppers.reverse())
      await stop().catch((error: unknown) => console.error(String(error)));
    process.exit(code);
  })();
  return stopping;
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const elapsed = (() => {
  const started = Date.now();
  return () => `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(7);
})();
const say = (line: string) => console.log(`[${elapsed()}] ${line}`);

/** Labels of the i-th cluster: a staging pair, then prod, alternating regions. */
function labelsOf(i: number): { env: string; region: string } {
  return { env: i < Math.max(1, Math.round(CLUSTERS / 3)) ? 'staging' : 'prod', region: i % 2 ? 'us' : 'eu' };
}

function manifests(version: string, greeting: string): Record<string, string> {
  return {
    'apps/hello/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: hello\n',
    'apps/hello/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: hello
  namespace: hello
data:
  greeting: "${greeting}"
  cluster: \${cluster.name}
  region: \${cluster.labels.region}
`,
    'apps/hello/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
  namespace: hello
  labels: { app: hello, version: "${version}" }
spec:
  replicas: \${values.replicas}
  progressDeadlineSeconds: 30
  selector:
    matchLabels: { app: hello }
  template:
    metadata:
      labels: { app: hello, version: "${version}" }
    spec:
      containers:
        - name: hello
          image: registry.invalid/hello:${version}
`,
  };
}

async function main(): Promise<void> {
  const work = cacheDir('demo');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const adminToken = `demo-admin-${randomBytes(16).toString('hex')}`;
  const webhookSecret = randomBytes(16).toString('hex');

  const REAL_NODE = args['real-node'];
  // The real node's Pods reach Kafka and the hub on this host's address.
  const hostIp = REAL_NODE ? realNodeHostIp() : undefined;
  const realNode = REAL_NODE ? startRealNodeWithAgentImage() : undefined;
  realNode?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  say(
    `starting PostgreSQL, Kafka, a git server and ${CLUSTERS} Kubernetes clusters${REAL_NODE ? ' (and a real-node cluster)' : ''}…`,
  );
  const started = await Promise.allSettled([
    startPostgres(),
    startKafka(hostIp ? { host: hostIp } : {}),
    startGitServer({ root: path.join(work, 'git') }),
    // A fresh prefix: clusters left by a demo that was killed hard never collide with these.
    startFleet({ clusters: CLUSTERS, namePrefix: `demo-${randomSuffix()}`, log: () => undefined }),
  ] as const);
  for (const result of started) {
    if (result.status === 'fulfilled') stoppers.push(() => result.value.stop());
  }
  for (const result of started) if (result.status === 'rejected') throw result.reason;
  const [postgres, kafka, git, fleet] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [
    Awaited<ReturnType<typeof startPostgres>>,
    Awaited<ReturnType<typeof startKafka>>,
    Awaited<ReturnType<typeof startGitServer>>,
    Awaited<ReturnType<typeof startFleet>>,
  ];
  say(
    `  PostgreSQL on 127.0.0.1:${postgres.port}, Kafka on ${kafka.brokers.join(',')}, ${CLUSTERS} clusters up`,
  );

  const requested = Number(args.port);
  const port = (await isFree(requested)) ? requested : await freePort();
  const hub = await startHubProcess({
    databaseUrl: await createDatabase(postgres.adminUrl, 'fleetwave'),
    brokers: kafka.brokers,
    port,
    logFile: path.join(work, 'hub.log'),
    env: {
      HUB_BOOTSTRAP_ADMIN_TOKEN: adminToken,
      HUB_GIT_DIR: path.join(work, 'mirrors'),
      HUB_GIT_WEBHOOK_SECRET: webhookSecret,
      HUB_ROLLOUT_PASS_INTERVAL_SECONDS: '2',
      LOG_LEVEL: 'info',
      ...(hostIp ? { HUB_HOST: '0.0.0.0' } : {}),
    },
  });
  stoppers.push(() => hub.stop());
  await hub.ready();
  const { url } = hub;
  say(`hub ready at ${url}`);

  const gql = graphqlClient(url, adminToken);
  const { createRegistrationToken } = await gql<{ createRegistrationToken: { secret: string } }>(
    `mutation($n: Int!) { createRegistrationToken(input: { description: "demo fleet", maxUses: $n }) { secret } }`,
    { n: CLUSTERS },
  );
  const agents: ManagedProcess[] = [];
  for (const [i, cluster] of fleet.clusters.entries()) {
    const labels = labelsOf(i);
    const name = `${labels.env}-${labels.region}-${i + 1}`;
    const agent = startManagedProcess(agentBin, [], {
      logFile: path.join(work, `agent-${name}.log`),
      env: {
        ...process.env,
        AGENT_HUB_URL: url,
        AGENT_KAFKA_BROKERS: kafka.brokers.join(','),
        AGENT_CLUSTER_NAME: name,
        AGENT_CLUSTER_LABELS: `env=${labels.env},region=${labels.region}`,
        AGENT_REGISTRATION_TOKEN: createRegistrationToken.secret,
        AGENT_KUBECONFIG: cluster.kubeconfigPath,
        AGENT_KUBE_CONTEXT: cluster.context,
        AGENT_CACHE_DIR: path.join(work, `agent-cache-${i + 1}`),
        AGENT_HEALTH_HOST: '127.0.0.1',
        AGENT_HEALTH_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
      },
    });
    agents.push(agent);
    stoppers.push(() => agent.stop('SIGTERM', 10_000));
  }
  await waitFor(
    async () => {
      const { clusters } = await gql<{ clusters: { totalCount: number } }>(
        `{ clusters(status: Ready) { totalCount } }`,
      );
      return clusters.totalCount === CLUSTERS;
    },
    { description: `${CLUSTERS} agents registered and Ready`, timeoutMs: 120_000, intervalMs: 500 },
  );
  say(`${CLUSTERS} agents registered (labels env=staging|prod, region=eu|us)`);
  if (realNode && hostIp)
    await joinRealNode(await realNode, gql, `http://${hostIp}:${port}`, kafka.brokers, work);

  const repo = await createRepo(path.join(work, 'git'), 'fleet');
  const first = await repo.commit(manifests('1.0.0', 'hello, fleet'), 'hello 1.0.0');
  await gql(`mutation($input: CreateApplicationInput!) { createApplication(input: $input) { name } }`, {
    input: {
      name: 'hello',
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'apps/hello',
      targetSelector: 'env in (staging, prod)',
      valuesRules: [
        { selector: 'env=prod', values: { replicas: 2 } },
        { selector: '', values: { replicas: 1 } },
      ],
      plan: {
        waves: [
          { name: 'canary', selector: 'env=staging,region=eu', soakSeconds: 5, progressDeadlineSeconds: 120 },
          { name: 'staging', selector: 'env=staging', progressDeadlineSeconds: 120 },
          { name: 'prod', selector: 'env=prod', maxConcurrency: '50%', progressDeadlineSeconds: 120 },
        ],
        autoRollback: true,
      },
      // Short, so a commit pushed by hand from the demo's working copy shows up quickly.
      pollIntervalSeconds: 10,
    },
  });
  say('application "hello" created: waves canary (env=staging,region=eu) → staging → prod (50% at a time)');

  await rollOut(gql, first, url, git.url('fleet'), webhookSecret, 'first deployment');
  const second = await repo.commit(
    manifests('1.1.0', 'hello again, fleet'),
    'hello 1.1.0: friendlier greeting',
  );
  await rollOut(gql, second, url, git.url('fleet'), webhookSecret, 'a change');

  const { createApiToken } = await gql<{ createApiToken: { secret: string } }>(
    `mutation { createApiToken(name: "demo-dashboard", role: operator) { secret } }`,
  );
  const fleetctl = `node services/cli/dist/main.js --hub ${url} --token ${createApiToken.secret}`;
  console.log(`
Fleetwave demo is running.
  dashboard:  ${url}/#token=${createApiToken.secret}
  GraphQL:    ${url}/graphql   (Authorization: Bearer ${createApiToken.secret})
  fleetctl:   ${fleetctl} rollouts list
  matrix:     ${fleetctl} status -o wide
  try it:     cd ${repo.workDir}, edit apps/hello/config.yaml, then: git commit -am 'my change' && git push
              (the hub polls every 10 s)
  logs:       ${work}
`);
  await printStatusMatrix(url, createApiToken.secret);
  if (args['exit-when-done']) return stopAll(0);
  console.log('Ctrl-C stops everything.');
  await hub.process.exited();
  if (stopping === undefined) {
    console.error(`the hub stopped unexpectedly:\n${hub.process.logTail()}`);
    await stopAll(1);
  }
}

type Gql = GraphqlClient;

/** The real node and the agent image, prepared while the rest starts (a cold image build takes minutes). */
async function startRealNodeWithAgentImage(): Promise<{ node: RealNode; image: string }> {
  const [images, node] = await Promise.all([ensureAppImages(['agent']), startRealNode('demo')]);
  stoppers.push(() => node.stop());
  await node.importImages([images.agent!]);
  return { node, image: images.agent! };
}

/** `helm install` of the agent chart on the real node, then wait for its cluster to be Ready. */
async function joinRealNode(
  real: { node: RealNode; image: string },
  gql: Gql,
  hubUrl: string,
  brokers: readonly string[],
  work: string,
): Promise<void> {
  const name = 'real-local-1';
  const { createRegistrationToken } = await gql<{ createRegistrationToken: { secret: string } }>(
    `mutation { createRegistrationToken(input: { description: "demo real node", maxUses: 1 }) { secret } }`,
  );
  const started = Date.now();
  await installAgentChart(real.node, work, {
    namespace: 'fleetwave-system',
    image: real.image,
    hubUrl,
    brokers,
    clusterName: name,
    labels: { env: 'real', region: 'local' },
    registrationToken: createRegistrationToken.secret,
  });
  await waitFor(
    async () => {
      const { cluster } = await gql<{ cluster: { status: string } | null }>(
        `query($n: String!) { cluster(name: $n) { status } }`,
        { n: name },
      );
      return cluster?.status === 'Ready';
    },
    {
      description: `cluster ${name} (real node, agent from its Helm chart) Ready`,
      timeoutMs: 300_000,
      intervalMs: 500,
    },
  );
  say(
    `real-node cluster ${name} Ready ${((Date.now() - started) / 1000).toFixed(1)} s after helm install of the agent chart (KUBECONFIG=${real.node.kubeconfigPath})`,
  );
}

/** The demo ends with the fleet status matrix, printed by fleetctl itself (`fleetctl status hello`). */
async function printStatusMatrix(url: string, token: string): Promise<void> {
  const status = await runFleetctl({ url, token }, ['status', 'hello']);
  if (status.code !== 0) throw new Error(`fleetctl status failed: ${status.stderr.trim()}`);
  process.stdout.write(`$ fleetctl status hello\n${status.stdout}\n`);
}

interface RolloutView {
  id: string;
  state: string;
  commit: string;
  blocking: { message: string } | null;
  waves: {
    name: string;
    size: number;
    counts: Record<string, number>;
    blocking: { message: string } | null;
  }[];
}

/** Commits were made; push (a signed webhook) and print the rollout the hub starts until it ends. */
async function rollOut(
  gql: Gql,
  commit: string,
  url: string,
  repoUrl: string,
  secret: string,
  what: string,
): Promise<void> {
  say(`commit ${commit.slice(0, 8)} (${what}) pushed; webhook → hub`);
  const answer = await sendPushWebhook({ hubUrl: url, secret, repoUrl, commit });
  if (answer.status !== 202)
    throw new Error(`webhook refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  const fields = `id state commit blocking { message }
    waves { name size counts { pending assigned applying progressing healthy degraded failed timedOut skipped } blocking { message } }`;
  let last = '';
  const done = await waitFor(
    async () => {
      const { rollouts } = await gql<{ rollouts: { edges: { node: RolloutView }[] } }>(
        `{ rollouts(application: "hello", first: 5) { edges { node { ${fields} } } } }`,
      );
      const rollout = rollouts.edges.map((e) => e.node).find((r) => r.commit === commit);
      if (rollout === undefined) return undefined;
      const line = progressLine(rollout);
      if (line !== last) say(line);
      last = line;
      return ['Succeeded', 'Failed', 'Aborted', 'RolledBack', 'Superseded'].includes(rollout.state)
        ? rollout
        : undefined;
    },
    { description: `the rollout of ${commit.slice(0, 8)}`, timeoutMs: 600_000, intervalMs: 300 },
  );
  if (done.state !== 'Succeeded') throw new Error(`the rollout ended ${done.state}`);
}

function progressLine(rollout: RolloutView): string {
  const waves = rollout.waves
    .filter((w) => w.size > 0)
    .map((w) => {
      const healthy = w.counts['healthy'] ?? 0;
      const inFlight =
        (w.counts['assigned'] ?? 0) + (w.counts['applying'] ?? 0) + (w.counts['progressing'] ?? 0);
      const failed = (w.counts['failed'] ?? 0) + (w.counts['degraded'] ?? 0) + (w.counts['timedOut'] ?? 0);
      const bar =
        '█'.repeat(healthy) +
        '▒'.repeat(inFlight) +
        '✗'.repeat(failed) +
        '·'.repeat(Math.max(0, w.size - healthy - inFlight - failed));
      return `${w.name} ${bar} ${healthy}/${w.size}`;
    })
    .join('  ');
  const blocking = rollout.blocking ? ` — ${rollout.blocking.message}` : '';
  return `  ${rollout.state.padEnd(16)} ${waves}${blocking}`;
}

async function isFree(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
    return false;
  } catch (error) {
    return (
      error instanceof TypeError &&
      String((error.cause as Error | undefined)?.message).includes('ECONNREFUSED')
    );
  }
}

main().catch(async (error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
});
