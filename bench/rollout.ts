// Staged rollouts with simulated agents: (1) push webhook → every assignment of a 100-cluster first
// wave visible to its agent, and (2) a 3-wave rollout over 100 clusters (10 / 30 / 60, 50 %
// concurrency, no soak or approval) from start to Succeeded. Real Postgres, Kafka, git over HTTP
// and the hub's real HTTP + Kafka paths; the hub runs in this process next to the simulated agents
// (which makes the figures conservative: they share one event loop and two cores).
//
// Usage: npm run build && npx tsx bench/rollout.ts --clusters 100 --rounds 10 [--apply-ms 0]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sendPushWebhook } from '../test/harness/git-push.js';
import { createRepo, startGitServer } from '../test/harness/git-server.js';
import { startKafka } from '../test/harness/kafka.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { hubConfigFor } from '../test/harness/hub-config.js';
import { SimAgent } from '../test/harness/sim-agent.js';
import { connectReportProducer, producerSink } from '../test/harness/report-sinks.js';
import { waitFor } from '../test/harness/wait-for.js';
import { ApplicationsService, createHubApp, RegistrationService, RolloutsService } from './hub-build.js';
import { registerClusters, simLabels } from './sim/fleet.js';

const { values: args } = parseArgs({
  options: {
    clusters: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '10' },
    'apply-ms': { type: 'string', default: '0' },
  },
});
const N = Number(args.clusters);
const ROUNDS = Number(args.rounds);
const APPLY_MS = Number(args['apply-ms']);
const SECRET = 'bench-webhook-secret-0123456789';
const ADMIN = { name: 'bench', role: 'admin' as const };

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
const summary = (values: number[]) =>
  `p50 ${quantile(values, 0.5).toFixed(0)} ms, p90 ${quantile(values, 0.9).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;

const work = await mkdtemp(path.join(os.tmpdir(), 'fw-bench-rollout-'));
const [postgres, kafka, git] = await Promise.all([
  startPostgres(),
  startKafka({ log: () => undefined }),
  startGitServer({ root: path.join(work, 'git') }),
]);
const agents: SimAgent[] = [];
const producer = await connectReportProducer(kafka.brokers, 'bench-sim');
const config = hubConfigFor(
  {
    databaseUrl: await createDatabase(postgres.adminUrl, 'bench_rollout'),
    brokers: kafka.brokers,
    gitDir: path.join(work, 'mirrors'),
  },
  { git: { webhookSecret: SECRET, syncTickSeconds: 3600 }, logLevel: 'warn' },
);
const hub = await createHubApp(config);
try {
  await hub.listen({ host: '127.0.0.1', port: 0 });
  const hubUrl = await hub.getUrl();
  const repo = await createRepo(path.join(work, 'git'), 'fleet');
  const manifest = (tag: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: web\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web, cluster: \${cluster.name} } }\n    spec: { containers: [{ name: web, image: "registry.invalid/web:${tag}" }] }\n`;
  let commit = await repo.commit({ 'deploy/web.yaml': manifest('0') }, 'initial');

  // 100 clusters: tier a (10 %), b (30 %), c (60 %).
  const { secret } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: N });
  const registered = await registerClusters({
    hubUrls: [hubUrl],
    token: secret,
    count: N,
    labels: (i) => ({ tier: simLabels(i, N).tier! }),
  });
  const identities = registered.map((r) => r.identity);
  const received = new Map<string, Map<string, number>>(); // commit → cluster → ms, bundle fetched
  const visible = new Map<string, Map<string, number>>(); // commit → cluster → ms, poll answered
  for (const identity of identities) {
    const agent = new SimAgent({
      hubUrl,
      identity,
      reports: producerSink(producer),
      onReceived: (response, at) => {
        for (const a of response.assignments) {
          const seen = visible.get(a.commit) ?? new Map<string, number>();
          visible.set(a.commit, seen);
          if (!seen.has(identity.clusterId)) seen.set(identity.clusterId, at);
        }
      },
      behaviour: (assignment) => {
        const seen = received.get(assignment.commit) ?? new Map<string, number>();
        received.set(assignment.commit, seen);
        if (!seen.has(identity.clusterId)) seen.set(identity.clusterId, performance.now());
        return { phase: 'Healthy', delayMs: APPLY_MS };
      },
    });
    agent.start();
    agents.push(agent);
  }
  const rollouts = hub.get(RolloutsService);
  const push = async (sha: string) => {
    const answer = await sendPushWebhook({ hubUrl, secret: SECRET, repoUrl: git.url('fleet'), commit: sha });
    if (answer.status !== 202) throw new Error(`webhook: ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  const succeeded = (sha: string) =>
    waitFor(
      async () => {
        const page = await rollouts.list({ application: 'web', first: 5 });
        return page.rollouts.find((r) => r.commit === sha && r.state === 'Succeeded');
      },
      { description: `rollout of ${sha.slice(0, 8)} Succeeded`, timeoutMs: 300_000, intervalMs: 20 },
    );

  // (1) One wave with every cluster, 100 % concurrency: webhook → all assignments seen by agents.
  await hub.get(ApplicationsService).create(ADMIN, {
    name: 'web',
    repoUrl: git.url('fleet'),
    ref: 'main',
    path: 'deploy',
    pollIntervalSeconds: 3600,
    plan: { waves: [], rest: { maxConcurrency: '100%' } },
  });
  await push(commit);
  await succeeded(commit);
  const firstWave: number[] = [];
  // The webhook answers after the sync: fetch, revision recorded, rollout created.
  const webhookDone: number[] = [];
  const firstWaveVisible: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    commit = await repo.commit({ 'deploy/web.yaml': manifest(`w${round}`) }, `round ${round}`);
    const t0 = performance.now();
    await push(commit);
    webhookDone.push(performance.now() - t0);
    const seen = await waitFor(
      () => {
        const map = received.get(commit);
        return map && map.size === N ? map : undefined;
      },
      { description: 'all assignments seen', timeoutMs: 60_000, intervalMs: 5 },
    );
    firstWave.push(Math.max(...seen.values()) - t0);
    firstWaveVisible.push(Math.max(...visible.get(commit)!.values()) - t0);
    await succeeded(commit);
  }
  console.log(`webhook request → answered (git fetch, revision, rollout created): ${summary(webhookDone)}`);
  console.log(
    `webhook → all ${N} first-wave assignments returned by agents' polls: ${summary(firstWaveVisible)}`,
  );
  console.log(
    `webhook → all ${N} first-wave bundles fetched and verified by agents (${ROUNDS} rounds): ${summary(firstWave)}`,
  );

  // (2) Three waves 10 / 30 / 60, 50 % concurrency, no gates: start → Succeeded.
  await hub.get(ApplicationsService).update(ADMIN, 'web', {
    syncPolicy: 'manual',
    plan: {
      waves: [
        { name: 'a', selector: 'tier=a', maxConcurrency: '50%' },
        { name: 'b', selector: 'tier=b', maxConcurrency: '50%' },
        { name: 'c', selector: 'tier=c', maxConcurrency: '50%' },
      ],
    },
  });
  const threeWaves: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    commit = await repo.commit({ 'deploy/web.yaml': manifest(`r${round}`) }, `three waves ${round}`);
    await push(commit); // manual policy: records the revision only
    const t0 = performance.now();
    await rollouts.start(ADMIN, 'web', commit);
    await succeeded(commit);
    threeWaves.push(performance.now() - t0);
  }
  console.log(
    `3-wave rollout over ${N} clusters, 50 % concurrency, apply ${APPLY_MS} ms (${ROUNDS} rounds): ${summary(threeWaves)}`,
  );
} finally {
  await Promise.allSettled(agents.map((a) => a.stop()));
  await producer.disconnect().catch(() => undefined);
  await hub.close().catch(() => undefined);
  await Promise.allSettled([git.stop(), kafka.stop(), postgres.stop()]);
  await rm(work, { recursive: true, force: true });
}
