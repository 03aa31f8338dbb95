// Fleet simulator: thousands of simulated agents against real hub processes, real Kafka and real
// Postgres, through the hub's real HTTP (registration, assignment long-polls, bundles) and Kafka
// (signed heartbeats and status reports) paths. See bench/README.md for the recorded runs.
//
// Usage (after `npm run build`): npx tsx bench/sim/main.ts <scenario> [options]
//   heartbeat  --clusters 1000 [--seconds 120] [--ramp S]  hub CPU/RSS, Postgres size, report p99
//              (agents started over --ramp s, by default the poll hold: polls spread, not in step)
//   rollout    --clusters 1000 [--rollouts 1] [--replicas 1] [--kill-one] [--apply-ms ':0'] [--fail 'region=us:0.05']
//   restart    --rollouts 1000 --clusters 1000 [--setup sql|api]   1,000 rollouts × 100 assignments, then a
//              hub restart; set-up: one application and rollout per shard through the API, the rest
//              copied in SQL (sql, default) or all through the API (api)
//   longpoll   --clusters 2000 [--seconds 30]              unchanged (304) polls per second
//   ingest     --clusters 1000 --reports 200000 [--replicas 1|2]   backlog drain rate
//              [--bundles 100 [--changed-bundles K]]: status reports of 100 bundle statuses (K of
//              them changing in each report; all by default) instead of heartbeats
//   catchup    --clusters 1000 [--catchup-concurrency 10] [--apply-ms ':0'] [--timeout 600]
//              N clusters joining an application that already Succeeded: time until all run it
//   sweep      --clusters 10000 --rollouts 10 [--seconds 60]
//              the hub's periodic work alone: K rollouts over every cluster wait on agents that
//              never run, so each 5 s the engine passes over them and the catch-up lane reads
//              every placement; hub CPU per period
//   budget     --clusters 1000 --rollouts 3 --budget 60 [--stagger 10] [--apply-ms ':1500']
//              overlapping rollouts under HUB_FLEET_MAX_CHANGING: the budget sampled every second
//              from the hub's own count, and each rollout's ETA at 25 % against when it finished
// Agents fetch all new bundles in one batch request (--bundle-fetch batch, the default), or one GET
// per bundle as older agents did (--bundle-fetch single), --bundle-concurrency at once (default 4,
// the real agent's reconcile concurrency).
// Any scenario: --cpu-prof DIR writes a V8 CPU profile of the hub over the measured window
// (heartbeat, restart) to DIR/hub-<pid>.cpuprofile; summarise it with bench/sim/profile-top.ts.
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { parseArgs } from 'node:util';
import type pg from 'pg';
import { type Assignment, type BundleStatus, type RegisterResponse } from '@fleetwave/contracts';
import { createRepo } from '../../test/harness/git-server.js';
import { sendPushWebhook } from '../../test/harness/git-push.js';
import { type HubProcess } from '../../test/harness/hub-process.js';
import { BatchingReportSink } from '../../test/harness/report-sinks.js';
import { waitFor } from '../../test/harness/wait-for.js';
import { MARK_SILENT_CLUSTERS } from '../../services/hub/src/reports/reports.repository.js';
import { FLEET_CHANGING, ROLLOUT_CHANGING } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { parseLabelRules } from './behaviour.js';
import { cloneApplications } from './clone-rollouts.js';
import { roundOfBundles } from './status-reports.js';
import { connectDb, type RegisteredCluster, SimFleet, simLabels, VisibilityObserver } from './fleet.js';
import { hubMetric as metric, SimStack, WEBHOOK_SECRET } from './stack.js';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    clusters: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '120' },
    heartbeat: { type: 'string', default: '30' },
    rollouts: { type: 'string', default: '1' },
    replicas: { type: 'string', default: '1' },
    'kill-one': { type: 'boolean', default: false },
    'apply-ms': { type: 'string', default: '' },
    fail: { type: 'string', default: '' },
    reports: { type: 'string', default: '200000' },
    'poll-timeout': { type: 'string', default: '30' },
    'catchup-concurrency': { type: 'string', default: '' },
    timeout: { type: 'string', default: '600' },
    budget: { type: 'string', default: '' },
    stagger: { type: 'string', default: '10' },
    trace: { type: 'string', default: '' },
    'cpu-prof': { type: 'string', default: '' },
    ramp: { type: 'string', default: '' },
    'bundle-concurrency': { type: 'string', default: '' },
    'bundle-fetch': { type: 'string', default: 'batch' },
    setup: { type: 'string', default: 'sql' },
    bundles: { type: 'string', default: '0' },
    'changed-bundles': { type: 'string', default: '' },
  },
});
const PROFILE_DIR = args['cpu-prof'] ? path.resolve(args['cpu-prof']) : undefined;
if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
const scenario = positionals[0] ?? 'heartbeat';
const N = Number(args.clusters);
const REPLICAS = Number(args.replicas);
const APPLY_MS = parseLabelRules(args['apply-ms'], '--apply-ms');
const FAIL = parseLabelRules(args.fail, '--fail');

