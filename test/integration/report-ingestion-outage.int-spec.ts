import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Report } from '@fleetwave/contracts';
import { Partitioners, type Producer } from 'kafkajs';
import { MetricsService } from '../../services/hub/src/metrics/metrics.service.js';
import { hubTopics } from '../../services/hub/src/kafka/topic-names.js';
import { type SimAgent } from '../harness/sim-agent.js';
import pg from 'pg';
import { connectReportProducer } from '../harness/report-sinks.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { registerSimAgent } from './support/sim-agents.js';
import { startTestHub, type TestHub } from './support/hub.js';

describe('report ingestion while PostgreSQL is unreachable', () => {
  let hub: TestHub;
  let producer: Producer;
  let admin: pg.Client;
  let database: string;

  beforeAll(async () => {
    hub = await startTestHub();
    producer = await connectReportProducer(kafkaBrokers(), 'fleetwave-it-outage');
    const url = new URL(hub.config.database.url);
    database = url.pathname.slice(1);
    url.pathname = '/postgres';
    admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    await admin.end();
    await producer.disconnect();
    await hub.close();
  });

  const lastSeq = async (clusterId: string) => {
    const { rows } = await admin.query(`SELECT 1`); // keeps the admin connection honest
    void rows;
    const client = new pg.Client({ connectionString: hub.config.database.url });
    await client.connect();
    try {
      const r = await client.query(`SELECT last_seq::int AS s FROM cluster WHERE id = $1`, [clusterId]);
      return r.rows[0]?.s as number;
    } finally {
      await client.end();
    }
  };

  it('keeps reports in Kafka while the database refuses connections, and applies them all once it is back', async () => {
    const agent = await registerSimAgent(hub, producer);
    await agent.send(agent.heartbeat());
    await waitFor(async () => (await lastSeq(agent.clusterId)) === 0, {
      description: 'first heartbeat',
      timeoutMs: 20_000,
    });

    // Outage: no new connections, and the hub's pooled ones are cut.
    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [
      database,
    ]);
    for (let i = 0; i < 10; i++)
      await agent.send(agent.heartbeat({ clusterStatus: 'NotReady' } as Partial<Report>));
    // pg_terminate_backend only signals: wait until the hub itself sees the database gone.
    await waitFor(async () => (await hub.request('GET', '/readyz')).status === 503, {
      description: 'the hub to report not-ready',
      timeoutMs: 20_000,
    });

    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);

    await waitFor(async () => (await lastSeq(agent.clusterId)) === 10, {
      description: 'all ten reports applied after the outage',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect((await hub.request('GET', '/readyz')).status).toBe(200);
  });

  it('heartbeats on every partition, the database gone mid-batch: the partitions share transactions, nothing is lost', async () => {
    // One cluster per report partition (the key, the cluster id, picks it as the agents' producer does).
    const partitions = hub.config.reports.partitions;
    const partitionOf = Partitioners.DefaultPartitioner();
    const topic = hubTopics(hub.config).reports;
    const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }));
    const byPartition = new Map<number, SimAgent>();
    while (byPartition.size < partitions) {
      const agent = await registerSimAgent(hub, producer);
      const partition = partitionOf({
        topic,
        partitionMetadata,
        message: { key: agent.clusterId, value: null },
      });
      if (!byPartition.has(partition)) byPartition.set(partition, agent);
    }
    const agents = [...byPartition.values()];
    const allAt = (seq: number) => async () =>
      (await Promise.all(agents.map((a) => lastSeq(a.clusterId)))).every((s) => s === seq);
    await Promise.all(agents.map((a) => a.send(a.heartbeat())));
    await waitFor(allAt(0), { description: 'first heartbeats', timeoutMs: 20_000 });

    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [
      database,
    ]);
    for (let i = 0; i < 3; i++) await Promise.all(agents.map((a) => a.send(a.heartbeat())));
    await waitFor(async () => (await hub.request('GET', '/readyz')).status === 503, {
      description: 'the hub to report not-ready',
      timeoutMs: 20_000,
    });
    // Transactions that committed (a failed one is not counted).
    const metrics = hub.app.get(MetricsService);
    const committed = async () =>
      (await metrics.batchSeconds.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    const before = await committed();

    await admin.query(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    await waitFor(allAt(3), {
      description: 'the three heartbeats of every partition applied after the outage',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    // Redelivered after the failed attempts, the partitions' backlogs come in one fetch: one
    // transaction per partition would make this `partitions`.
    expect((await committed()) - before).toBeLessThan(partitions);
  });
});
