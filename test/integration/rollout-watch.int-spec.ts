import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { WatchAfterSuccess } from '../../services/hub/src/rollouts/watch-after-success.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, TestClock, type TestHub, testHubConfig } from './support/hub.js';

// Watch after success on a real hub (Postgres, Kafka, git, simulated agents) with an injectable
// clock: the periodic check is an hour apart, so only a member's report (or the test asking the
// watcher to check) looks at a watched rollout.
const ADMIN = { name: 'test-admin', role: 'admin' as const };
const QUIET = { rollouts: { passIntervalSeconds: 3600 } };

const WATCH_VIEW = `query ($id: ID!, $target: String!) {
  rollout(id: $id) {
    state rolledBackBy finishedAt watchingUntil
    degradedAfterSuccess { cluster reason at }
  }
  events(targetKind: rollout, targetId: $target, first: 50) { edges { node { action after } } }
}`;

interface WatchView {
  rollout: {
    state: string;
    rolledBackBy: string | null;
    finishedAt: string | null;
    watchingUntil: string | null;
    degradedAfterSuccess: { cluster: string; reason: string; at: string }[];
  };
  events: { edges: { node: { action: string; after: Record<string, unknown> | null } }[] };
}

describe('watch after success', () => {
  let git: TempGitServer;
  let repo: LocalRepo;
  let producer: Producer;
  let hub: TestHub;
  const clock = new TestClock();
  const agents: SimAgent[] = [];
  let tag = 0;

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-git-watch-');
    repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    producer = await connectReportProducer(kafkaBrokers(), 'it-watch');
    hub = await startTestHub(await testHubConfig(QUIET), { clock });
    for (const name of ['watch-a', 'watch-b']) {
      const identity = await registerCluster(hub, name, { env: 'prod', region: 'eu' });
      const agent = new SimAgent({ hubUrl: hub.url, identity, reports: producerSink(producer) });
      agent.start();
      agents.push(agent);
    }
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await hub?.close().catch(() => undefined);
    await producer?.disconnect();
    await git?.stop();
  });

  async function sync(name: string): Promise<string> {
    const app = (await hub.app.get(ApplicationsService).findByName(name))!;
    const outcome = await hub.app.get(GitSyncService).sync(app);
    expect(outcome.error).toBeNull();
    return outcome.commit!;
  }

  /** An application whose first and second revisions both rolled out: the second is watched. */
  async function watchedRollout(name: string, plan: unknown): Promise<string> {
    await hub.app.get(ApplicationsService).create(ADMIN, {
      name,
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      targetSelector: 'env=prod',
      plan,
    });
    const rollouts = hub.app.get(RolloutsService);
    const first = await rollouts.start(ADMIN, name, await sync(name));
    await succeeded(first.id);
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: `2.${tag++}` }) }, 'web 2');
    const second = await rollouts.start(ADMIN, name, await sync(name));
    await succeeded(second.id);
    return second.id;
  }

  function succeeded(id: string) {
    return waitFor(async () => (await hub.app.get(RolloutsService).get(id)).state === 'Succeeded', {
      timeoutMs: 30_000,
      description: `rollout ${id} to succeed`,
    });
  }

  const view = (id: string) => gqlOk<WatchView>(hub, WATCH_VIEW, { id, target: id });
  const actions = (v: WatchView) => v.events.edges.map((e) => e.node.action);

  it('a cluster degrading in the window is notified once and rolls the rollout back', async () => {
    const id = await watchedRollout('watched', { watchSeconds: 600, rollbackOnWatchFailure: true });
    const before = await view(id);
    expect(before.rollout.degradedAfterSuccess).toEqual([]);
    expect(Date.parse(before.rollout.watchingUntil!) - Date.parse(before.rollout.finishedAt!)).toBe(600_000);

    await agents[0]!.setPhase('watched', 'Degraded');
    await waitFor(async () => (await view(id)).rollout.rolledBackBy !== null, {
      timeoutMs: 30_000,
      description: 'the degraded cluster to roll the rollout back',
    });
    const after = await view(id);
    expect(after.rollout.degradedAfterSuccess).toEqual([
      expect.objectContaining({ cluster: 'watch-a', reason: 'phase Degraded' }),
    ]);
    const degraded = after.events.edges.filter((e) => e.node.action === 'rollout.degradedAfterSuccess');
    expect(degraded).toHaveLength(1);
    expect(degraded[0]!.node.after).toMatchObject({ application: 'watched', cluster: 'watch-a' });

    // The rollback takes both clusters back and, once in, marks the watched rollout RolledBack.
    await waitFor(async () => (await view(id)).rollout.state === 'RolledBack', {
      timeoutMs: 30_000,
      description: 'the rollback to finish',
    });
    // A second look records nothing new (each cluster once, the rollout no longer watched).
    await hub.app.get(WatchAfterSuccess).check();
    expect(actions(await view(id)).filter((a) => a === 'rollout.degradedAfterSuccess')).toHaveLength(1);
  });

  it('a cluster degrading after the window changes nothing', async () => {
    const id = await watchedRollout('late', { watchSeconds: 600, rollbackOnWatchFailure: true });
    const { rollout } = await view(id);
    clock.set(new Date(Date.parse(rollout.watchingUntil!) + 1000));

    await agents[1]!.setPhase('late', 'Failed');
    // The report is in: the watcher (after the check the report itself triggered) finds nothing.
    const transactions = hub.app.get(Transactions);
    await waitFor(
      async () => {
        const rows = await transactions.manager.query<{ phase: string }[]>(
          `SELECT phase FROM cluster_bundle_status WHERE cluster_id = $1 AND application = 'late'`,
          [agents[1]!.clusterId],
        );
        return rows[0]?.phase === 'Failed';
      },
      { timeoutMs: 30_000, description: 'the Failed report to be ingested' },
    );
    await hub.app.get(WatchAfterSuccess).check();

    const after = await view(id);
    expect(after.rollout).toMatchObject({ state: 'Succeeded', rolledBackBy: null, degradedAfterSuccess: [] });
    expect(actions(after)).not.toContain('rollout.degradedAfterSuccess');
  });
});
