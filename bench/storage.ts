// Bounded storage: PostgreSQL size after N commits rolled out with garbage collection on versus off.
// Two hubs run side by side in this process (their built code), each with its own database, git
// repository and simulated agents, on one real PostgreSQL, Kafka and git server over HTTP. Every
// commit goes the way of production: pushed to git, a signed push webhook, the hub's sync records
// the revision (artifact) and its auto policy starts a rollout, which renders one bundle per cluster;
// the agents fetch and report Healthy through Kafka, and the next commit is pushed once the rollout
// Succeeded. The "on" hub's collector (retention `--retention-days`, default 0: every finished
// rollout is past it) runs every `--gc-every` commits and once at the end; the "off" hub has
// HUB_GC_ENABLED=false.
//
// Usage: npm run build && npx tsx bench/storage.ts --commits 1000 [--clusters 10] [--gc-every 100]
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type * as HubStorage from '../services/hub/src/storage/garbage-collector.js';
import { sendPushWebhook } from '../test/harness/git-push.js';
import { createRepo, type LocalRepo, startGitServer } from '../test/harness/git-server.js';
import { hubConfigFor } from '../test/harness/hub-config.js';
import { startKafka } from '../test/harness/kafka.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { connectReportProducer, producerSink } from '../test/harness/report-sinks.js';
import { SimAgent } from '../test/harness/sim-agent.js';
import { waitFor } from '../test/harness/wait-for.js';
import {
  ApplicationsService,
  createHubApp,
  hubBuild,
  RegistrationService,
  RolloutsService,
} from './hub-build.js';
import { registerClusters } from './sim/fleet.js';

const { GarbageCollector } = (await hubBuild('storage/garbage-collector.js')) as typeof HubStorage;

const { values: args } = parseArgs({
  options: {
    commits: { type: 'string', default: '1000' },
    clusters: { type: 'string', default: '10' },
    'gc-every': { type: 'string', default: '100' },
    'retention-days': { type: 'string', default: '0' },
  },
});
const COMMITS = Number(args.commits);
const CLUSTERS = Number(args.clusters);
const GC_EVERY = Number(args['gc-every']);
const RETENTION_DAYS = Number(args['retention-days']);
const SECRET = 'bench-webhook-secret-0123456789';
const ADMIN = { name: 'bench', role: 'admin' as const };
const MiB = 1024 * 1024;

/**
 * The files of commit `n`: a Deployment and a ConfigMap with 2 KiB of configuration that changes
 * with every commit (hex, so TOAST compression does not flatter the figures), each rendered per
 * cluster (its name in both): one distinct bundle per cluster and commit.
 */
function files(n: number): Record<string, string> {
  let seed = `commit-${n}`;
  let config = '';
  while (config.length < 2048) {
    seed = createHash('sha256').update(seed).digest('hex');
    config += seed;
  }
  return {
    'deploy/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web, cluster: \${cluster.name} } }
    spec: { containers: [{ name: web, image: "registry.invalid/web:${n}" }] }
`,
    'deploy/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: web
data:
  cluster: \${cluster.name}
  config: "${config}"
`,
  };
}

interface Sizes {
  database: number;
  bundle: number;
  artifact: number;
  revision: number;
  rollouts: number;
  events: number;
  rows: { bundle: number; artifact: number; revision: number; rollout: number };
}

interface Run {
  name: 'on' | 'off';
  hub: Awaited<ReturnType<typeof createHubApp>>;
  hubUrl: string;
  databaseUrl: string;
  repo: LocalRepo;
  agents: SimAgent[];
  collected: { bundles: number; artifacts: number; bytes: number };
}

/** One statement on the run's database, over a connection of its own. */
async function query<T>(run: Run, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: run.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

async function sizes(run: Run): Promise<Sizes> {
  const [row] = await query<Record<string, string>>(
    run,
    `
    SELECT pg_database_size(current_database()) AS database,
           pg_total_relation_size('bundle') AS bundle,
           pg_total_relation_size('artifact') AS artifact,
           pg_total_relation_size('revision') AS revision,
           pg_total_relation_size('rollout') + pg_total_relation_size('rollout_cluster')
             + pg_total_relation_size('rollout_wave') AS rollouts,
           pg_total_relation_size('event') AS events,
           (SELECT count(*) FROM bundle) AS bundle_rows,
           (SELECT count(*) FROM artifact) AS artifact_rows,
           (SELECT count(*) FROM revision) AS revision_rows,
           (SELECT count(*) FROM rollout) AS rollout_rows`,
  );
  const n = (key: string) => Number(row![key]);
  return {
    database: n('database'),
    bundle: n('bundle'),
    artifact: n('artifact'),
    revision: n('revision'),
    rollouts: n('rollouts'),
    events: n('events'),
    rows: {
      bundle: n('bundle_rows'),
      artifact: n('artifact_rows'),
      revision: n('revision_rows'),
      rollout: n('rollout_rows'),
    },
  };
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

const work = await mkdtemp(path.join(os.tmpdir(), 'fw-bench-storage-'));
const [postgres, kafka, git] = await Promise.all([
  startPostgres(),
  startKafka({ log: () => undefined }),
  startGitServer({ root: path.join(work, 'git') }),
]);
const producer = await connectReportProducer(kafka.brokers, 'bench-storage');
const runs: Run[] = [];

async function start(name: 'on' | 'off'): Promise<Run> {
  const databaseUrl = await createDatabase(postgres.adminUrl, `bench_storage_${name}`);
  const config = hubConfigFor(
    {
      databaseUrl,
      brokers: kafka.brokers,
      gitDir: path.join(work, `mirrors-${name}`),
    },
    {
      kafka: { topicPrefix: `bench-storage-${name}.` },
      git: { webhookSecret: SECRET, syncTickSeconds: 3600 },
      // The timer never fires during the run: the bench calls the collector itself.
      gc: { enabled: name === 'on', retentionDays: RETENTION_DAYS, intervalSeconds: 86_400 },
      logLevel: 'warn',
    },
  );
  const hub = await createHubApp(config);
  await hub.listen({ host: '127.0.0.1', port: 0 });
  const hubUrl = await hub.getUrl();
  const repo = await createRepo(path.join(work, 'git'), `fleet-${name}`);
  const run: Run = {
    name,
    hub,
    hubUrl,
    databaseUrl,
    repo,
    agents: [],
    collected: { bundles: 0, artifacts: 0, bytes: 0 },
  };
  runs.push(run);
  const { secret } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: CLUSTERS });
  const registered = await registerClusters({
    hubUrls: [hubUrl],
    token: secret,
    count: CLUSTERS,
    labels: () => ({ env: 'prod' }),
  });
  for (const { identity } of registered) {
    const agent = new SimAgent({ hubUrl, identity, reports: producerSink(producer), keepResponses: false });
    agent.start();
    run.agents.push(agent);
  }
  await hub.get(ApplicationsService).create(ADMIN, {
    name: 'web',
    repoUrl: git.url(repo.name),
    ref: 'main',
    path: 'deploy',
    pollIntervalSeconds: 3600,
    plan: { waves: [], rest: { maxConcurrency: '100%' } },
  });
  return run;
}

