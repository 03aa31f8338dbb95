/**
 * The agent end to end: the built agent process against a real cluster (test/kube), a real Kafka
 * (test/harness) and a stand-in hub serving the agent API. Each test builds on the previous one's
 * cluster state, like an operator's day: apply, update, prune, drift, failure, outages, restart,
 * and finally leaving: an application left out of the assignments keeps running, a withdrawal
 * prunes (or orphans) it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BundleStatus } from '@fleetwave/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { startKafka, type KafkaServer } from '../harness/kafka.js';
import { freePort } from '../harness/net.js';
import { agentBin } from '../harness/paths.js';
import { type ManagedProcess, startManagedProcess } from '../harness/process.js';
import { waitFor } from '../harness/wait-for.js';
import { type Fleet, type FleetCluster, kubectl, randomSuffix, startFleet } from '../kube/fleet.js';
import { ReportReader } from './support/report-reader.js';
import { StandInHub } from './support/stand-in-hub.js';

const APP = 'shop';
const NS = `shop-${randomSuffix()}`;
/** A second application, withdrawn with `orphan`. */
const APP2 = 'orders';
const NS2 = `orders-${randomSuffix()}`;
/** A third, assigned next to APP to show that drift in APP re-applies APP alone. */
const APP3 = 'audit';
const NS3 = `audit-${randomSuffix()}`;
const AGENT_NS = 'fleetwave-system';

function bundle(
  options: { config?: string; extra?: boolean; replicas?: number; broken?: boolean; kept?: boolean } = {},
): string {
  const docs = [
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${NS}\ndata:\n  greeting: ${options.config ?? 'hello'}\n`,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
spec:
  replicas: ${options.replicas ?? 2}
  progressDeadlineSeconds: 10
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      ${options.broken ? 'nodeSelector: { fleetwave.io/no-such-node: "true" }' : 'nodeSelector: {}'}
      containers:
        - name: web
          image: registry.invalid/web:1
`,
  ];
  if (options.kept)
    docs.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  namespace: ${NS}\n  annotations:\n    fleetwave.io/prune: disabled\ndata:\n  a: "1"\n`,
    );
  if (options.extra)
    docs.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: ${NS}\ndata:\n  a: "1"\n`,
    );
  return docs.join('---\n');
}