const say = (line: string) => console.log(`[sim ${new Date().toISOString().slice(11, 19)}] ${line}`);
const quantile = (values: readonly number[], q: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const ms = (v: number) => `${Math.round(v)} ms`;
const delay = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

const stack = await SimStack.start({
  hubEnv: {
    HUB_ASSIGNMENTS_POLL_TIMEOUT_SECONDS: args['poll-timeout'],
    HUB_HEARTBEAT_INTERVAL_SECONDS: args.heartbeat,
    HUB_ROLLOUT_PASS_INTERVAL_SECONDS: '5',
    HUB_DATABASE_POOL_SIZE: '10',
    // Unset: the hub's own default, which is what the catch-up scenario measures first.
    ...(args['catchup-concurrency'] ? { HUB_CATCHUP_MAX_CONCURRENCY: args['catchup-concurrency'] } : {}),
    ...(args.budget ? { HUB_FLEET_MAX_CHANGING: args.budget } : {}),
    ...(PROFILE_DIR && {
      NODE_OPTIONS: `--import ${new URL('./cpu-profile.mjs', import.meta.url).href}`,
      FW_CPU_PROF_DIR: PROFILE_DIR,
    }),
  },
});

/** With --cpu-prof: starts the hub's profiler (the measured window begins). */
function startProfile(hub: HubProcess): void {
  if (PROFILE_DIR) hub.process.child.kill('SIGWINCH');
}

/** With --cpu-prof: stops it and waits for the profile file; says where it is. */
async function stopProfile(hub: HubProcess): Promise<void> {
  if (!PROFILE_DIR) return;
  hub.process.child.kill('SIGWINCH');
  const file = path.join(PROFILE_DIR, `hub-${hub.process.child.pid}.cpuprofile`);
  await waitFor(async () => existsSync(file), { description: file, timeoutMs: 60_000, intervalMs: 200 });
  say(`CPU profile: ${file} (npx tsx bench/sim/profile-top.ts ${file})`);
}
const sender = new BatchingReportSink(stack.kafka.brokers);
let fleet: SimFleet | undefined;
const fleets: SimFleet[] = [];
process.once('SIGINT', () => void shutdown(130));

async function shutdown(code: number): Promise<never> {
  await Promise.all(fleets.map((f) => f.stop()));
  await sender.close();
  await stack.stop();
  process.exit(code);
}

/** Registers `count` clusters (labels from simLabels unless given) through the first live replicas. */
async function register(
  count: number,
  labels = (i: number) => simLabels(i, count),
  firstIndex = 0,
): Promise<RegisteredCluster[]> {
  const { clusters, seconds } = await stack.register(count, labels, {
    firstIndex,
    onProgress: (done) => say(`registered ${done}/${count}`),
  });
  say(`${count} clusters registered in ${seconds.toFixed(1)} s`);
  return clusters;
}

function bundleFetchMode(value: string | undefined): 'batch' | 'single' {
  if (value === 'batch' || value === 'single') return value;
  throw new Error('--bundle-fetch: batch or single');
}

function startFleet(
  registered: readonly RegisteredCluster[],
  onAssigned?: (cluster: RegisterResponse, assignment: Assignment) => void,
  rampSeconds = 0,
): SimFleet {
  fleet = new SimFleet(registered, {
    hubUrls: stack.hubUrls,
    reports: sender,
    heartbeatSeconds: Number(args.heartbeat),
    ...(args['bundle-concurrency'] ? { bundleConcurrency: Number(args['bundle-concurrency']) } : {}),
    bundleFetch: bundleFetchMode(args['bundle-fetch']),
    applyMs: APPLY_MS,
    failureRate: FAIL,
    onAssigned,
  });
  fleets.push(fleet);
  fleet.start(rampSeconds);
  return fleet;
}

interface HubUsage {
  cores: number;
  rssMiB: number;
  sqlPerSecond: number;
}

/** Starts watching a hub (RSS sampled every second); `stop` gives CPU cores, peak RSS and SQL/s since. */
async function startWatchingHub(hub: HubProcess): Promise<{ stop: () => Promise<HubUsage> }> {
  const start = hub.usage();
  const sql0 = await metric(hub, 'fleetwave_hub_sql_statements_total');
  const t0 = performance.now();
  let rss = start.rssMiB;
  const sampler = setInterval(() => (rss = Math.max(rss, hub.usage().rssMiB)), 1000);
  return {
    async stop() {
      clearInterval(sampler);
      const end = hub.usage();
      const elapsed = (performance.now() - t0) / 1000;
      const sql = (await metric(hub, 'fleetwave_hub_sql_statements_total')) - sql0;
      rss = Math.max(rss, end.rssMiB);
      return {
        cores: (end.cpuSeconds - start.cpuSeconds) / elapsed,
        rssMiB: rss,
        sqlPerSecond: sql / elapsed,
      };
    },
  };
}

/** CPU cores used, peak RSS and SQL statements/s of a hub over `seconds`. */
async function watchHub(hub: HubProcess, seconds: number): Promise<HubUsage> {
  const watch = await startWatchingHub(hub);
  await delay(seconds * 1000);
  return watch.stop();
}

const MANIFEST = (tag: string, perCluster: boolean) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: web\nspec:\n  replicas: 1\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web${perCluster ? ', cluster: ${cluster.name}' : ''} } }\n    spec: { containers: [{ name: web, image: "registry.invalid/web:${tag}" }] }\n`;

async function createApplications(
  names: readonly string[],
  input: (name: string) => Record<string, unknown>,
  concurrency = 8,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < names.length) {
        const name = names[next++]!;
        await stack.gql(
          `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { name } }`,
          {
            input: { name, ...input(name) },
          },
        );
      }
    }),
  );
}

/** A signed push webhook: the hub fetches the commit and records it for every application of the repo. */
async function push(commit: string): Promise<void> {
  const answer = await sendPushWebhook({
    hubUrl: stack.hubUrls[0]!,
    secret: WEBHOOK_SECRET,
    repoUrl: stack.git.url('fleet'),
    commit,
  });
  if (answer.status !== 202) throw new Error(`webhook: ${answer.status} ${JSON.stringify(answer.body)}`);
}

async function startRollouts(
  apps: readonly string[],
  commit: string,
  concurrency = 8,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < apps.length) {
        const app = apps[next++]!;
        const { startRollout } = await stack.gql<{ startRollout: { id: string } }>(
          `mutation($a: String!, $c: String!) { startRollout(application: $a, revision: $c) { id } }`,
          { a: app, c: commit },
        );
        ids.set(app, startRollout.id);
      }
    }),
  );
  return ids;
}

interface RolloutRow {
  id: string;
  state: string;
  createdAt: string;
  finishedAt: string | null;
  failureReason?: string | null;
}

async function allRollouts(): Promise<RolloutRow[]> {
  const out: RolloutRow[] = [];
  let after: string | null = null;
  for (;;) {
    type Page = { edges: { cursor: string; node: RolloutRow }[]; pageInfo: { hasNextPage: boolean } };
    const { rollouts }: { rollouts: Page } = await stack.gql<{ rollouts: Page }>(
      `query($after: String) { rollouts(first: 200, after: $after) {
         edges { cursor node { id state createdAt finishedAt } } pageInfo { hasNextPage } } }`,
      { after },
    );
    out.push(...rollouts.edges.map((e) => e.node));
    if (!rollouts.pageInfo.hasNextPage) return out;
    after = rollouts.edges.at(-1)!.cursor;
  }
}

/** An application of the `fleet` repo that rolls out to every cluster of `selector` at once. */
const oneWaveApplication = (selector: string, deadlineSeconds: number) => ({
  repoUrl: stack.git.url('fleet'),
  ref: 'main',
  path: 'deploy',
  syncPolicy: 'manual',
  pollIntervalSeconds: 3600,
  targetSelector: selector,
  plan: { waves: [], rest: { maxConcurrency: '100%', progressDeadlineSeconds: deadlineSeconds } },
});

/** The simulator's own event-loop delay (a saturated simulator delays every agent it plays). */
function watchEventLoop(): { stop: () => { p50ms: number; p99ms: number; maxms: number } } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const msOf = (ns: number) => Math.round(ns / 1e6);
      return {
        p50ms: msOf(histogram.percentile(50)),
        p99ms: msOf(histogram.percentile(99)),
        maxms: msOf(histogram.max),
      };
    },
  };
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Aborted', 'RolledBack', 'Superseded']);

async function heartbeatScenario(): Promise<void> {
  await stack.addHub();
  const hub = stack.hubs[0]!;
  const registered = await register(N);
  await sender.connect();
  const db = await connectDb(stack.databaseUrl);
  const observer = new VisibilityObserver(db, sender);
  const ramp = Number(args.ramp || args['poll-timeout']);
  startFleet(registered, undefined, ramp);
  observer.start();
  const interval = Number(args.heartbeat);
  say(
    `${N} agents long-polling and heartbeating every ${interval} s, started over ${ramp} s; warming up for that and one interval`,
  );
  await delay((ramp + interval) * 1000 + 5_000);
  // A backlog from the start (every agent registering and polling at once) is drained before the
  // window: nothing produced more than 5 s ago still unseen (at most 10 more minutes).
  const warm0 = performance.now();
  await waitFor(
    () => {
      const old = performance.now() - 5_000;
      return [...sender.producedAt.values()].every((at) => at >= old) || undefined;
    },
    { description: 'the warm-up backlog drained', timeoutMs: 600_000, intervalMs: 1000 },
  ).catch(() => say('the warm-up backlog did not drain in 10 minutes; measuring anyway'));
  const drainSeconds = (performance.now() - warm0) / 1000;
  observer.reset();
  const seconds = Number(args.seconds);
  say(`measuring the hub for ${seconds} s`);
  // The ingestion batches' own time (judge, write, commit): what lies between `ingested` and visible.
  const batches = async () => ({
    count: await metric(hub, 'fleetwave_report_batch_seconds_count'),
    within250ms: await metric(hub, 'fleetwave_report_batch_seconds_bucket', { le: '0.25' }),
    within1s: await metric(hub, 'fleetwave_report_batch_seconds_bucket', { le: '1' }),
  });
  const batches0 = await batches();
  const sim0 = process.cpuUsage();
  const errors0 = fleet!.errors;
  const lag = watchEventLoop();
  startProfile(hub);
  const usage = await watchHub(hub, seconds);
  const simCpu = process.cpuUsage(sim0);
  const simLag = lag.stop();
  const windowErrors = fleet!.errors - errors0;
  const batches1 = await batches();
  await stopProfile(hub);
  await observer.stop();
  // Heartbeats produced more than 5 s before the end and still not visible (lost or very late).
  const end = performance.now();
  const notVisible = [...sender.producedAt.values()].filter((at) => at < end - 5_000).length;
  const sweeper = await timeHeartbeatSweep(db);
  await db.end();
  const result = {
    scenario: 'heartbeat',
    clusters: N,
    heartbeatSeconds: interval,
    hubCores: +usage.cores.toFixed(3),
    hubPeakRssMiB: Math.round(usage.rssMiB),
    hubSqlStatementsPerSecond: Math.round(usage.sqlPerSecond),
    postgresSize: await stack.postgresSize(),
    reports: observer.latencies.length,
    produceToVisible: {
      p50ms: Math.round(quantile(observer.latencies, 0.5)),
      p99ms: Math.round(quantile(observer.latencies, 0.99)),
      maxms: Math.round(quantile(observer.latencies, 1)),
    },
    // By the hub's clock (see VisibilityObserver): the simulator's own part is queued − sent.
    queuedToIngested: {
      p50ms: Math.round(quantile(observer.queuedToIngested, 0.5)),
      p99ms: Math.round(quantile(observer.queuedToIngested, 0.99)),
      maxms: Math.round(quantile(observer.queuedToIngested, 1)),
    },
    sentToIngested: {
      p50ms: Math.round(quantile(observer.sentToIngested, 0.5)),
      p99ms: Math.round(quantile(observer.sentToIngested, 0.99)),
      maxms: Math.round(quantile(observer.sentToIngested, 1)),
      heartbeats: observer.sentToIngested.length,
    },
    warmupBacklogDrainSeconds: +drainSeconds.toFixed(1),
    ingestionBatches: {
      count: batches1.count - batches0.count,
      within250ms: batches1.within250ms - batches0.within250ms,
      within1s: batches1.within1s - batches0.within1s,
    },
    heartbeatsNotVisible5sAfter: notVisible,
    heartbeatSweeperStatementMs: sweeper,
    observerLookMs: {
      p50: Math.round(quantile(observer.lookMs, 0.5)),
      p99: Math.round(quantile(observer.lookMs, 0.99)),
    },
    simulatorCores: +((simCpu.user + simCpu.system) / 1e6 / seconds).toFixed(2),
    simulatorEventLoopDelay: simLag,
    agentErrorsInWindow: windowErrors,
    agentErrors: fleet!.errors,
    agentLastErrors: fleet!.errorKinds(),
    producerFailures: sender.failed,
  };
  console.log(JSON.stringify(result, null, 2));
}

/**
 * The heartbeat sweeper's statement (the hub runs it every `HUB_SWEEP_INTERVAL_SECONDS`)
 * timed by PostgreSQL over the fleet as it is: `EXPLAIN ANALYZE` five times, each in a transaction
 * rolled back, with the hub's default thresholds (Unknown after 3 missed 30 s heartbeats, Offline
 * after 600 s). Execution ms, median and max.
 */
async function timeHeartbeatSweep(db: pg.Client): Promise<{ medianMs: number; maxMs: number }> {
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    await db.query('BEGIN');
    try {
      const now = Date.now();
      const { rows } = await db.query<{ 'QUERY PLAN': [{ 'Execution Time': number }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${MARK_SILENT_CLUSTERS}`,
        [new Date(now - 90_000), new Date(now - 600_000)],
      );
      ms.push(rows[0]!['QUERY PLAN'][0]['Execution Time']);
    } finally {
      await db.query('ROLLBACK');
    }
  }
  return { medianMs: +quantile(ms, 0.5).toFixed(2), maxMs: +quantile(ms, 1).toFixed(2) };
}