async function collect(run: Run): Promise<void> {
  if (run.name !== 'on') return;
  const result = await run.hub.get(GarbageCollector).collect();
  if (result === null) throw new Error('the collector did not run');
  run.collected.bundles += result.bundle.rows;
  run.collected.artifacts += result.artifact.rows;
  run.collected.bytes += result.bundle.bytes + result.artifact.bytes;
}

/** Commit `n` pushed, synced by webhook, rolled out by the auto policy, Succeeded. */
async function commitAndRollOut(run: Run, n: number): Promise<void> {
  const sha = await run.repo.commit(files(n), `commit ${n}`);
  const answer = await sendPushWebhook({
    hubUrl: run.hubUrl,
    secret: SECRET,
    repoUrl: git.url(run.repo.name),
    commit: sha,
  });
  if (answer.status !== 202) throw new Error(`webhook: ${answer.status} ${JSON.stringify(answer.body)}`);
  const rollouts = run.hub.get(RolloutsService);
  await waitFor(
    async () => {
      const page = await rollouts.list({ application: 'web', first: 3 });
      return page.rollouts.find((r) => r.commit === sha && r.state === 'Succeeded');
    },
    { description: `${run.name}: rollout of commit ${n} Succeeded`, timeoutMs: 120_000, intervalMs: 10 },
  );
}

async function drive(run: Run): Promise<number> {
  const t0 = performance.now();
  for (let n = 1; n <= COMMITS; n++) {
    await commitAndRollOut(run, n);
    if (n % GC_EVERY === 0) await collect(run);
    if (n % 100 === 0) {
      const s = await sizes(run);
      console.log(
        `${run.name}: ${n} commits, ${((performance.now() - t0) / 1000).toFixed(0)} s, database ${mib(s.database)}, ` +
          `bundle ${mib(s.bundle)} (${s.rows.bundle} rows), artifact ${mib(s.artifact)} (${s.rows.artifact} rows)`,
      );
    }
  }
  await collect(run);
  return (performance.now() - t0) / 1000;
}

try {
  const [on, off] = await Promise.all([start('on'), start('off')]);
  const seconds = await Promise.all([drive(on!), drive(off!)]);
  const report: Record<string, unknown> = {};
  for (const [i, run] of [on!, off!].entries()) {
    const before = await sizes(run);
    // What the tables hold once the space of deleted rows is given back (autovacuum only makes it
    // reusable, so the files of the "on" database stop growing but do not shrink by themselves).
    await query(run, 'VACUUM FULL');
    const after = await sizes(run);
    report[run.name] = {
      seconds: Math.round(seconds[i]!),
      collected: run.collected,
      asIs: before,
      afterVacuumFull: after,
    };
    console.log(
      `GC ${run.name}: ${COMMITS} commits × ${CLUSTERS} clusters in ${seconds[i]!.toFixed(0)} s; database ${mib(before.database)} ` +
        `(${mib(after.database)} after VACUUM FULL); bundle ${mib(before.bundle)} → ${mib(after.bundle)} ` +
        `(${after.rows.bundle} rows); artifact ${mib(before.artifact)} → ${mib(after.artifact)} (${after.rows.artifact} rows); ` +
        `revision ${mib(after.revision)} (${after.rows.revision} rows); rollouts ${mib(after.rollouts)} ` +
        `(${after.rows.rollout}); events ${mib(after.events)}; collected ${run.collected.bundles} bundles, ` +
        `${run.collected.artifacts} artifacts, ${mib(run.collected.bytes)} of content`,
    );
  }
  console.log(
    JSON.stringify({
      commits: COMMITS,
      clusters: CLUSTERS,
      gcEvery: GC_EVERY,
      retentionDays: RETENTION_DAYS,
      ...report,
    }),
  );
} finally {
  await Promise.allSettled(runs.flatMap((r) => r.agents.map((a) => a.stop())));
  await producer.disconnect().catch(() => undefined);
  await Promise.allSettled(runs.map((r) => r.hub.close()));
  await Promise.allSettled([git.stop(), kafka.stop(), postgres.stop()]);
  await rm(work, { recursive: true, force: true });
}
