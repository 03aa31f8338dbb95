// Report ingestion through real Kafka into real Postgres: sustained reports/s, and produce→visible
// latency at a fixed rate. The hub runs as its own process (the built services/hub/dist/main.js).
//
// Usage: npx tsx bench/report-ingestion.ts --clusters 1000 --rate 1000 --seconds 30 --burst 200000 [--flip-status] [--drain]
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encodeSignedReport, generateSigningKey, type Report } from '@fleetwave/contracts';
import pg from 'pg';
import { startKafka } from '../test/harness/kafka.js';
import { startHubProcess } from '../test/harness/hub-process.js';
import { cacheDir } from '../test/harness/paths.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';
import { connectReportProducer } from '../test/harness/report-sinks.js';
import { waitFor } from '../test/harness/wait-for.js';

const { values: args } = parseArgs({
  options: {
    clusters: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '30' },
    burst: { type: 'string', default: '200000' },
    partitions: { type: 'string', default: '6' },
    // Every report changes the cluster status (worst case: an audit event per report).
    'flip-status': { type: 'boolean', default: false },
    drain: { type: 'boolean', default: false },
  },
});
const N = Number(args.clusters);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const BURST = Number(args.burst);

const postgres = await startPostgres();
const kafka = await startKafka({ log: () => undefined });
const databaseUrl = await createDatabase(postgres.adminUrl, 'bench');
const hub = await startHubProcess({
  databaseUrl,
  brokers: kafka.brokers,
  logFile: path.join(cacheDir(), `bench-hub-${Date.now()}.log`),
  env: { HUB_REPORTS_PARTITIONS: args.partitions },
});
const db = new pg.Client({ connectionString: databaseUrl });
try {
  await hub.ready();
  await db.connect();

  // Clusters are inserted directly: this measures ingestion, not registration.
  const clusters = Array.from({ length: N }, (_, i) => ({
    id: randomUUID(),
    key: generateSigningKey(),
    name: `bench-${i}`,
  }));
  for (let i = 0; i < N; i += 1000) {
    const chunk = clusters.slice(i, i + 1000);
    await db.query(
      `INSERT INTO cluster (id, name, kube_system_uid, signing_key) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [chunk.map((c) => c.id), chunk.map((c) => c.name), chunk.map((c) => c.id), chunk.map((c) => c.key)],
    );
  }
  const seq = new Map(clusters.map((c) => [c.id, -1]));
  const topic = 'fleetwave.reports.v1';
  const producer = await connectReportProducer(kafka.brokers, 'bench');
  const report = (c: (typeof clusters)[number]): { key: string; value: Buffer } => {
    const next = seq.get(c.id)! + 1;
    seq.set(c.id, next);
    const r: Report = {
      schemaVersion: 1,
      kind: 'heartbeat',
      clusterId: c.id,
      seq: next,
      sentAt: new Date().toISOString(),
      agentVersion: 'bench',
      clusterStatus: args['flip-status'] && next % 2 ? 'NotReady' : 'Ready',
    };
    return { key: c.id, value: encodeSignedReport(r, c.key) };
  };
  const allVisible = async () => {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cluster c JOIN unnest($1::uuid[], $2::bigint[]) AS w(id, seq) ON c.id = w.id WHERE c.last_seq < w.seq`,
      [clusters.map((c) => c.id), clusters.map((c) => seq.get(c.id))],
    );
    return rows[0]!.n === 0;
  };

  // 1. Latency at a fixed rate: every 100 ms send RATE/10 reports, then poll which are visible.
  const sentAt = new Map<string, number>(); // `${id}:${seq}` → ms
  const latencies: number[] = [];
  const tickReports = Math.max(1, Math.round(RATE / 10));
  let cursor = 0;
  const until = Date.now() + SECONDS * 1000;
  const pollVisible = async () => {
    const { rows } = await db.query<{ id: string; last_seq: string }>(`SELECT id, last_seq FROM cluster`);
    const now = performance.now();
    for (const row of rows) {
      for (let s = Number(row.last_seq); s >= 0; s--) {
        const k = `${row.id}:${s}`;
        const t = sentAt.get(k);
        if (t === undefined) break;
        latencies.push(now - t);
        sentAt.delete(k);
      }
    }
  };
  while (Date.now() < until) {
    const started = Date.now();
    const messages = [];
    for (let i = 0; i < tickReports; i++) {
      const c = clusters[cursor++ % N]!;
      const m = report(c);
      sentAt.set(`${c.id}:${seq.get(c.id)}`, performance.now());
      messages.push(m);
    }
    await producer.send({ topic, messages });
    await pollVisible();
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
  }
  await waitFor(async () => (await pollVisible(), sentAt.size === 0), {
    description: 'rate phase drained',
    timeoutMs: 60_000,
    intervalMs: 20,
  });
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

  // 2. Throughput: produce BURST reports as fast as possible, time until all are visible.
  //    With --drain the hub is frozen (SIGSTOP) while they are produced, so the figure is the hub's
  //    own ingestion rate from a backlog, not this process's producing rate.
  if (args.drain) hub.process.child.kill('SIGSTOP');
  let burstStart = performance.now();
  for (let i = 0; i < BURST; i += 5000) {
    const messages = [];
    for (let j = i; j < Math.min(BURST, i + 5000); j++) messages.push(report(clusters[j % N]!));
    await producer.send({ topic, messages });
  }
  let produced = performance.now();
  if (args.drain) {
    hub.process.child.kill('SIGCONT');
    burstStart = produced = performance.now();
  }
  await waitFor(allVisible, { description: 'burst visible', timeoutMs: 600_000, intervalMs: 50 });
  const drained = performance.now();
  const hubRss = Number(
    (await import('node:fs'))
      .readFileSync(`/proc/${hub.process.child.pid}/status`, 'utf8')
      .match(/VmRSS:\s+(\d+)/)?.[1] ?? 0,
  );
  await producer.disconnect();
  const { rows } = await db.query<{ size: string }>(
    `SELECT pg_size_pretty(pg_database_size(current_database())) AS size`,
  );

  console.log(
    JSON.stringify(
      {
        clusters: N,
        rate: {
          target: RATE,
          seconds: SECONDS,
          samples: latencies.length,
          p50ms: Math.round(pct(50)),
          p99ms: Math.round(pct(99)),
          maxms: Math.round(pct(100)),
        },
        burst: {
          reports: BURST,
          produceSeconds: +((produced - burstStart) / 1000).toFixed(1),
          visibleSeconds: +((drained - burstStart) / 1000).toFixed(1),
          reportsPerSecond: Math.round(BURST / ((drained - burstStart) / 1000)),
        },
        hubRssMiB: Math.round(hubRss / 1024),
        postgresSize: rows[0]!.size,
      },
      null,
      2,
    ),
  );
} finally {
  await db.end().catch(() => undefined);
  await hub.stop();
  await kafka.stop();
  await postgres.stop();
}