/**
 * K applications of the `fleet` repo with three waves by the `tier` label (a, b, c; each with
 * `maxConcurrency`), and a first commit the hub has fetched.
 */
async function threeWaveApplications(
  K: number,
  maxConcurrency: number | string,
): Promise<{ apps: string[]; commit: string }> {
  const apps = Array.from({ length: K }, (_, i) => `app-${String(i).padStart(3, '0')}`);
  const repo = await createRepo(path.join(stack.work, 'git'), 'fleet');
  const commit = await repo.commit({ 'deploy/web.yaml': MANIFEST('1', true) }, 'web 1');
  await createApplications(apps, () => ({
    repoUrl: stack.git.url('fleet'),
    ref: 'main',
    path: 'deploy',
    syncPolicy: 'manual',
    pollIntervalSeconds: 3600,
    plan: {
      waves: ['a', 'b', 'c'].map((tier) => ({
        name: tier,
        selector: `tier=${tier}`,
        maxConcurrency,
        progressDeadlineSeconds: 600,
      })),
      autoRollback: false,
    },
  }));
  await push(commit);
  return { apps, commit };
}

async function rolloutScenario(): Promise<void> {
  for (let i = 0; i < REPLICAS; i++) await stack.addHub();
  const registered = await register(N);
  await sender.connect();
  const assignedTimes = new Map<string, number>(); // `${cluster}:${app}:${commit}` → times seen new
  startFleet(registered, (cluster, a) => {
    const key = `${cluster.clusterName}:${a.application}:${a.commit}`;
    assignedTimes.set(key, (assignedTimes.get(key) ?? 0) + 1);
  });
  const K = Number(args.rollouts);
  const { apps, commit } = await threeWaveApplications(K, '50%');
  say(`${K} application(s) created; starting ${K} rollout(s) of ${commit.slice(0, 8)} over ${N} clusters`);
  const t0 = performance.now();
  const ids = await startRollouts(apps, commit);
  let killed: string | undefined;
  const done = await waitFor(
    async () => {
      const rows = (await allRollouts()).filter((r) => [...ids.values()].includes(r.id));
      if (args['kill-one'] && killed === undefined) {
        const healthy = await countHealthy(commit);
        if (healthy >= (N * K) / 4) {
          const victim = stack.hubs[0]!;
          await victim.kill();
          killed = `replica 0 SIGKILLed at ${((performance.now() - t0) / 1000).toFixed(1)} s with ${healthy}/${N * K} clusters healthy`;
          say(killed);
        }
      }
      return rows.length === K && rows.every((r) => TERMINAL.has(r.state)) ? rows : undefined;
    },
    { description: 'every rollout finished', timeoutMs: 1_800_000, intervalMs: 250 },
  );
  const wall = performance.now() - t0;
  const durations = done.map((r) => new Date(r.finishedAt!).getTime() - new Date(r.createdAt).getTime());
  const states = Object.fromEntries(
    [...new Set(done.map((r) => r.state))].map((s) => [s, done.filter((r) => r.state === s).length]),
  );
  // Nothing lost: every cluster's final status for every app reached Postgres, assigned once.
  const healthy = await countHealthy(commit);
  const repeats = [...assignedTimes.values()].filter((n) => n > 1).length;
  console.log(
    JSON.stringify(
      {
        scenario: 'rollout',
        clusters: N,
        rollouts: K,
        replicas: REPLICAS,
        killed: killed ?? null,
        states,
        startToSucceeded: {
          p50ms: Math.round(quantile(durations, 0.5)),
          p90ms: Math.round(quantile(durations, 0.9)),
          maxms: Math.round(quantile(durations, 1)),
        },
        wallSeconds: +(wall / 1000).toFixed(1),
        healthyStatusesInPostgres: `${healthy}/${N * K}`,
        clustersAssignedTwice: repeats,
        agentErrors: fleet!.errors,
      },
      null,
      2,
    ),
  );
}

