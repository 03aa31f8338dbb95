import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  type BundleStatus,
  type DeadLetter,
  encodeSignedReport,
  encodeSignedReportV1,
  generateSigningKey,
  type Report,
} from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import pg from 'pg';
import { MetricsService } from '../../services/hub/src/metrics/metrics.service.js';
import { type ClusterSignal, ClusterSignals } from '../../services/hub/src/reports/cluster-signals.js';
import { HeartbeatSweeperService } from '../../services/hub/src/reports/heartbeat-sweeper.service.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { registerSimAgent } from './support/sim-agents.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';
import { type DeadLetterReader, readDeadLetters } from './support/dead-letters.js';

/** One bundle's status as an agent reports it (2 objects, 1 or 2 ready). */
function bundleStatus(
  application: string,
  phase: 'Progressing' | 'Healthy',
  observedAt: string,
): BundleStatus {
  return {
    application,
    digest: `sha256:${'c'.repeat(64)}`,
    commit: 'd'.repeat(40),
    phase,
    ready: phase === 'Healthy' ? 2 : 1,
    total: 2,
    failing: [],
    driftCorrections: 0,
    observedAt,
  };
}

describe('report ingestion through real Kafka into real PostgreSQL', () => {
  let hub: TestHub;
  let producer: Producer;
  let dlq: DeadLetterReader;
  let db: pg.Client;
  let deadLetters: DeadLetter[] = [];

  beforeAll(async () => {
    const config = await testHubConfig();
    config.reports.maxBytes = 8 * 1024;
    hub = await startTestHub(config);
    producer = await connectReportProducer(kafkaBrokers(), 'fleetwave-it-agents');
    db = new pg.Client({ connectionString: config.database.url });
    await db.connect();
    // The hub creates its topics at start-up: the reader waits for them, so producing may start after it.
    dlq = await readDeadLetters(config);
    deadLetters = dlq.letters;
  });
  afterAll(async () => {
    await dlq.stop();
    await producer.disconnect();
    await db.end();
    await hub.close();
  });

  async function ingested(metrics: MetricsService): Promise<number> {
    return (await metrics.reportsIngested.get()).values[0]?.value ?? 0;
  }

  async function clusterRow(id: string) {
    const { rows } = await db.query(
      `SELECT status, last_seq::int AS last_seq, last_heartbeat_at, facts, agent_version FROM cluster WHERE id = $1`,
      [id],
    );
    return rows[0] as {
      status: string;
      last_seq: number;
      last_heartbeat_at: Date | null;
      facts: object;
      agent_version: string;
    };
  }

  it('a valid heartbeat updates the cluster: status, facts, last heartbeat and sequence', async () => {
    const agent = await registerSimAgent(hub, producer);

    await agent.send(
      agent.heartbeat({ facts: { kubernetesVersion: 'v1.33.5', nodeCount: 3 } } as Partial<Report>),
    );

    const row = await waitFor(
      async () => {
        const r = await clusterRow(agent.clusterId);
        return r.last_seq === 0 && r;
      },
      { description: 'the heartbeat to be visible', timeoutMs: 20_000 },
    );
    expect(row.status).toBe('Ready');
    expect(row.facts).toEqual({ kubernetesVersion: 'v1.33.5', nodeCount: 3 });
    expect(row.last_heartbeat_at).toBeInstanceOf(Date);
    const { rows } = await db.query(
      `SELECT action, after FROM event WHERE target_id = $1 AND action = 'cluster.statusChanged'`,
      [agent.clusterId],
    );
    expect(rows).toEqual([{ action: 'cluster.statusChanged', after: { status: 'Ready' } }]);
  });

  it("reported facts become fleetwave.io/ labels, audited as the cluster's label changes; operator labels stay", async () => {
    const agent = await registerSimAgent(hub, producer, { env: 'prod' });
    const labels = async () =>
      (await db.query(`SELECT labels, last_seq::int AS seq FROM cluster WHERE id = $1`, [agent.clusterId]))
        .rows[0] as { labels: Record<string, string>; seq: number };
    const sendAndWait = async (overrides: Partial<Report>) => {
      const report = agent.heartbeat(overrides);
      await agent.send(report);
      return waitFor(
        async () => {
          const row = await labels();
          return row.seq === report.seq && row.labels;
        },
        { description: `report ${report.seq} to be ingested`, timeoutMs: 20_000 },
      );
    };
    const grown = { provider: 'aws', nodeCount: 4, kubernetesVersion: 'v1.34.2' };

    const first = await sendAndWait({
      facts: { provider: 'aws', region: 'eu-west-1', nodeCount: 3, kubernetesVersion: 'v1.34.2' },
    });
    const second = await sendAndWait({ facts: grown });
    const withoutFacts = await sendAndWait({});
    const sameFacts = await sendAndWait({ facts: grown });

    expect(first).toEqual({
      env: 'prod',
      'fleetwave.io/provider': 'aws',
      'fleetwave.io/region': 'eu-west-1',
      'fleetwave.io/node-count': '3',
      'fleetwave.io/kubernetes-version': '1.34',
    });
    // Facts no longer reported (the region) lose their label.
    const expected = {
      env: 'prod',
      'fleetwave.io/provider': 'aws',
      'fleetwave.io/node-count': '4',
      'fleetwave.io/kubernetes-version': '1.34',
    };
    expect(second).toEqual(expected);
    expect(withoutFacts).toEqual(expected);
    expect(sameFacts).toEqual(expected);
    const { rows } = await db.query(
      `SELECT actor, before, after FROM event WHERE target_id = $1 AND action = 'cluster.labelsChanged' ORDER BY id`,
      [agent.clusterId],
    );
    const name = (rows[0] as { after: { name: string } } | undefined)?.after.name;
    expect(rows).toEqual([
      {
        actor: `cluster:${agent.clusterId}`,
        before: { name, labels: { env: 'prod' } },
        after: { name, labels: first },
      },
      {
        actor: `cluster:${agent.clusterId}`,
        before: { name, labels: first },
        after: { name, labels: expected },
      },
    ]);
  });

  it('a status report records per-bundle status, and the next one replaces the set', async () => {
    const agent = await registerSimAgent(hub, producer);
    const bundle = (application: string, phase: 'Progressing' | 'Healthy') =>
      bundleStatus(application, phase, new Date().toISOString());
    const status = (bundles: BundleStatus[]) =>
      agent.heartbeat({ kind: 'status', bundles } as Partial<Report>);

    await agent.send(status([bundle('web', 'Progressing'), bundle('api', 'Progressing')]));
    await agent.send(status([bundle('web', 'Healthy')]));

    const rows = await waitFor(
      async () => {
        const { rows } = await db.query(
          `SELECT application, phase, ready FROM cluster_bundle_status WHERE cluster_id = $1`,
          [agent.clusterId],
        );
        return rows.length === 1 && rows[0].phase === 'Healthy' && rows;
      },
      { description: 'the newest bundle set', timeoutMs: 20_000 },
    );
    expect(rows).toEqual([{ application: 'web', phase: 'Healthy', ready: 2 }]);
  });

  it('an unchanged status report writes no bundle row and signals nothing; a changed bundle is written and signalled alone', async () => {
    const agent = await registerSimAgent(hub, producer);
    const metrics = hub.app.get(MetricsService);
    const signals: ClusterSignal[] = [];
    const unsubscribe = hub.app.get(ClusterSignals).subscribe((signal) => {
      const ours = {
        clusterIds: signal.clusterIds.filter((id) => id === agent.clusterId),
        placements: signal.placements.filter((p) => p.clusterId === agent.clusterId),
      };
      if (ours.clusterIds.length > 0 || ours.placements.length > 0) signals.push(ours);
    });
    const observedAt = new Date().toISOString();
    const bundle = (application: string, phase: 'Progressing' | 'Healthy') => ({
      ...bundleStatus(application, phase, observedAt),
      failing: phase === 'Healthy' ? [] : [{ id: 'web_apps_Deployment', reason: 'Rolling', message: '1/2' }],
    });
    // Each report ingested whole: its transaction committed, its signal emitted, then counted.
    const sendAndWait = async (bundles: BundleStatus[]) => {
      const before = await ingested(metrics);
      await agent.send(agent.heartbeat({ kind: 'status', bundles } as Partial<Report>));
      await waitFor(
        async () =>
          (await ingested(metrics)) > before &&
          (await clusterRow(agent.clusterId)).last_seq === agent.lastSeq,
        {
          description: `report ${agent.lastSeq} ingested`,
          timeoutMs: 20_000,
        },
      );
    };
    // xmin is the transaction that last wrote the row: any write changes it.
    const rowVersions = async () => {
      const { rows } = await db.query<{ application: string; xmin: string }>(
        `SELECT application, xmin::text FROM cluster_bundle_status WHERE cluster_id = $1 ORDER BY application`,
        [agent.clusterId],
      );
      return Object.fromEntries(rows.map((r) => [r.application, r.xmin]));
    };
    try {
      await sendAndWait([bundle('web', 'Progressing'), bundle('api', 'Healthy')]);
      const first = await rowVersions();
      expect(Object.keys(first)).toEqual(['api', 'web']);
      expect(signals).toEqual([
        {
          // Pending → Ready, and both applications are new.
          clusterIds: [agent.clusterId],
          placements: [
            { clusterId: agent.clusterId, application: 'web' },
            { clusterId: agent.clusterId, application: 'api' },
          ],
        },
      ]);

      await sendAndWait([bundle('web', 'Progressing'), bundle('api', 'Healthy')]);
      expect(await rowVersions()).toEqual(first);
      expect(signals).toHaveLength(1);

      await sendAndWait([bundle('web', 'Healthy'), bundle('api', 'Healthy')]);
      const third = await rowVersions();
      expect(third['api']).toBe(first['api']);
      expect(third['web']).not.toBe(first['web']);
      expect(signals.slice(1)).toEqual([
        { clusterIds: [], placements: [{ clusterId: agent.clusterId, application: 'web' }] },
      ]);
    } finally {
      unsubscribe();
    }
  });

  it('statuses sent again byte for byte are recognised (counted, not written); new bytes are compared and written; a set another replica moved is compared again; forgeries and replays still refused', async () => {
    const agent = await registerSimAgent(hub, producer);
    const metrics = hub.app.get(MetricsService);
    const recognised = async () => (await metrics.bundleStatusesRecognised.get()).values[0]?.value ?? 0;
    const observedAt = new Date().toISOString();
    const web = (ready: number): BundleStatus => ({ ...bundleStatus('web', 'Healthy', observedAt), ready });
    const api = bundleStatus('api', 'Healthy', observedAt);
    const db1 = bundleStatus('db', 'Progressing', observedAt);
    const waitSeq = (seq: number) =>
      waitFor(async () => (await clusterRow(agent.clusterId)).last_seq === seq, {
        description: `report ${seq} ingested`,
        timeoutMs: 20_000,
      });
    const send = async (bundles: BundleStatus[], overrides: Partial<Report> = {}) => {
      const report = agent.heartbeat({ kind: 'status', bundles, ...overrides } as Partial<Report>);
      await agent.send(report);
      await waitSeq(report.seq);
    };
    const rows = async () => {
      const { rows } = await db.query<{ application: string; xmin: string; ready: number; phase: string }>(
        `SELECT application, xmin::text, ready, phase FROM cluster_bundle_status WHERE cluster_id = $1 ORDER BY application`,
        [agent.clusterId],
      );
      return Object.fromEntries(rows.map((r) => [r.application, r]));
    };

    await send([web(1), api, db1]);
    const first = await rows();
    expect(Object.keys(first)).toEqual(['api', 'db', 'web']);

    // The same three statuses again (a new report around them): all recognised, no row written.
    const before = await recognised();
    await send([web(1), api, db1]);
    expect((await recognised()) - before).toBe(3);
    expect(await rows()).toEqual(first);

    // One status with one field moved (so other bytes; an agent cannot claim it unchanged: the hub
    // fingerprints what it received), one application gone: that one written, the other deleted.
    await send([web(2), api]);
    expect((await recognised()) - before).toBe(4);
    const third = await rows();
    expect(Object.keys(third)).toEqual(['api', 'web']);
    expect(third['web']).toMatchObject({ ready: 2 });
    expect(third['web']?.xmin).not.toBe(first['web']?.xmin);
    expect(third['api']?.xmin).toBe(first['api']?.xmin);

    // Another replica ingested a report of this cluster (its row lock, last_seq moved, a status
    // changed): this replica's known set is no longer used, the same bytes are compared again and
    // what they say is stored — nothing lost.
    const { rows: moved } = await db.query<{ seq: number }>(
      `UPDATE cluster SET last_seq = last_seq + 10 WHERE id = $1 RETURNING last_seq::int AS seq`,
      [agent.clusterId],
    );
    await db.query(
      `UPDATE cluster_bundle_status SET phase = 'Degraded' WHERE cluster_id = $1 AND application = 'api'`,
      [agent.clusterId],
    );
    const next = moved[0]!.seq + 1;
    await send([web(2), api], { seq: next });
    expect((await recognised()) - before).toBe(4);
    expect(await rows()).toMatchObject({ api: { phase: 'Healthy' }, web: { ready: 2 } });

    // With the set known again: a forged report (another key) and a replay of known bytes change nothing.
    const known = await rows();
    const lettersBefore = deadLetters.length;
    const forged = agent.heartbeat({
      kind: 'status',
      bundles: [web(3), api],
      seq: next + 1,
    } as Partial<Report>);
    await agent.send(forged, generateSigningKey());
    await agent.send(
      agent.heartbeat({ kind: 'status', bundles: [web(1), api], seq: next } as Partial<Report>),
    );
    const letters = await waitFor(
      () => deadLetters.length >= lettersBefore + 2 && deadLetters.slice(lettersBefore),
      { description: 'the forgery and the replay dead-lettered', timeoutMs: 20_000 },
    );
    expect(letters.map((l) => l.reason).sort()).toEqual(['bad-signature', 'replayed-sequence']);
    expect(await rows()).toEqual(known);
    expect((await clusterRow(agent.clusterId)).last_seq).toBe(next);
  });

  it('sends every bad message to the DLQ with its reason and changes nothing', async () => {
    const agent = await registerSimAgent(hub, producer);
    await agent.send(agent.heartbeat()); // seq 0
    await waitFor(async () => (await clusterRow(agent.clusterId)).last_seq === 0, {
      description: 'the first heartbeat',
      timeoutMs: 20_000,
    });
    const before = await clusterRow(agent.clusterId);
    const ghost = randomUUID();

    const forged = agent.heartbeat({ clusterStatus: 'NotReady' });
    await agent.send(forged, generateSigningKey());
    await agent.send({ ...agent.heartbeat(), seq: 0, clusterStatus: 'NotReady' } as Report); // replayed
    await agent.send({ ...agent.heartbeat(), clusterId: ghost } as Report, generateSigningKey()); // unknown cluster
    await agent.sendRaw('{"v":1,"report":', agent.clusterId); // malformed JSON
    await agent.sendRaw(Buffer.alloc(9 * 1024, 0x20), agent.clusterId); // oversized (limit 8 KiB here)
    await agent.sendRaw(JSON.stringify({ v: 1, report: { kind: 'heartbeat' }, sig: 'x' }), agent.clusterId); // schema

    const mine = await waitFor(
      () => {
        const letters = deadLetters.filter((d) => d.source.key === agent.clusterId || d.source.key === ghost);
        return letters.length >= 6 && letters;
      },
      { description: 'six dead letters', timeoutMs: 20_000 },
    );
    expect(mine.map((d) => d.reason).sort()).toEqual(
      [
        'bad-signature',
        'invalid-schema',
        'malformed-json',
        'oversized',
        'replayed-sequence',
        'unknown-cluster',
      ].sort(),
    );
    expect(mine.every((d) => d.source.topic === agent.identity.reportsTopic)).toBe(true);
    // Nothing changed: still Ready at seq 0, despite two NotReady attempts.
    expect(await clusterRow(agent.clusterId)).toEqual(before);
    const metrics = await hub.request('GET', '/metrics');
    expect(String(metrics.body)).toMatch(/fleetwave_reports_rejected_total\{reason="bad-signature"\} [1-9]/);
  });

  it("takes both signed forms (v2 over the report's bytes, v1 over its canonical JSON from older agents); refuses either forged or replayed", async () => {
    const agent = await registerSimAgent(hub, producer);
    const key = agent.identity.signingKey;
    const seqVisible = (seq: number) =>
      waitFor(async () => (await clusterRow(agent.clusterId)).last_seq === seq, {
        description: `report ${seq} ingested`,
        timeoutMs: 20_000,
      });
    await agent.send(agent.heartbeat()); // seq 0, v2
    await seqVisible(0);
    await agent.sendRaw(encodeSignedReportV1(agent.heartbeat({ clusterStatus: 'NotReady' }), key)); // seq 1, v1
    await seqVisible(1);
    expect((await clusterRow(agent.clusterId)).status).toBe('NotReady');

    await agent.sendRaw(encodeSignedReportV1({ ...agent.heartbeat(), seq: 1 } as Report, key)); // v1 replayed
    await agent.sendRaw(encodeSignedReportV1(agent.heartbeat(), generateSigningKey())); // v1 forged (seq 3)
    const altered = encodeSignedReport(agent.heartbeat(), key)
      .toString('utf8')
      .replace('"Ready"', '"NotReady"');
    await agent.sendRaw(altered); // v2 altered after signing (seq 4)
    await agent.sendRaw(encodeSignedReport({ ...agent.heartbeat(), seq: 1 } as Report, key)); // v2 replayed
    const letters = await waitFor(
      () => {
        const mine = deadLetters.filter((d) => d.source.key === agent.clusterId);
        return mine.length >= 4 && mine;
      },
      { description: 'four dead letters', timeoutMs: 20_000 },
    );
    expect(letters.map((d) => d.reason)).toEqual([
      'replayed-sequence',
      'bad-signature',
      'bad-signature',
      'replayed-sequence',
    ]);
    expect((await clusterRow(agent.clusterId)).last_seq).toBe(1);
    await agent.send(agent.heartbeat()); // seq 6, v2
    await seqVisible(6);
  });

  it('a hub restart mid-stream loses nothing and applies nothing twice', async () => {
    const agents = await Promise.all(Array.from({ length: 5 }, () => registerSimAgent(hub, producer)));
    const perAgent = 40;
    const sendAll = (from: number, to: number) =>
      Promise.all(
        agents.map(async (a) => {
          for (let i = from; i < to; i++)
            await a.send(a.heartbeat({ clusterStatus: i % 2 ? 'NotReady' : 'Ready' }));
        }),
      );

    const firstHubMetrics = hub.app.get(MetricsService);
    const acceptedBefore = await ingested(firstHubMetrics);
    await sendAll(0, perAgent / 2);
    await hub.close(); // stop the consumer while reports keep coming
    const sending = sendAll(perAgent / 2, perAgent);
    hub = await startTestHub(hub.config); // a new hub process on the same database and group
    await sending;

    for (const agent of agents) {
      const row = await waitFor(
        async () => {
          const r = await clusterRow(agent.clusterId);
          return r.last_seq === perAgent - 1 && r;
        },
        { description: `cluster ${agent.clusterId} to reach seq ${perAgent - 1}`, timeoutMs: 30_000 },
      );
      expect(row.status).toBe('NotReady'); // the last report's status (odd index)
    }
    // Exactly once: the two hubs together accepted each report once; a redelivered one (a batch in
    // flight at the restart) is rejected as a replay, never applied again.
    const accepted =
      (await ingested(firstHubMetrics)) - acceptedBefore + (await ingested(hub.app.get(MetricsService)));
    expect(accepted).toBe(agents.length * perAgent);
    const rejected = deadLetters.filter((d) => agents.some((a) => a.clusterId === d.source.key));
    expect(rejected.every((d) => d.reason === 'replayed-sequence')).toBe(true);
  });

  it('the sweeper marks a silent cluster Unknown after missed heartbeats, then Offline, by the hub clock', async () => {
    const agent = await registerSimAgent(hub, producer);
    await agent.send(agent.heartbeat());
    const seen = await waitFor(
      async () => {
        const r = await clusterRow(agent.clusterId);
        return r.status === 'Ready' && r.last_heartbeat_at !== null && r.last_heartbeat_at;
      },
      { description: 'the heartbeat', timeoutMs: 20_000 },
    );
    const sweeper = hub.app.get(HeartbeatSweeperService);
    const at = (seconds: number) => new Date(seen.getTime() + seconds * 1000);
    const statusAfterSweep = async (seconds: number) => {
      await sweeper.sweep(at(seconds));
      return (await clusterRow(agent.clusterId)).status;
    };

    // Defaults in the test config: 30 s heartbeats, Unknown after 3 missed, Offline after 600 s.
    expect(await statusAfterSweep(60)).toBe('Ready');
    expect(await statusAfterSweep(91)).toBe('Unknown');
    expect(await statusAfterSweep(300)).toBe('Unknown');
    expect(await statusAfterSweep(601)).toBe('Offline');
    const { rows } = await db.query(
      `SELECT actor, before, after FROM event WHERE target_id = $1 AND action = 'cluster.statusChanged' ORDER BY id`,
      [agent.clusterId],
    );
    expect(rows.slice(1)).toEqual([
      { actor: 'hub:heartbeat-sweeper', before: { status: 'Ready' }, after: { status: 'Unknown' } },
      { actor: 'hub:heartbeat-sweeper', before: { status: 'Unknown' }, after: { status: 'Offline' } },
    ]);

    // Its next heartbeat brings it back: visible at once, audited as the cluster's own change.
    const back = agent.heartbeat();
    await agent.send(back);
    await waitFor(async () => (await clusterRow(agent.clusterId)).last_seq === back.seq, {
      description: 'the heartbeat after Offline',
      timeoutMs: 20_000,
    });
    expect((await clusterRow(agent.clusterId)).status).toBe('Ready');
    const { rows: latest } = await db.query(
      `SELECT actor, before, after FROM event WHERE target_id = $1 AND action = 'cluster.statusChanged' ORDER BY id DESC LIMIT 1`,
      [agent.clusterId],
    );
    expect(latest).toEqual([
      { actor: `cluster:${agent.clusterId}`, before: { status: 'Offline' }, after: { status: 'Ready' } },
    ]);
  });

  it("keeps each cluster's maintenance from its newest report, per cluster, and clears it on the next without", async () => {
    const [inMaintenance, other] = [
      await registerSimAgent(hub, producer),
      await registerSimAgent(hub, producer),
    ];
    const maintenance = async (id: string) =>
      (
        await db.query<{ reason: string | null; since: Date | null; last_seq: number }>(
          `SELECT maintenance_reason AS reason, maintenance_since AS since, last_seq::int AS last_seq
             FROM cluster WHERE id = $1`,
          [id],
        )
      ).rows[0]!;
    const upgrade = { reason: 'node pool upgrade', since: '2026-11-22T01:00:00.000Z' };
    inMaintenance.maintenance = upgrade;
    await inMaintenance.send(inMaintenance.heartbeat());
    await other.send(other.heartbeat());
    for (const agent of [inMaintenance, other]) {
      await waitFor(async () => (await maintenance(agent.clusterId)).last_seq === 0, {
        description: `the heartbeat of ${agent.name}`,
        timeoutMs: 20_000,
      });
    }
    expect(await maintenance(inMaintenance.clusterId)).toEqual({
      reason: upgrade.reason,
      since: new Date(upgrade.since),
      last_seq: 0,
    });
    expect(await maintenance(other.clusterId)).toEqual({ reason: null, since: null, last_seq: 0 });

    // Still in maintenance at seq 1, over at seq 2: the newest report decides.
    await inMaintenance.send(inMaintenance.heartbeat());
    inMaintenance.maintenance = null;
    await inMaintenance.send(inMaintenance.heartbeat());
    await waitFor(async () => (await maintenance(inMaintenance.clusterId)).last_seq === 2, {
      description: 'the heartbeat without maintenance',
      timeoutMs: 20_000,
    });
    expect(await maintenance(inMaintenance.clusterId)).toEqual({ reason: null, since: null, last_seq: 2 });
    const { rows } = await db.query(
      `SELECT after FROM event WHERE target_id = $1 AND action = 'cluster.maintenanceChanged' ORDER BY id`,
      [inMaintenance.clusterId],
    );
    expect(rows).toEqual([{ after: { maintenance: upgrade } }, { after: { maintenance: null } }]);
  });
});