describe('agent against a real cluster, real Kafka and a stand-in hub', () => {
  let fleet: Fleet | undefined;
  let cluster: FleetCluster;
  let kafka: KafkaServer;
  let hub: StandInHub;
  let reader: ReportReader;
  let agent: ManagedProcess | undefined;
  let cacheDir: string;
  let healthPort: number;
  const topic = `e2e.${randomSuffix()}.fleetwave.reports.v1`;

  const k = (...args: string[]) => kubectl(fleet!.binaries, cluster, args);
  const exists = async (kind: string, name: string) => {
    try {
      await k('get', kind, name, '-n', NS, '-o', 'name');
      return true;
    } catch {
      return false;
    }
  };
  const jsonpath = (kind: string, name: string, expr: string, namespace = NS) =>
    k('get', kind, name, '-n', namespace, '-o', `jsonpath=${expr}`);
  const inventoryExists = async (application: string) => {
    try {
      await k('get', 'configmap', `fleetwave-inventory-${application}`, '-n', AGENT_NS, '-o', 'name');
      return true;
    } catch {
      return false;
    }
  };
  /** The first status report listing `application` in `removed`, from index `from` on. */
  const awaitRemoved = (application: string, from: number) =>
    waitFor(
      () => reader.reports.slice(from).find((r) => r.kind === 'status' && r.removed?.includes(application)),
      {
        description: `a status report listing ${application} removed (agent log: ${agent?.logTail(5) ?? ''})`,
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );

  async function startAgent(): Promise<ManagedProcess> {
    const process_ = startManagedProcess(agentBin, [], {
      logFile: path.join(cacheDir, `agent-${Date.now()}.log`),
      env: {
        ...process.env,
        AGENT_HUB_URL: hub.url,
        AGENT_KAFKA_BROKERS: kafka.brokers.join(','),
        AGENT_CLUSTER_NAME: 'e2e',
        AGENT_CLUSTER_LABELS: 'env=staging,region=eu',
        AGENT_REGISTRATION_TOKEN: 'fwr_e2e',
        AGENT_KUBECONFIG: cluster.kubeconfigPath,
        AGENT_KUBE_CONTEXT: cluster.context,
        AGENT_CACHE_DIR: path.join(cacheDir, 'cache'),
        AGENT_HEALTH_HOST: '127.0.0.1',
        AGENT_HEALTH_PORT: String((healthPort = await freePort())),
        AGENT_RESYNC_SECONDS: '20',
        LOG_LEVEL: 'info',
      },
    });
    return process_;
  }

  /** The agent's counters from its /metrics: reconciles by application, passes and resyncs. */
  async function counters() {
    const text = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? 0 : Number(line.slice(series.length + 1));
    };
    const reconciles = (application: string) =>
      value(`fleetwave_agent_reconciles_total{application="${application}"}`);
    return {
      [APP]: reconciles(APP),
      [APP3]: reconciles(APP3),
      passes: value('fleetwave_agent_reconcile_passes_total'),
      resyncs: value('fleetwave_agent_resyncs_total'),
    };
  }

  /** The newest status report entry for the app, once it satisfies `accept`. */
  function awaitBundle(description: string, accept: (b: BundleStatus) => boolean, timeoutMs = 90_000) {
    return waitFor(
      () => {
        const latest = reader.latestBundle(APP);
        return latest && accept(latest) ? latest : undefined;
      },
      { description: `${description} (agent log: ${agent?.logTail(5) ?? ''})`, timeoutMs, intervalMs: 200 },
    );
  }

  beforeAll(async () => {
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'fw-agent-e2e-'));
    // allSettled, not all: if one fails, afterAll must still stop the other (a leaked cluster otherwise).
    const [fleetStart, kafkaStart] = await Promise.allSettled([
      startFleet({ clusters: 1, namePrefix: `agent-${randomSuffix()}` }),
      startKafka({ log: () => undefined }),
    ]);
    if (fleetStart.status === 'fulfilled') fleet = fleetStart.value;
    if (kafkaStart.status === 'fulfilled') kafka = kafkaStart.value;
    for (const start of [fleetStart, kafkaStart]) if (start.status === 'rejected') throw start.reason;
    cluster = fleet!.clusters[0]!;
    const admin = new Kafka({ clientId: 'e2e', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    hub = new StandInHub(topic);
    await hub.start();
    reader = new ReportReader(kafka.brokers, topic, hub.identity.signingKey);
    await reader.start();
    agent = await startAgent();
  });

  afterAll(async () => {
    await agent?.stop();
    await reader?.stop();
    await hub?.stop();
    await kafka?.stop();
    await fleet?.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('registers once, keeps its identity in a Secret, and heartbeats', async () => {
    await waitFor(() => reader.reports.some((r) => r.kind === 'heartbeat'), {
      description: 'a heartbeat',
      timeoutMs: 60_000,
    });
    expect(hub.registrations).toBe(1);
    expect(await k('get', 'secret', 'fleetwave-agent-identity', '-n', AGENT_NS, '-o', 'name')).toContain(
      'fleetwave-agent-identity',
    );
    const heartbeat = reader.reports.find((r) => r.kind === 'heartbeat')!;
    expect(heartbeat).toMatchObject({ clusterId: hub.identity.clusterId, clusterStatus: 'Ready' });
    expect(reader.invalid).toEqual([]);
  });

  it('applies a bundle with server-side apply and reports it Healthy for its digest', async () => {
    const v1 = hub.assign(APP, bundle(), { progressDeadlineSeconds: 60 });

    const status = await awaitBundle('v1 Healthy', (b) => b.digest === v1.digest && b.phase === 'Healthy');

    expect(status).toMatchObject({ ready: 3, total: 3, commit: v1.commit });
    expect(await jsonpath('deployment', 'web', '{.status.conditions[?(@.type=="Available")].status}')).toBe(
      'True',
    );
    expect(await jsonpath('configmap', 'settings', '{.metadata.labels.fleetwave\\.io/application}')).toBe(
      APP,
    );
    expect(await jsonpath('configmap', 'settings', '{.metadata.managedFields[0].manager}')).toBe('fleetwave');
  });

  it('updates changed objects and prunes the ones that left the bundle', async () => {
    const v2 = hub.assign(APP, bundle({ config: 'bonjour', extra: true }));
    await awaitBundle('v2 Healthy', (b) => b.digest === v2.digest && b.phase === 'Healthy');
    expect(await jsonpath('configmap', 'settings', '{.data.greeting}')).toBe('bonjour');
    expect(await exists('configmap', 'extra')).toBe(true);

    const v3 = hub.assign(APP, bundle({ config: 'bonjour' }));
    await awaitBundle('v3 Healthy', (b) => b.digest === v3.digest && b.phase === 'Healthy');
    await waitFor(async () => !(await exists('configmap', 'extra')), {
      description: 'extra pruned',
      timeoutMs: 30_000,
    });
  });

  it('restores a Deployment deleted out of band and reverts a manual scale, counting corrections', async () => {
    await k('delete', 'deployment', 'web', '-n', NS, '--wait=false');
    await waitFor(
      async () =>
        (await exists('deployment', 'web')) && (await jsonpath('deployment', 'web', '{.metadata.uid}')),
      {
        description: 'web re-created',
        timeoutMs: 60_000,
      },
    );

    await k('scale', 'deployment', 'web', '-n', NS, '--replicas=5');
    await waitFor(async () => (await jsonpath('deployment', 'web', '{.spec.replicas}')) === '2', {
      description: 'scale reverted to 2',
      timeoutMs: 60_000,
    });
    const status = await awaitBundle(
      'corrections reported',
      (b) => b.driftCorrections >= 2 && b.phase === 'Healthy',
    );
    expect(status.driftCorrections).toBeGreaterThanOrEqual(2);
  });

  it('re-applies only the application whose object drifted', async () => {
    const audit = hub.assign(
      APP3,
      [
        `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS3}\n`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: trail\n  namespace: ${NS3}\ndata:\n  on: "yes"\n`,
      ].join('---\n'),
    );
    await waitFor(
      () =>
        reader.latestBundle(APP3)?.digest === audit.digest && reader.latestBundle(APP3)?.phase === 'Healthy',
      {
        description: `${APP3} Healthy`,
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
    // A resync (every 20 s here) reconciles every application: a measurement it overlaps is repeated.
    for (let attempt = 1; ; attempt++) {
      const before = await counters();
      await k('delete', 'configmap', 'settings', '-n', NS);
      await waitFor(
        async () => (await exists('configmap', 'settings')) && (await counters()).passes > before.passes,
        { description: `settings re-created (agent log: ${agent?.logTail(5) ?? ''})`, timeoutMs: 60_000 },
      );
      const after = await counters();
      if (after.resyncs !== before.resyncs && attempt < 3) continue;
      expect(after.resyncs).toBe(before.resyncs);
      expect(after[APP]).toBeGreaterThan(before[APP]);
      expect(after[APP3]).toBe(before[APP3]);
      break;
    }
  });

  it('reports a Deployment that cannot become ready as Failed, with the reason', async () => {
    const broken = hub.assign(APP, bundle({ config: 'bonjour', broken: true }), {
      progressDeadlineSeconds: 20,
    });

    const status = await awaitBundle(
      'broken Failed',
      (b) => b.digest === broken.digest && b.phase === 'Failed',
      120_000,
    );

    const web = status.failing.find((f) => f.id === `${NS}_web_apps_Deployment`);
    expect(web?.reason).toMatch(/ProgressDeadlineExceeded/);
  });

  it('stalls on malformed YAML with a precise message, leaving applied objects as they were', async () => {
    const uid = await jsonpath('configmap', 'settings', '{.metadata.uid}');
    const bad = hub.assign(APP, 'apiVersion: v1\nkind: ConfigMap\nmetadata: [not, a, map\n');

    const status = await awaitBundle(
      'bad bundle Stalled',
      (b) => b.digest === bad.digest && b.phase === 'Stalled',
    );

    expect(status.failing[0]).toMatchObject({ reason: 'InvalidManifests' });
    expect(await jsonpath('configmap', 'settings', '{.metadata.uid}')).toBe(uid);
  });

  it('refuses a bundle whose content does not match its digest', async () => {
    const tampered = hub.assign(APP, bundle({ config: 'tampered' }), {}, true);

    const status = await awaitBundle(
      'tampered Stalled',
      (b) => b.digest === tampered.digest && b.phase === 'Stalled',
    );

    expect(status.failing[0]).toMatchObject({ reason: 'DigestMismatch' });
    expect(await jsonpath('configmap', 'settings', '{.data.greeting}')).toBe('bonjour');
  });

  it('keeps reconciling the cached assignment while the hub is down', async () => {
    const good = hub.assign(APP, bundle({ config: 'hola' }));
    await awaitBundle('good Healthy', (b) => b.digest === good.digest && b.phase === 'Healthy');

    await hub.stop();
    await k('delete', 'configmap', 'settings', '-n', NS);
    await waitFor(
      async () =>
        (await exists('configmap', 'settings')) &&
        (await jsonpath('configmap', 'settings', '{.data.greeting}')) === 'hola',
      {
        description: 'settings restored without the hub',
        timeoutMs: 60_000,
      },
    );
    await hub.start();
  });

  it('buffers reports while Kafka is unreachable and delivers them, in order, when it is back', async () => {
    const before = reader.reports.length;
    kafka.pause();
    // Drift while Kafka is away → status reports that cannot be sent. Twice: the pass that queued
    // the first report must not wait for Kafka before the next drift is corrected.
    try {
      for (const replicas of ['4', '3']) {
        await k('scale', 'deployment', 'web', '-n', NS, `--replicas=${replicas}`);
        await waitFor(async () => (await jsonpath('deployment', 'web', '{.spec.replicas}')) === '2', {
          description: `scale ${replicas} reverted during the Kafka outage`,
          timeoutMs: 20_000,
        });
      }
    } finally {
      kafka.resume(); // also when the test fails: the next test needs Kafka
    }

    await waitFor(() => reader.reports.length > before + 2, {
      description: 'buffered reports delivered',
      timeoutMs: 90_000,
    });
    const seqs = reader.reports.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('restarts without re-registering and keeps its sequence numbers rising', async () => {
    const lastSeq = Math.max(...reader.reports.map((r) => r.seq));
    await agent!.stop();
    const count = reader.reports.length;
    agent = await startAgent();

    await waitFor(() => reader.reports.length > count, {
      description: 'a report after restart',
      timeoutMs: 60_000,
    });
    expect(reader.reports[count]!.seq).toBeGreaterThan(lastSeq);
    expect(hub.registrations).toBe(1);
  });

  it('leaves an application running when an assignments response merely leaves it out', async () => {
    const running = hub.assign(APP, bundle({ config: 'hola', kept: true }));
    await awaitBundle('running Healthy', (b) => b.digest === running.digest && b.phase === 'Healthy');
    const uid = await jsonpath('deployment', 'web', '{.metadata.uid}');
    const from = reader.reports.length;

    hub.leaveOut(APP);
    // The agent reports what it now has (nothing for APP), and deletes nothing.
    const report = await waitFor(
      () =>
        reader.reports
          .slice(from)
          .find((r) => r.kind === 'status' && !r.bundles.some((b) => b.application === APP)),
      { description: 'a status report without the application', timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(report).not.toHaveProperty('removed');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await jsonpath('deployment', 'web', '{.metadata.uid}')).toBe(uid);
    expect(await exists('configmap', 'settings')).toBe(true);
    expect(await inventoryExists(APP)).toBe(true);
  });

  it('withdraws with prune: the objects go (one annotated with the prune opt-out stays), and the inventory record', async () => {
    const back = hub.assign(APP, bundle({ config: 'hola', kept: true }));
    await awaitBundle('back Healthy', (b) => b.digest === back.digest && b.phase === 'Healthy');
    const from = reader.reports.length;

    hub.withdraw(APP, 'prune');

    const report = await awaitRemoved(APP, from);
    expect(report).toMatchObject({ kind: 'status', removed: [APP] });
    expect(report.kind === 'status' && report.bundles.some((b) => b.application === APP)).toBe(false);
    await waitFor(
      async () => !(await exists('deployment', 'web')) && !(await exists('configmap', 'settings')),
      {
        description: 'the Deployment and ConfigMap deleted',
        timeoutMs: 30_000,
      },
    );
    // The opt-out object stays, and so does its Namespace (deleting it would take the object along).
    expect(await jsonpath('configmap', 'kept', '{.metadata.annotations.fleetwave\\.io/prune}')).toBe(
      'disabled',
    );
    expect(await k('get', 'namespace', NS, '-o', 'name')).toContain(NS);
    expect(await inventoryExists(APP)).toBe(false);
  });

  it('withdraws with orphan: every object stays as it is, the inventory record goes, drift is no longer corrected', async () => {
    const manifests = [
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS2}\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: queue\n  namespace: ${NS2}\ndata:\n  size: "10"\n`,
    ].join('---\n');
    const orders = hub.assign(APP2, manifests);
    await waitFor(
      () => {
        for (let i = reader.reports.length - 1; i >= 0; i--) {
          const r = reader.reports[i]!;
          if (r.kind === 'status')
            return r.bundles.find(
              (b) => b.application === APP2 && b.digest === orders.digest && b.phase === 'Healthy',
            );
        }
        return undefined;
      },
      { description: `${APP2} Healthy`, timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(await inventoryExists(APP2)).toBe(true);
    const from = reader.reports.length;

    hub.withdraw(APP2, 'orphan');

    const report = await awaitRemoved(APP2, from);
    // The first tombstone is still in the assignments (the stand-in hub never drops it): still listed.
    expect(report).toMatchObject({ kind: 'status', removed: [APP2, APP].sort() });
    expect(await inventoryExists(APP2)).toBe(false);
    expect(await jsonpath('configmap', 'queue', '{.data.size}', NS2)).toBe('10');
    expect(await jsonpath('configmap', 'queue', '{.metadata.labels.fleetwave\\.io/application}', NS2)).toBe(
      APP2,
    );

    await k('patch', 'configmap', 'queue', '-n', NS2, '--type=merge', '-p', '{"data":{"size":"99"}}');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await jsonpath('configmap', 'queue', '{.data.size}', NS2)).toBe('99');
  });
});
