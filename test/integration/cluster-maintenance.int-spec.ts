import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { createRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { type SimAgent } from '../harness/sim-agent.js';
import { waitForObserved } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';
import { simAgentOf } from './support/sim-agents.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };
const UPGRADE = { reason: 'node pool upgrade', since: '2026-11-22T01:00:00.000Z' };

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: demo
data:
  cluster: \${cluster.name}
`;

interface ClusterView {
  name: string;
  maintenance: { reason: string; since: string } | null;
}

interface RolloutView {
  state: string;
  waves: { name: string; blocking: { kind: string } | null }[];
  clusters: {
    name: string;
    phase: string;
    blocking: { kind: string; reason: string | null; since: string | null; message: string } | null;
  }[];
}

describe('cluster maintenance holds new changes (real Postgres, Kafka, git)', () => {
  let git: TempGitServer;
  let producer: Producer;
  let hub: TestHub;
  let agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-git-maint-');
    const repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': CONFIGMAP }, 'web');
    producer = await connectReportProducer(kafkaBrokers(), 'it-maintenance');
    // No safety-net pass within the test: the report that ends the maintenance must move the rollout.
    hub = await startTestHub(await testHubConfig({ rollouts: { passIntervalSeconds: 3600 } }));
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await hub?.close();
    await producer?.disconnect();
    await git?.stop();
  });

  async function cluster(name: string): Promise<ClusterView> {
    const data = await gqlOk<{ cluster: ClusterView }>(
      hub,
      `query($name: String!) { cluster(name: $name) { name maintenance { reason since } } }`,
      { name },
    );
    return data.cluster;
  }

  async function rollout(id: string): Promise<RolloutView> {
    const data = await gqlOk<{ rollout: RolloutView }>(
      hub,
      `query($id: ID!) { rollout(id: $id) {
         state
         waves { name blocking { kind } }
         clusters { name phase blocking { kind reason since message } }
       } }`,
      { id },
    );
    return data.rollout;
  }

  function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    return waitForObserved(what, 20_000, async () => {
      const value = await probe();
      return { done: done(value) ? value : undefined, observed: JSON.stringify(value) };
    });
  }

  async function assignmentGeneration(clusterId: string): Promise<number> {
    const [row] = await hub.app
      .get(Transactions)
      .manager.query<{ assignment_generation: string }[]>(
        `SELECT assignment_generation FROM cluster WHERE id = $1`,
        [clusterId],
      );
    return Number(row!.assignment_generation);
  }

  it('holds a cluster in maintenance out of its wave while the others proceed, and lets the wave finish once it ends', async () => {
    const identities = [];
    for (const name of ['prod-a', 'prod-b', 'prod-c']) {
      identities.push(await registerCluster(hub, name, { env: 'prod' }));
    }
    agents = identities.map((identity) => simAgentOf(hub, identity, producer));
    const b = agents[1]!;
    b.maintenance = UPGRADE;
    // Every report carries it, the first poll's status report too: seen before the rollout starts.
    for (const agent of agents) agent.start();
    await until(
      'prod-b in maintenance',
      () => cluster('prod-b'),
      (v) => v.maintenance !== null,
    );
    expect(await cluster('prod-b')).toEqual({ name: 'prod-b', maintenance: UPGRADE });
    expect(await cluster('prod-a')).toEqual({ name: 'prod-a', maintenance: null });

    await hub.app.get(ApplicationsService).create(ADMIN, {
      name: 'web',
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      valuesRules: [],
      plan: { waves: [{ name: 'prod', selector: 'env=prod', maxConcurrency: 3 }] },
    });
    const app = (await hub.app.get(ApplicationsService).findByName('web'))!;
    const { commit } = await hub.app.get(GitSyncService).sync(app);
    const started = await hub.app.get(RolloutsService).start(ADMIN, 'web', commit!);

    const held = await until(
      'prod-a and prod-c Healthy, prod-b held',
      () => rollout(started.id),
      (r) => r.clusters.filter((x) => x.phase === 'Healthy').length === 2,
    );
    expect(held.state).toBe('Progressing');
    expect(held.clusters.map((x) => [x.name, x.phase])).toEqual([
      ['prod-a', 'Healthy'],
      ['prod-b', 'Pending'],
      ['prod-c', 'Healthy'],
    ]);
    expect(held.clusters[1]!.blocking).toEqual({
      kind: 'maintenance',
      reason: UPGRADE.reason,
      since: UPGRADE.since,
      message: `maintenance since 2026-11-22T01:00:00Z: ${UPGRADE.reason}`,
    });
    expect(held.waves[0]!.blocking).toEqual({ kind: 'maintenance' });
    // Never pointed at a bundle (a heartbeat in maintenance does not change that either).
    await b.send(b.heartbeat());
    expect(await assignmentGeneration(b.clusterId)).toBe(0);
    expect(b.digestsSeen('web')).toEqual([]);

    // The annotation is removed: the agent's next report says so, and that report moves the rollout.
    b.maintenance = null;
    await b.send(b.heartbeat());
    const done = await until(
      'rollout Succeeded',
      () => rollout(started.id),
      (r) => r.state === 'Succeeded',
    );
    expect(done.clusters.map((x) => x.phase)).toEqual(['Healthy', 'Healthy', 'Healthy']);
    expect(b.digestsSeen('web')).toHaveLength(1);
    expect(await cluster('prod-b')).toEqual({ name: 'prod-b', maintenance: null });
    // Each change of maintenance is in the audit trail, nothing for the clusters never in it.
    const events = await hub.app
      .get(Transactions)
      .manager.query<{ target_id: string; after: unknown }[]>(
        `SELECT target_id, after FROM event WHERE action = 'cluster.maintenanceChanged' ORDER BY id`,
      );
    expect(events).toEqual([
      { target_id: b.clusterId, after: { maintenance: UPGRADE } },
      { target_id: b.clusterId, after: { maintenance: null } },
    ]);
  });
});
