// GraphQL reads under load: requests/s, p50/p99 latency and SQL statements per request for the
// API's heavy reads (one rollout of 1,000 clusters, a page of clusters out of 10,000, the rollout
// and application lists). Real PostgreSQL and Kafka from the harness; the hub is its own process
// (the built services/hub/dist/main.js), so this process only seeds and sends requests.
// Statements come from the hub's own histogram (fleetwave_hub_graphql_sql_statements on /metrics).
//
// Usage: npm run build && npx tsx bench/graphql.ts --clusters 10000 --rollout-clusters 1000 --seconds 20 [--concurrency 8]
//   [--only RolloutDetail,...] [--before <other tree>/services/hub/dist/main.js --rounds 2] [--cpu-prof <dir>]
//   [--main <the build to measure>/services/hub/dist/main.js] [--rate 50 (open loop: requests/s)]
//   [--statements false (no per-request statement counting, as in production)]
//
// The fleet is seeded with SQL (as report-ingestion.ts does): this measures reading, not writing.
// seedFleet and the queries are shared with test/integration/graphql-sql-budget.int-spec.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { graphqlClient } from '../test/harness/graphql-client.js';
import { type HubProcess, startHubProcess } from '../test/harness/hub-process.js';
import { startKafka } from '../test/harness/kafka.js';
import { cacheDir } from '../test/harness/paths.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';

export interface FleetSize {
  clusters: number;
  /** Members of the big rollout (the first clusters by name), over three waves. */
  rolloutClusters: number;
  /** Rollouts in all, the big one included (the others are older and smaller). */
  rollouts: number;
  /** Members of each of the other rollouts. */
  smallRolloutClusters: number;
  applications: number;
}

/** Canary (env=staging), prod-eu behind an approval, then the rest: every wave has members. */
const PLAN = {
  waves: [
    { name: 'canary', selector: 'env=staging', ...settings(10, '10%', 300, false) },
    { name: 'prod-eu', selector: 'env=prod,region=eu', ...settings('25%', '5%', 600, true) },
  ],
  rest: settings('10%', '5%', 0, false),
  autoRollback: false,
};

function settings(
  maxConcurrency: number | string,
  failureBudget: number | string,
  soakSeconds: number,
  requireApproval: boolean,
) {
  return {
    maxConcurrency,
    failureBudget,
    soakSeconds,
    requireApproval,
    progressDeadlineSeconds: 900,
    offlinePolicy: 'wait',
  };
}

/** The wave a seeded cluster `c` belongs to (first match, as the engine's membership). */
const WAVE_OF = `CASE WHEN c.labels->>'env' = 'staging' THEN 'canary'
  WHEN c.labels->>'env' = 'prod' AND c.labels->>'region' = 'eu' THEN 'prod-eu' ELSE 'rest' END`;
/** A deterministic 40-hex commit id and bundle digest from a text. */
const COMMIT = (text: string) => `left(encode(sha256(convert_to(${text}, 'UTF8')), 'hex'), 40)`;
const DIGEST = (text: string) => `'sha256:' || encode(sha256(convert_to(${text}, 'UTF8')), 'hex')`;

/**
 * Clusters labelled env/region/tier, applications `app-01…` with three commits each, one big
 * Progressing rollout of app-01 (canary done with a few failures, prod-eu half in flight, rest
 * pending) and older, smaller finished rollouts spread over the applications. Set-based SQL:
 * 10,000 clusters take well under a second. Returns the big rollout's id.
 */