async function countHealthy(commit: string): Promise<number> {
  const db = await connectDb(stack.databaseUrl);
  try {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cluster_bundle_status WHERE commit = $1 AND phase = 'Healthy'`,
      [commit],
    );
    return rows[0]!.n;
  } finally {
    await db.end();
  }
}

/**
 * 1,000 rollouts × 100 assignments: 1,000 clusters in 10 shards, 1,000 applications each targeting
 * one shard (so every cluster runs 100 of them). Rollouts are started while no agent runs, so all
 * 1,000 wait in progress with 100 assignments each; then the hub is killed and a new one started.
 */
async function restartScenario(): Promise<void> {
  await stack.addHub();
  const K = Number(args.rollouts);
  const SHARDS = 10;
  const registered = await register(N, (i) => ({ ...simLabels(i, N), shard: String(i % SHARDS) }));
  const apps = Array.from({ length: K }, (_, i) => `app-${String(i).padStart(4, '0')}`);
  const repo = await createRepo(path.join(stack.work, 'git'), 'fleet');
  const commit = await repo.commit({ 'deploy/web.yaml': MANIFEST('1', false) }, 'web 1');
  const shardOf = (name: string) => Number(name.slice(4)) % SHARDS;
  // --setup api: every application and rollout through the API. sql (default): one per shard
  // through the API, the rest copies of those rows (bench/sim/clone-rollouts.ts); either way the
  // hub is then restarted and the measured window starts from rows only.
  const viaApi = args.setup === 'api' ? apps : apps.slice(0, Math.min(SHARDS, K));
  if (args.setup !== 'api' && args.setup !== 'sql') throw new Error('--setup: api or sql');
  const db = await connectDb(stack.databaseUrl);
  const assignments = async () =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cluster_assignment`)).rows[0]!.n;
  const assigned = async (expected: number) => {
    await waitFor(async () => (await assignments()) === expected, {
      description: `${expected} assignments`,
      timeoutMs: 900_000,
      intervalMs: 500,
    });
  };
  let t = performance.now();
  await createApplications(viaApi, (name) => oneWaveApplication(`shard=${shardOf(name)}`, 7200));
  await push(commit);
  say(`${viaApi.length} applications created in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await startRollouts(viaApi, commit);
  await assigned((viaApi.length * N) / SHARDS);
  say(`${viaApi.length} rollouts started and assigned in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const expected = (K * N) / SHARDS;
  if (viaApi.length < K) {
    t = performance.now();
    const copies = await cloneApplications(
      db,
      viaApi.map((template) => ({
        template,
        names: apps.slice(viaApi.length).filter((name) => shardOf(name) === shardOf(template)),
      })),
    );
    await assigned(expected);
    say(
      `${K - viaApi.length} more copied in SQL in ${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(copies)}`,
    );
  }
  const { rows: sizes } = await db.query<{ rollouts: number; clusters: number }>(
    `SELECT (SELECT count(*)::int FROM rollout WHERE state NOT IN ('Succeeded','Failed','Aborted','RolledBack','Superseded')) AS rollouts,
            (SELECT count(*)::int FROM rollout_cluster) AS clusters`,
  );
  say(
    `in Postgres: ${sizes[0]!.rollouts} active rollouts, ${sizes[0]!.clusters} rollout clusters, ${await stack.postgresSize()}`,
  );

  await stack.hubs[0]!.kill();
  say('hub SIGKILLed; starting a new one');
  const probe = registered[0]!.identity;
  const { hub, readyMs } = await stack.addHub();
  const servedAt = performance.now();
  const poll = await fetch(`${hub.url}/agent/v1/assignments`, {
    headers: { authorization: `Bearer ${probe.credential}` },
  });
  const body = (await poll.json()) as { assignments: unknown[] };
  const { rollouts } = await stack.gql<{ rollouts: { totalCount: number } }>(
    `{ rollouts(state: [Progressing], first: 1) { totalCount } }`,
  );
  const servingMs = readyMs + (performance.now() - servedAt);
  say(
    `new hub ready in ${ms(readyMs)}; serving (assignments poll → ${body.assignments.length} assignments, ${rollouts.totalCount} rollouts in progress) at ${ms(servingMs)}`,
  );

  // The new hub drives all of them to the end once agents report.
  await sender.connect();
  const t1 = performance.now();
  const cpu0 = hub.usage().cpuSeconds;
  const ingested = () => metric(hub, 'fleetwave_reports_ingested_total');
  const reports0 = await ingested();
  startProfile(hub);
  startFleet(registered);
  let lastProgress = performance.now();
  let lastReports = reports0;
  const statusReportRates: number[] = []; // reports/s ingested per 10 s window
  await waitFor(
    async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM rollout WHERE state = 'Succeeded'`,
      );
      if (performance.now() - lastProgress > 10_000) {
        const reports = await ingested();
        const rate = (reports - lastReports) / ((performance.now() - lastProgress) / 1000);
        statusReportRates.push(rate);
        lastProgress = performance.now();
        lastReports = reports;
        const phases = await db.query<{ phase: string; n: number }>(
          `SELECT phase, count(*)::int AS n FROM cluster_bundle_status GROUP BY phase ORDER BY phase`,
        );
        say(
          `${rows[0]!.n}/${K} rollouts Succeeded; ${Math.round(rate)} reports/s; reported: ${phases.rows.map((r) => `${r.phase} ${r.n}`).join(', ')}`,
        );
      }
      return rows[0]!.n === K;
    },
    { description: `${K} rollouts Succeeded`, timeoutMs: 1_800_000, intervalMs: 1000 },
  );
  const finishMs = performance.now() - t1;
  const hubCpuSeconds = hub.usage().cpuSeconds - cpu0;
  const reportsIngested = (await ingested()) - reports0;
  await stopProfile(hub);
  await db.end();
  console.log(
    JSON.stringify(
      {
        scenario: 'restart',
        rollouts: K,
        assignments: expected,
        clusters: N,
        hubReadyMs: Math.round(readyMs),
        hubServingMs: Math.round(servingMs),
        agentsStartedToAllSucceededSeconds: +(finishMs / 1000).toFixed(1),
        // Heartbeats included (every --heartbeat s per cluster); CPU is the hub process's own.
        reportsIngested,
        hubCpuSeconds: +hubCpuSeconds.toFixed(1),
        hubCpuMsPerReport: +((hubCpuSeconds * 1000) / reportsIngested).toFixed(2),
        slowest10sReportsPerSecond:
          statusReportRates.length > 0 ? Math.round(Math.min(...statusReportRates)) : null,
        agentErrors: fleet!.errors,
        agentLastErrors: fleet!.errorKinds(),
      },
      null,
      2,
    ),
  );
}

async function longpollScenario(): Promise<void> {
  await stack.addHub();
  const hub = stack.hubs[0]!;
  const registered = await register(N);
  await sender.connect();
  const f = startFleet(registered);
  const timeout = Number(args['poll-timeout']);
  say(`${N} agents polling with a ${timeout} s hold; warming up`);
  await delay(timeout * 1000 + 5_000);
  const polls = () => f.clusters.reduce((n, c) => n + c.polls, 0);
  const p0 = polls();
  const t0 = performance.now();
  const usage = await watchHub(hub, Number(args.seconds));
  const rate = (polls() - p0) / ((performance.now() - t0) / 1000);
  console.log(
    JSON.stringify(
      {
        scenario: 'longpoll',
        clusters: N,
        pollHoldSeconds: timeout,
        pollsPerSecond: Math.round(rate),
        hubCores: +usage.cores.toFixed(3),
        hubCpuMsPerPoll: +((usage.cores * 1000) / rate).toFixed(3),
        hubPeakRssMiB: Math.round(usage.rssMiB),
        agentErrors: f.errors,
      },
      null,
      2,
    ),
  );
}

/** Backlog drain: every replica frozen while `--reports` heartbeats are produced, then thawed. */
async function ingestScenario(): Promise<void> {
  for (let i = 0; i < REPLICAS; i++) await stack.addHub();
  const registered = await register(N);
  await sender.connect();
  const db = await connectDb(stack.databaseUrl);
  const f = new SimFleet(registered, {
    hubUrls: stack.hubUrls,
    reports: sender,
    heartbeatSeconds: 3600,
    applyMs: [],
    failureRate: [],
  });
  // --bundles B: status reports of B bundle statuses each (--changed-bundles of them moving in
  // every report, all by default) instead of heartbeats; round 0 tells the hub all B first.
  const B = Number(args.bundles);
  const changed = args['changed-bundles'] === '' ? B : Number(args['changed-bundles']);
  const rounds = new Map<number, BundleStatus[]>();
  const sendReport = (c: SimFleet['clusters'][number], round: number) => {
    if (B === 0) return c.sendHeartbeat();
    if (!rounds.has(round)) rounds.set(round, roundOfBundles(B, changed, round));
    void c.send(c.heartbeat({ kind: 'status', bundles: rounds.get(round)! }));
  };
  // One report each, and wait for all: every replica's consumer has joined and is caught up.
  for (const c of f.clusters) sendReport(c, 0);
  const visibleAll = async () => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cluster c JOIN unnest($1::uuid[], $2::bigint[]) AS w(id, seq)
          ON c.id = w.id WHERE c.last_seq < w.seq`,
      [f.clusters.map((c) => c.clusterId), f.clusters.map((c) => c.lastSeq)],
    );
    return rows[0]!.n === 0;
  };
  await waitFor(visibleAll, { description: 'first reports', timeoutMs: 300_000, intervalMs: 200 });
  const bundleRowWrites = async () => {
    const { rows } = await db.query<{ n: string }>(
      `SELECT (n_tup_ins + n_tup_upd)::text AS n FROM pg_stat_user_tables WHERE relname = 'cluster_bundle_status'`,
    );
    return Number(rows[0]?.n ?? 0);
  };
  const M = Number(args.reports);
  for (const hub of stack.hubs) hub.process.child.kill('SIGSTOP');
  for (let i = 0; i < M; i++) sendReport(f.clusters[i % N]!, 1 + Math.floor(i / N));
  await sender.flushed();
  if (sender.failed > 0) throw new Error(`${sender.failed} reports could not be produced`);
  const kind = B === 0 ? 'heartbeats' : `status reports of ${B} bundles (${changed} changing)`;
  say(`${M} ${kind} produced while ${REPLICAS} replica(s) were frozen; thawing`);
  const writes0 = await bundleRowWrites();
  // The statistics above may be published seconds late (an idle backend flushes them later), so a
  // direct count too: the rows inserted or updated since the thaw (updated_at is set by both).
  const thawedAt = (await db.query<{ at: Date }>(`SELECT clock_timestamp() AS at`)).rows[0]!.at;
  const t0 = performance.now();
  const cpu0 = stack.hubs.map((h) => h.usage().cpuSeconds);
  for (const hub of stack.hubs) hub.process.child.kill('SIGCONT');
  startProfile(stack.hubs[0]!);
  await waitFor(visibleAll, { description: 'backlog visible', timeoutMs: 1_800_000, intervalMs: 100 });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = stack.hubs.map((h, i) => h.usage().cpuSeconds - cpu0[i]!);
  await stopProfile(stack.hubs[0]!);
  // PostgreSQL publishes table statistics within a second or so of a transaction's end.
  await delay(2_000);
  const rowWrites = (await bundleRowWrites()) - writes0;
  const { rows: touched } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM cluster_bundle_status WHERE updated_at >= $1`,
    [thawedAt],
  );
  await db.end();
  console.log(
    JSON.stringify(
      {
        scenario: 'ingest',
        clusters: N,
        replicas: REPLICAS,
        reports: M,
        bundlesPerReport: B,
        changedBundlesPerReport: B === 0 ? 0 : changed,
        drainSeconds: +seconds.toFixed(1),
        reportsPerSecond: Math.round(M / seconds),
        bundleStatusesPerSecond: Math.round((M * B) / seconds),
        bundleRowsWritten: rowWrites,
        bundleRowsWrittenSinceThaw: touched[0]!.n,
        hubCoresEach: cpu.map((s) => +(s / seconds).toFixed(2)),
        hubCpuMsPerReport: +((cpu.reduce((a, b) => a + b, 0) * 1000) / M).toFixed(2),
      },
      null,
      2,
    ),
  );
}

interface CatchupProgress {
  /** Joiners whose status for the application is Healthy at the settled commit. */
  healthy: number;
  catchups: number;
  active: number;
  states: Record<string, number>;
  /** Rollouts or assignments at any other commit (must stay 0: nobody gets anything else). */
  otherCommit: number;
}

async function catchupProgress(
  db: pg.Client,
  commit: string,
  joiners: readonly string[],
): Promise<CatchupProgress> {
  const { rows } = await db.query<{ healthy: number; other: number }>(
    `SELECT (SELECT count(*)::int FROM cluster_bundle_status
              WHERE commit = $1 AND phase = 'Healthy' AND cluster_id = ANY($2::uuid[])) AS healthy,
            (SELECT count(*)::int FROM rollout WHERE commit <> $1)
              + (SELECT count(*)::int FROM cluster_assignment WHERE commit <> $1) AS other`,
    [commit, joiners],
  );
  const byState = await db.query<{ state: string; n: number }>(
    `SELECT state, count(*)::int AS n FROM rollout WHERE kind = 'catchup' GROUP BY state ORDER BY state`,
  );
  const states = Object.fromEntries(byState.rows.map((r) => [r.state, r.n]));
  const catchups = byState.rows.reduce((n, r) => n + r.n, 0);
  const finished = byState.rows.filter((r) => TERMINAL.has(r.state)).reduce((n, r) => n + r.n, 0);
  return {
    healthy: rows[0]!.healthy,
    catchups,
    active: catchups - finished,
    states,
    otherCommit: rows[0]!.other,
  };
}

/**
 * Clusters joining an application that already Succeeded: 10 clusters register and a rollout over
 * all of them (label selector) runs to Succeeded; then N more register at once and the catch-up
 * lane brings them to the settled commit, `HUB_CATCHUP_MAX_CONCURRENCY` clusters at a time. The
 * window runs from the start of their registration until every one of them reports Healthy at that
 * commit and no catch-up runs any more (or `--timeout` s, then it reports how far it got).
 */
async function catchupScenario(): Promise<void> {
  const BASE = 10;
  await stack.addHub();
  const hub = stack.hubs[0]!;
  const labels = (i: number) => ({ ...simLabels(i, N), fleet: 'sim' });
  const base = await register(BASE, labels);
  await sender.connect();
  const repo = await createRepo(path.join(stack.work, 'git'), 'fleet');
  const commit = await repo.commit({ 'deploy/web.yaml': MANIFEST('1', true) }, 'web 1');
  const assignedElsewhere = new Set<string>(); // clusters handed a commit other than the settled one
  const assignedMs: number[] = []; // joiners: start of registration → new assignment fetched
  let t0 = Infinity;
  const onAssigned = (cluster: RegisterResponse, a: Assignment) => {
    if (a.commit !== commit) assignedElsewhere.add(cluster.clusterName);
    else if (performance.now() >= t0) assignedMs.push(performance.now() - t0);
  };
  startFleet(base, onAssigned);
  await createApplications(['web'], () => oneWaveApplication('fleet=sim', 600));
  await push(commit);
  const first = (await startRollouts(['web'], commit)).get('web')!;
  const settled = await waitFor(
    async () => (await allRollouts()).find((r) => r.id === first && TERMINAL.has(r.state)),
    { description: 'the first rollout finished', timeoutMs: 300_000, intervalMs: 250 },
  );
  if (settled.state !== 'Succeeded') throw new Error(`the first rollout ended ${settled.state}`);
  say(`${commit.slice(0, 8)} Succeeded on ${BASE} clusters; registering ${N} more at once`);

  const db = await connectDb(stack.databaseUrl);
  const watch = await startWatchingHub(hub);
  const startedAt = Date.now();
  t0 = performance.now();
  const joiners = await register(N, labels, BASE);
  const registeredSeconds = (performance.now() - t0) / 1000;
  startFleet(joiners, onAssigned);
  const ids = joiners.map((r) => r.identity.clusterId);
  const deadline = t0 + Number(args.timeout) * 1000;
  const done = (p: CatchupProgress) => p.healthy === N && p.active === 0;
  let progress = await catchupProgress(db, commit, ids);
  let lastSaid = performance.now();
  while (!done(progress) && performance.now() < deadline) {
    await delay(250);
    progress = await catchupProgress(db, commit, ids);
    if (performance.now() - lastSaid > 10_000) {
      lastSaid = performance.now();
      say(`${progress.healthy}/${N} Healthy; ${progress.catchups} catch-ups (${progress.active} running)`);
    }
  }
  const windowSeconds = (performance.now() - t0) / 1000;
  const usage = await watch.stop();
  // Per joiner: start of registration → its Healthy status observed (the agent's clock is ours).
  const { rows } = await db.query<{ ms: number }>(
    `SELECT (extract(epoch FROM observed_at) * 1000 - $3)::float8 AS ms FROM cluster_bundle_status
      WHERE commit = $1 AND phase = 'Healthy' AND cluster_id = ANY($2::uuid[])`,
    [commit, ids, startedAt],
  );
  await db.end();
  const healthyMs = rows.map((r) => r.ms);
  console.log(
    JSON.stringify(
      {
        scenario: 'catchup',
        clusters: N,
        catchupConcurrency: args['catchup-concurrency'] || 'hub default',
        finished: done(progress),
        timeoutSeconds: done(progress) ? null : Number(args.timeout),
        registrationSeconds: +registeredSeconds.toFixed(1),
        allHealthySeconds: +windowSeconds.toFixed(1),
        healthy: `${progress.healthy}/${N}`,
        registrationToHealthy: {
          p50ms: Math.round(quantile(healthyMs, 0.5)),
          p90ms: Math.round(quantile(healthyMs, 0.9)),
          maxms: Math.round(quantile(healthyMs, 1)),
        },
        registrationToAssigned: {
          p50ms: Math.round(quantile(assignedMs, 0.5)),
          maxms: Math.round(quantile(assignedMs, 1)),
        },
        catchupRollouts: progress.catchups,
        catchupStates: progress.states,
        hubCores: +usage.cores.toFixed(3),
        hubPeakRssMiB: Math.round(usage.rssMiB),
        hubSqlStatementsPerSecond: Math.round(usage.sqlPerSecond),
        otherCommitRowsInPostgres: progress.otherCommit,
        clustersAssignedAnotherCommit: assignedElsewhere.size,
        agentErrors: fleets.reduce((n, f) => n + f.errors, 0),
      },
      null,
      2,
    ),
  );
}

interface EtaSample {
  state: string;
  createdAt: string;
  finishedAt: string | null;
  waves: { size: number; counts: { healthy: number; skipped: number } }[];
  eta: { at: string | null; basis: string; confidence: string; clusterSeconds?: number | null };
}

/**
 * K overlapping rollouts (started `--stagger` seconds apart) of three waves each over N clusters,
 * under a fleet budget of `--budget` clusters changing at once. Every second: the hub's own count
 * of changing clusters (the statement its fleet budget uses) and each rollout's progress and ETA.
 * The ETA is judged when a rollout first reaches 25 % of its clusters: its error is
 * |ETA − finished| as a share of the rollout's whole duration (created → finished).
 */
async function budgetScenario(): Promise<void> {
  const budget = Number(args.budget);
  if (!Number.isInteger(budget) || budget < 1) throw new Error('budget: give --budget N (N ≥ 1)');
  await stack.addHub();
  const registered = await register(N);
  await sender.connect();
  startFleet(registered);
  const K = Number(args.rollouts);
  const { apps, commit } = await threeWaveApplications(K, 50);
  const db = await connectDb(stack.databaseUrl);
  const ids: string[] = [];
  const at25 = new Map<string, { sampledAt: number; eta: EtaSample['eta'] }>();
  let maxChanging = 0;
  let samples = 0;
  let over = 0;
  const sample = async () => {
    const { rows } = await db.query<{ n: number }>(FLEET_CHANGING.sql, FLEET_CHANGING.params);
    const changing = rows[0]!.n;
    samples++;
    maxChanging = Math.max(maxChanging, changing);
    if (changing > budget) over++;
    if (trace !== undefined) await traceSample(changing);
    for (const id of ids) {
      if (at25.has(id)) continue;
      const { rollout } = await stack.gql<{ rollout: EtaSample }>(
        `query($id: ID!) { rollout(id: $id) { state createdAt finishedAt
           waves { size counts { healthy skipped } } eta { at basis confidence } } }`,
        { id },
      );
      const size = rollout.waves.reduce((n, w) => n + w.size, 0);
      const done = rollout.waves.reduce((n, w) => n + w.counts.healthy + w.counts.skipped, 0);
      if (size > 0 && done / size >= 0.25) at25.set(id, { sampledAt: Date.now(), eta: rollout.eta });
    }
  };
  // --trace FILE: every second, each rollout's progress, holdings and ETA (one JSON line per sample).
  const trace = args.trace ? createWriteStream(path.resolve(args.trace)) : undefined;
  const started = Date.now();
  const traceSample = async (changing: number) => {
    const held = new Map(
      (await db.query<{ id: string; n: number }>(ROLLOUT_CHANGING.sql, ROLLOUT_CHANGING.params)).rows.map(
        (r) => [r.id, r.n],
      ),
    );
    const rollouts = [];
    for (const id of ids) {
      const { rollout } = await stack.gql<{ rollout: EtaSample & { currentWave: number } }>(
        `query($id: ID!) { rollout(id: $id) { state currentWave createdAt finishedAt
           waves { size counts { healthy skipped } } eta { at basis confidence clusterSeconds } } }`,
        { id },
      );
      const done = rollout.waves.reduce((n, w) => n + w.counts.healthy + w.counts.skipped, 0);
      const eta =
        rollout.eta.at === null ? null : +((Date.parse(rollout.eta.at) - started) / 1000).toFixed(1);
      const { state, currentWave: wave } = rollout;
      rollouts.push({ state, wave, done, held: held.get(id) ?? 0, eta, cs: rollout.eta.clusterSeconds });
    }
    trace!.write(
      `${JSON.stringify({ t: +((Date.now() - started) / 1000).toFixed(1), changing, rollouts })}\n`,
    );
  };
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const next = Date.now() + 1000;
      await sample().catch((error: unknown) => say(`sample failed: ${String(error)}`));
      await delay(Math.max(0, next - Date.now()));
    }
  })();
  say(`${K} rollouts over ${N} clusters, ${args.stagger} s apart, fleet budget ${budget}`);
  for (const [i, app] of apps.entries()) {
    if (i > 0) await delay(Number(args.stagger) * 1000);
    ids.push((await startRollouts([app], commit)).get(app)!);
  }
  const done = await waitFor(
    async () => {
      const rows = (await allRollouts()).filter((r) => ids.includes(r.id));
      return rows.length === K && rows.every((r) => TERMINAL.has(r.state)) ? rows : undefined;
    },
    { description: 'every rollout finished', timeoutMs: Number(args.timeout) * 1000, intervalMs: 1000 },
  );
  sampling = false;
  await sampler;
  trace?.end();
  await db.end();
  // In start order (the hub lists the newest first).
  const etas = [...done]
    .sort((x, y) => ids.indexOf(x.id) - ids.indexOf(y.id))
    .map((r) => {
      const judged = at25.get(r.id);
      const created = Date.parse(r.createdAt);
      const finished = Date.parse(r.finishedAt!);
      const eta = judged?.eta.at ? Date.parse(judged.eta.at) : null;
      return {
        rollout: r.id,
        state: r.state,
        durationSeconds: +((finished - created) / 1000).toFixed(1),
        at25Seconds: judged ? +((judged.sampledAt - created) / 1000).toFixed(1) : null,
        etaBasis: judged?.eta.basis ?? null,
        etaConfidence: judged?.eta.confidence ?? null,
        etaMinusFinishedSeconds: eta === null ? null : +((eta - finished) / 1000).toFixed(1),
        errorOfDuration: eta === null ? null : +(Math.abs(eta - finished) / (finished - created)).toFixed(3),
      };
    });
  console.log(
    JSON.stringify(
      {
        scenario: 'budget',
        clusters: N,
        rollouts: K,
        budget,
        budgetSamples: samples,
        maxChanging,
        samplesOverBudget: over,
        etaAt25Percent: etas,
        etaWithin20Percent: etas.every((e) => e.errorOfDuration !== null && e.errorOfDuration <= 0.2),
        agentErrors: fleet!.errors,
      },
      null,
      2,
    ),
  );
}

/**
 * The hub's periodic work with nothing else going on: N clusters (rows, no agent runs), K
 * applications targeting all of them with a rollout each that waits for reports (every cluster
 * assigned at once, a 2 h deadline). Every `HUB_ROLLOUT_PASS_INTERVAL_SECONDS` (5 s) the engine's
 * sweep passes over the K rollouts (N members each) and the catch-up lane and withdrawal sweep read
 * the K placements; no request, report or heartbeat reaches the hub in the measured window.
 */
async function sweepScenario(): Promise<void> {
  await stack.addHub();
  const hub = stack.hubs[0]!;
  const K = Number(args.rollouts);
  // Rows as registration leaves them for a cluster whose agent never started (Pending, no agent):
  // registering 10,000 through the API takes 1–10 min on a shared machine and is not measured here.
  const db = await connectDb(stack.databaseUrl);
  await db.query(
    `INSERT INTO cluster (name, kube_system_uid, labels)
     SELECT 'sim-' || lpad(i::text, 5, '0'), 'sim-uid-' || i, $2::jsonb FROM generate_series(0, $1 - 1) AS i`,
    [N, JSON.stringify({ fleet: 'sim', region: 'eu', env: 'prod' })],
  );
  const apps = Array.from({ length: K }, (_, i) => `app-${String(i).padStart(3, '0')}`);
  const repo = await createRepo(path.join(stack.work, 'git'), 'fleet');
  const commit = await repo.commit({ 'deploy/web.yaml': MANIFEST('1', false) }, 'web 1');
  await createApplications(apps, () => oneWaveApplication('fleet=sim', 7200));
  await push(commit);
  const t = performance.now();
  await startRollouts(apps, commit, 2);
  await waitFor(
    async () =>
      (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cluster_assignment`)).rows[0]!.n ===
      K * N,
    { description: `${K * N} assignments`, timeoutMs: 900_000, intervalMs: 500 },
  );
  await db.end();
  say(
    `${K} rollouts over ${N} clusters started in ${((performance.now() - t) / 1000).toFixed(1)} s; settling`,
  );
  await delay(15_000);
  const seconds = Number(args.seconds);
  say(`measuring the hub for ${seconds} s`);
  startProfile(hub);
  const usage = await watchHub(hub, seconds);
  await stopProfile(hub);
  const period = 5;
  console.log(
    JSON.stringify(
      {
        scenario: 'sweep',
        clusters: N,
        rollouts: K,
        seconds,
        hubCores: +usage.cores.toFixed(3),
        hubCpuMsPerPeriod: Math.round(usage.cores * period * 1000),
        hubPeakRssMiB: Math.round(usage.rssMiB),
        hubSqlStatementsPerSecond: Math.round(usage.sqlPerSecond),
      },
      null,
      2,
    ),
  );
}

const scenarios: Record<string, () => Promise<void>> = {
  sweep: sweepScenario,
  heartbeat: heartbeatScenario,
  rollout: rolloutScenario,
  restart: restartScenario,
  longpoll: longpollScenario,
  ingest: ingestScenario,
  catchup: catchupScenario,
  budget: budgetScenario,
};
try {
  const run = scenarios[scenario];
  if (!run) throw new Error(`unknown scenario "${scenario}" (one of: ${Object.keys(scenarios).join(', ')})`);
  await run();
  await shutdown(0);
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  for (const hub of stack.hubs) console.error(`--- ${hub.url}\n${hub.process.logTail(20)}`);
  await shutdown(1);
}