export async function seedFleet(db: pg.ClientBase, size: FleetSize): Promise<{ rolloutId: string }> {
  await db.query(
    `INSERT INTO cluster (name, kube_system_uid, labels, facts, status, agent_version, last_heartbeat_at)
     SELECT format('cluster-%s', lpad(i::text, 5, '0')), gen_random_uuid()::text,
            jsonb_build_object('env', (ARRAY['prod', 'prod', 'staging', 'dev'])[i % 4 + 1],
                               'region', (ARRAY['eu', 'us', 'ap'])[i % 3 + 1],
                               'tier', (ARRAY['web', 'db', 'cache'])[i / 4 % 3 + 1]),
            '{"kubernetesVersion": "v1.33.5", "nodeCount": 3, "provider": "kind"}',
            CASE WHEN i % 97 = 0 THEN 'Offline' WHEN i % 41 = 0 THEN 'NotReady' ELSE 'Ready' END,
            '0.1.0', now() - make_interval(secs => i % 30)
       FROM generate_series(1, $1) AS i`,
    [size.clusters],
  );
  // Never due for a git sync while the hub runs (there is no repository behind them).
  await db.query(
    `INSERT INTO application (name, repo_url, repo_key, ref, path, plan, sync_policy, poll_interval_seconds,
                              last_synced_at, latest_commit)
     SELECT format('app-%s', lpad(i::text, 2, '0')), 'https://git.example.com/fleet.git', 'git.example.com/fleet',
            'main', format('apps/%s', i), $2, 'manual', 86400, now(), ${COMMIT(`format('app-%s-1', lpad(i::text, 2, '0'))`)}
       FROM generate_series(1, $1) AS i`,
    [size.applications, JSON.stringify(PLAN)],
  );
  // Every revision's source is the empty artifact (no files): nothing here renders them.
  await db.query(
    `INSERT INTO artifact (digest, content, size)
     VALUES ('sha256:' || encode(sha256('[]'::bytea), 'hex'), '[]'::bytea, 2) ON CONFLICT DO NOTHING`,
  );
  await db.query(
    `INSERT INTO revision (application_id, commit, author, author_email, committed_at, message, artifact_digest)
     SELECT a.id, ${COMMIT(`format('%s-%s', a.name, j)`)}, 'Ada Lovelace', 'ada@example.com',
            now() - make_interval(hours => j), format('%s: change %s', a.name, j),
            'sha256:' || encode(sha256('[]'::bytea), 'hex')
       FROM application a CROSS JOIN generate_series(1, 3) AS j`,
  );
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO rollout (application_id, commit, state, current_wave, plan, created_by)
     SELECT id, latest_commit, 'Progressing', 1, plan, 'bench' FROM application WHERE name = 'app-01'
     RETURNING id`,
  );
  const rolloutId = rows[0]!.id;
  await db.query(
    `INSERT INTO rollout_wave (rollout_id, index, name, started_at, healthy_at, approved_at, approved_by)
     VALUES ($1, 0, 'canary', now() - interval '1 hour', now() - interval '30 minutes', NULL, NULL),
            ($1, 1, 'prod-eu', now() - interval '20 minutes', NULL, now() - interval '21 minutes', 'token:ops'),
            ($1, 2, 'rest', NULL, NULL, NULL, NULL)`,
    [rolloutId],
  );
  // canary: all assigned; prod-eu: every other member assigned (in flight); rest: pending.
  await db.query(
    `INSERT INTO rollout_cluster (rollout_id, cluster_id, cluster_name, wave, target_digest, target_commit,
                                  digest_assigned, assigned_at)
     SELECT $1, c.id, c.name, m.wave, m.digest, r.commit,
            CASE WHEN m.wave = 'canary' OR (m.wave = 'prod-eu' AND m.n % 2 = 0) THEN m.digest END,
            CASE WHEN m.wave = 'canary' OR (m.wave = 'prod-eu' AND m.n % 2 = 0)
                 THEN now() - interval '10 minutes' END
       FROM (SELECT *, row_number() OVER (ORDER BY name) AS n FROM cluster ORDER BY name LIMIT $2) c
       JOIN rollout r ON r.id = $1
      CROSS JOIN LATERAL (SELECT ${WAVE_OF} AS wave, ${DIGEST(`c.name || r.commit`)} AS digest, c.n) m`,
    [rolloutId, size.rolloutClusters],
  );
  // What the assigned clusters' agents reported: mostly Healthy, some Failed or still Progressing.
  await db.query(
    `INSERT INTO cluster_bundle_status (cluster_id, application, digest, commit, phase, ready, total, failing,
                                        observed_at)
     SELECT rc.cluster_id, 'app-01', rc.target_digest, rc.target_commit, s.phase,
            CASE WHEN s.phase = 'Healthy' THEN 4 ELSE 2 END, 4,
            CASE WHEN s.phase = 'Failed'
                 THEN '[{"id": "web_web_apps_Deployment", "reason": "ProgressDeadlineExceeded", "message": "2/4 ready"}]'::jsonb
                 ELSE '[]'::jsonb END,
            now() - interval '1 minute'
       FROM rollout_cluster rc
      CROSS JOIN LATERAL (SELECT CASE WHEN rc.wave = 'prod-eu' THEN 'Progressing'
                                      WHEN get_byte(sha256(convert_to(rc.cluster_name, 'UTF8')), 0) < 16 THEN 'Failed'
                                      ELSE 'Healthy' END AS phase) s
      WHERE rc.rollout_id = $1 AND rc.digest_assigned IS NOT NULL`,
    [rolloutId],
  );
  // The older rollouts, round-robin over the applications, one hour apart.
  const { rows: older } = await db.query<{ id: string }>(
    `INSERT INTO rollout (application_id, commit, state, current_wave, plan, created_by, created_at, updated_at,
                          finished_at)
     SELECT a.id, ${COMMIT(`format('%s-2', a.name)`)}, CASE WHEN i % 3 = 0 THEN 'Superseded' ELSE 'Succeeded' END,
            2, a.plan, 'bench', now() - make_interval(hours => i), now() - make_interval(hours => i),
            now() - make_interval(hours => i)
       FROM generate_series(1, $1) AS i
       JOIN application a ON a.name = format('app-%s', lpad((i % $2 + 1)::text, 2, '0'))
     RETURNING id`,
    [size.rollouts - 1, size.applications],
  );
  const olderIds = older.map((r) => r.id);
  await db.query(
    `INSERT INTO rollout_wave (rollout_id, index, name, started_at, healthy_at)
     SELECT r.id, w.index, w.name, r.created_at, r.created_at + interval '5 minutes'
       FROM rollout r CROSS JOIN (VALUES (0, 'canary'), (1, 'prod-eu'), (2, 'rest')) AS w(index, name)
      WHERE r.id = ANY($1::uuid[])`,
    [olderIds],
  );
  await db.query(
    `INSERT INTO rollout_cluster (rollout_id, cluster_id, cluster_name, wave, target_digest, target_commit,
                                  digest_assigned, assigned_at)
     SELECT r.id, c.id, c.name, ${WAVE_OF}, d.digest, r.commit, d.digest, r.created_at
       FROM rollout r
      CROSS JOIN (SELECT * FROM cluster ORDER BY name LIMIT $2) c
      CROSS JOIN LATERAL (SELECT ${DIGEST(`c.name || r.commit`)} AS digest) d
      WHERE r.id = ANY($1::uuid[])`,
    [olderIds, size.smallRolloutClusters],
  );
  return { rolloutId };
}

const ROLLOUT_SUMMARY = `id applicationName kind state paused commit createdBy createdAt finishedAt message
  revision { author message } blocking { kind message }`;

/**
 * The reads under test, as the dashboard asks them (services/dashboard/src/api/documents.ts), plus
 * the rollout's application. Each is a named operation: the hub's histogram is labelled by it.
 */
export const QUERIES = {
  RolloutDetail: `query RolloutDetail($id: ID!) {
    rollout(id: $id) {
      id applicationName kind rollbackOf rolledBackBy state paused commit currentWave createdBy createdAt
      updatedAt finishedAt message
      application { name repoUrl syncPolicy latestCommit }
      revision { commit author message committedAt error }
      blocking { kind message }
      waves {
        index name selector size failed failureLimit concurrencyLimit soakSeconds requireApproval startedAt
        healthyAt approvedBy blocking { kind message }
        counts { pending assigned applying progressing healthy degraded failed timedOut skipped }
      }
      clusters { name wave phase assignedAt reportedAt failing { id reason message } blocking { kind message } }
    }
  }`,
  ClusterPage: `query ClusterPage($selector: String, $first: Int) {
    clusters(selector: $selector, first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name labels status cordoned agentVersion lastHeartbeatAt } }
    }
  }`,
  RolloutList: `query RolloutList($first: Int) {
    rollouts(first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ${ROLLOUT_SUMMARY} } }
    }
  }`,
  // The floor: authentication, GraphQL and HTTP with next to nothing resolved (no statement but the token's).
  Viewer: `query Viewer { viewer { name boundProject } }`,
  ApplicationList: `query ApplicationList {
    applications(first: 20) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        name repoUrl ref path syncPolicy latestCommit lastSyncedAt lastSyncError
        latestRevision { commit author message committedAt }
        rollouts(first: 5) { totalCount edges { node { id state commit createdAt revision { author message } } } }
      } }
    }
  }`,
} as const;

export type QueryName = keyof typeof QUERIES;

/** Each query's variables for a seeded fleet. */
export function queryVariables(rolloutId: string): Record<QueryName, Record<string, unknown>> {
  return {
    RolloutDetail: { id: rolloutId },
    ClusterPage: { selector: 'env in (prod,staging)', first: 100 },
    RolloutList: { first: 20 },
    ApplicationList: {},
    Viewer: {},
  };
}

/** Sum and count of the hub's statements-per-request histogram for one operation, from /metrics text. */
export function statementsOf(metrics: string, operation: string): { sum: number; count: number } {
  const read = (suffix: string) => {
    const line = metrics
      .split('\n')
      .find((l) => l.startsWith(`fleetwave_hub_graphql_sql_statements_${suffix}{operation="${operation}"}`));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return { sum: read('sum'), count: read('count') };
}

/** `concurrency` clients, each sending its next request when the last is answered, for `seconds`. */
async function closedLoop(seconds: number, concurrency: number, request: () => Promise<unknown>) {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        await request();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { requests: latencies.length, perSecond: latencies.length / elapsed, p50: pct(50), p99: pct(99) };
}

/**
 * Open loop: a request every 1/`rate` s whether or not earlier ones were answered (as dashboards
 * polling on a timer do), for `seconds`. Latency counts from when a request was due, so a hub that
 * falls behind shows it (no coordinated omission).
 */
async function openLoop(seconds: number, rate: number, request: () => Promise<unknown>) {
  const latencies: number[] = [];
  const started = performance.now();
  const total = Math.round(seconds * rate);
  const inFlight: Promise<void>[] = [];
  let failed = 0;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      request().then(
        () => void latencies.push(performance.now() - due),
        // A hub that falls far behind has requests time out: counted, not measured.
        () => void failed++,
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: pct(50),
    p99: pct(99),
    failed,
  };
}

/** CLOCK_MONOTONIC in µs, the clock of V8's CPU profiles (on Linux). */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

interface Hub {
  label: string;
  process: HubProcess;
}

/** The hub's response cache results so far (fleetwave_hub_graphql_response_cache_total). */
export function responseCacheOf(metrics: string): Record<'hit' | 'miss' | 'pass', number> {
  const count = (result: string) =>
    Number(
      metrics
        .split('\n')
        .find((line) => line.startsWith(`fleetwave_hub_graphql_response_cache_total{result="${result}"}`))
        ?.split(' ')
        .at(-1) ?? 0,
    );
  return { hit: count('hit'), miss: count('miss'), pass: count('pass') };
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      clusters: { type: 'string', default: '10000' },
      'rollout-clusters': { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '8' },
      only: { type: 'string' },
      // Another build's main.js (e.g. a "before" tree): each query runs on it, then on this build, in turn.
      before: { type: 'string' },
      // The build measured (and profiled): this tree's unless given.
      main: { type: 'string' },
      rounds: { type: 'string', default: '1' },
      // false: the measured hubs do not count statements per request (as production runs: counting
      // takes async hooks on every promise), so statements/request is not reported.
      statements: { type: 'string', default: 'true' },
      // Requests per second, open loop (e.g. 50, the dashboards' polling): p50/p99 at that rate
      // instead of the closed loop's throughput.
      rate: { type: 'string' },
      // A directory for the measured hub's V8 CPU profile (hub.cpuprofile, written when it stops) and
      // each query's window of it (<query>.window.json): bench/cpuprofile-top.ts reads them.
      'cpu-prof': { type: 'string' },
      // Milliseconds: during the load, the big rollout's row is touched (updated_at, as another
      // replica's pass would) this often, so every kept answer or detail is computed afresh after it.
      'touch-every': { type: 'string' },
    },
  });
  const seconds = Number(args.seconds);
  const concurrency = Number(args.concurrency);
  const names = (args.only?.split(',') ?? Object.keys(QUERIES)) as QueryName[];
  const adminToken = `bench-admin-${'x'.repeat(32)}`;
  const profileDir = args['cpu-prof'] === undefined ? undefined : path.resolve(args['cpu-prof']);

  const [postgres, kafka] = await Promise.all([startPostgres(), startKafka({ log: () => undefined })]);
  const databaseUrl = await createDatabase(postgres.adminUrl, 'bench_graphql');
  const startHub = async (label: string, main?: string, nodeArgs?: string[]): Promise<Hub> => {
    const hub = await startHubProcess({
      databaseUrl,
      brokers: kafka.brokers,
      logFile: path.join(cacheDir(), `bench-graphql-hub-${label}-${Date.now()}.log`),
      // No periodic engine pass, and no seeded cluster turns Unknown or Offline for want of heartbeats
      // (that change sets off passes and catch-up sweeps over the fleet): the seeded rollout stays as
      // seeded between runs, and the hub's CPU is the reads' own.
      env: {
        HUB_BOOTSTRAP_ADMIN_TOKEN: adminToken,
        HUB_ROLLOUT_PASS_INTERVAL_SECONDS: '3600',
        HUB_HEARTBEAT_INTERVAL_SECONDS: '3600',
        HUB_OFFLINE_AFTER_SECONDS: '86400',
        // Statements per request are counted only when asked for (they cost async hooks process-wide).
        HUB_SQL_STATEMENTS_PER_REQUEST: args.statements,
      },
      ...(main === undefined ? {} : { main: path.resolve(main) }),
      ...(nodeArgs === undefined ? {} : { nodeArgs }),
    });
    await hub.ready();
    return { label, process: hub };
  };
  const hubs: Hub[] = [];
  if (args.before !== undefined) hubs.push(await startHub('before', args.before));
  // Profiled, the measured hub starts before seeding too: it never sweeps the whole seeded fleet at
  // start-up, and each query's window of its one profile holds that query's work.
  const profile =
    profileDir === undefined
      ? undefined
      : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-name=hub.cpuprofile'];
  hubs.push(await startHub('after', args.main, profile));
  const db = new pg.Client({ connectionString: databaseUrl });
  try {
    await db.connect();
    const seedStart = performance.now();
    const { rolloutId } = await seedFleet(db, {
      clusters: Number(args.clusters),
      rolloutClusters: Number(args['rollout-clusters']),
      rollouts: 25,
      smallRolloutClusters: 100,
      applications: 10,
    });
    await db.query('ANALYZE');
    console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const variables = queryVariables(rolloutId);
    let token: string | undefined;

    const measure = async (hub: Hub, name: QueryName) => {
      // An API token, as dashboards and tooling use: its lookup is one statement of every request.
      token ??= (
        await graphqlClient(
          hub.process.url,
          adminToken,
        )<{ createApiToken: { secret: string } }>(
          `mutation { createApiToken(name: "bench-viewer", role: viewer) { secret } }`,
        )
      ).createApiToken.secret;
      const metrics = async () => (await fetch(`${hub.process.url}/metrics`)).text();
      const viewer = graphqlClient(hub.process.url, token);
      const send = () => viewer(QUERIES[name], variables[name]);
      for (let i = 0; i < 5; i++) await send(); // warm-up: JIT, plans, pool connections
      const before = statementsOf(await metrics(), name);
      const cachedBefore = responseCacheOf(await metrics());
      const cpuBefore = hub.process.usage().cpuSeconds;
      const from = monotonicMicros();
      const touching =
        args['touch-every'] === undefined
          ? undefined
          : setInterval(() => {
              void db.query(`UPDATE rollout SET updated_at = now() WHERE id = $1`, [rolloutId]);
            }, Number(args['touch-every']));
      const load = await (
        args.rate === undefined
          ? closedLoop(seconds, concurrency, send)
          : openLoop(seconds, Number(args.rate), send)
      ).finally(() => clearInterval(touching));
      if (profileDir !== undefined && hub.label === 'after') {
        // The load's window on the profile's clock (CLOCK_MONOTONIC, µs): start-up is left out.
        const window = { from, to: monotonicMicros() };
        writeFileSync(path.join(profileDir, `${name}.window.json`), JSON.stringify(window));
      }
      const after = statementsOf(await metrics(), name);
      const cachedAfter = responseCacheOf(await metrics());
      return {
        hub: hub.label,
        query: name,
        requests: load.requests,
        requestsPerSecond: Math.round(load.perSecond),
        p50ms: Math.round(load.p50),
        p99ms: Math.round(load.p99),
        ...('failed' in load ? { failed: load.failed } : {}),
        sqlStatementsPerRequest:
          after.count > before.count ? (after.sum - before.sum) / (after.count - before.count) : null,
        hubCpuMsPerRequest: +(((hub.process.usage().cpuSeconds - cpuBefore) / load.requests) * 1000).toFixed(
          2,
        ),
        // Answers served from memory / computed and kept (graphql/response-caching.ts; 0 on a build without it).
        cacheHits: cachedAfter.hit - cachedBefore.hit,
        cacheMisses: cachedAfter.miss - cachedBefore.miss,
      };
    };

    const results = [];
    for (let round = 1; round <= Number(args.rounds); round++) {
      for (const name of names) {
        for (const hub of hubs) {
          results.push({ round, ...(await measure(hub, name)) });
          console.log(JSON.stringify(results.at(-1)));
        }
      }
    }
    console.table(results);
  } finally {
    await db.end().catch(() => undefined);
    for (const hub of hubs) await hub.process.stop();
    await kafka.stop();
    await postgres.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
