import { type AssignmentsResponse, type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import {
  AssignmentsRepository,
  type WithdrawalRecord,
} from '../../services/hub/src/assignments/assignments.repository.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { CatchupLane } from '../../services/hub/src/rollouts/catchup-lane.js';
import { type RolloutRecord } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent, type SimBehaviour } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { gqlOk, registerCluster } from './support/graphql.js';
import { createSyncedApp, rolloutIn } from './support/applications.js';
import { startTestHub, type TestHub } from './support/hub.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };

describe('withdrawals: leaving clusters are cleaned up explicitly (real Postgres, Kafka, git)', () => {
  let git: TempGitServer;
  let producer: Producer;
  let hub: TestHub;
  const agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-withdraw-it-');
    const repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    producer = await connectReportProducer(kafkaBrokers(), 'it-withdrawals');
  });

  beforeEach(async () => {
    hub = await startTestHub();
  });

  afterEach(async () => {
    // Whatever else a test checks: no agent ever saw an application leave its assignments
    // without a withdrawal of it in the same response.
    for (const agent of agents) expectNoSilentRemoval(agent.received);
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await hub.close().catch(() => undefined);
    // Closing waits for the report consumer to leave its group, which under load can wait out a
    // rebalance begun by the previous test's hub: seen past 60 s on a busy 2-core machine.
  }, 180_000);

  afterAll(async () => {
    await producer?.disconnect();
    await git?.stop();
  });

  function simulate(
    identity: RegisterResponse,
    options: { behaviour?: SimBehaviour; firstSeq?: number } = {},
  ) {
    const agent = new SimAgent({ hubUrl: hub.url, identity, reports: producerSink(producer), ...options });
    agent.start();
    agents.push(agent);
    return agent;
  }

  const rollouts = () => hub.app.get(RolloutsService);
  const clusters = () => hub.app.get(ClustersService);
  const apps = () => hub.app.get(ApplicationsService);
  const assignments = () => hub.app.get(AssignmentsRepository);

  const createApp = (name: string, selector: string, extra: Record<string, unknown> = {}) =>
    createSyncedApp(hub, git.url('fleet'), name, selector, extra);
  const finished = (id: string, state: RolloutRecord['state'] = 'Succeeded') => rolloutIn(hub, id, state);

  /** Registers `names` (labels env=prod), starts their agents and settles `web` on them. */
  async function settledFleet(names: string[], extra: Record<string, unknown> = {}) {
    const commit = await createApp('web', 'env=prod', extra);
    const fleet = new Map<string, SimAgent>();
    for (const name of names)
      fleet.set(name, simulate(await registerCluster(hub, name, { env: 'prod', region: 'eu' })));
    const started = await rollouts().start(ADMIN, 'web', commit);
    const settled = await finished(started.id);
    return { commit, fleet, settled };
  }

  /** After every pending sweep, one more: what the lane decides on the state as it is now. */
  async function sweepNow(): Promise<string[]> {
    const lane = hub.app.get(CatchupLane);
    await lane.idle();
    return lane.sweep();
  }

  async function withdrawalsOf(clusterId: string): Promise<WithdrawalRecord[]> {
    return assignments().withdrawalsOfClusters([clusterId]);
  }

  async function assignedCommit(clusterId: string, application = 'web'): Promise<string | null> {
    const current = await assignments().forCluster(clusterId);
    return current?.assignments.find((a) => a.application === application)?.commit ?? null;
  }

  /** Waits until the agent's newest assignments response satisfies `check`. */
  function received(agent: SimAgent, description: string, check: (r: AssignmentsResponse) => boolean) {
    return waitFor(() => (agent.received.length > 0 && check(agent.received.at(-1)!)) || undefined, {
      timeoutMs: 30_000,
      description: `${agent.name}: ${description}`,
    });
  }

  const withdrawn = (r: AssignmentsResponse, app = 'web') => r.withdrawals.some((w) => w.application === app);
  const assigned = (r: AssignmentsResponse, app = 'web') => r.assignments.some((a) => a.application === app);

  async function actions(
    applicationId: string,
  ): Promise<{ action: string; actor: string; after: unknown }[]> {
    return hub.app
      .get(Transactions)
      .manager.query(
        `SELECT action, actor, after FROM event WHERE target_kind = 'application' AND target_id = $1 ORDER BY id`,
        [applicationId],
      );
  }

  it('a cluster relabelled out gets a withdrawal and keeps it until its report confirms the removal', async () => {
    const { fleet, settled } = await settledFleet(['prod-1', 'prod-2']);
    const leaving = fleet.get('prod-2')!;
    leaving.confirmWithdrawals = false; // a slow prune: the hub must keep asking

    await clusters().setLabels(ADMIN, 'prod-2', { env: 'staging', region: 'eu' });
    await sweepNow();

    const [tombstone] = await withdrawalsOf(leaving.clusterId);
    expect(tombstone).toMatchObject({
      application: 'web',
      clusterName: 'prod-2',
      reason: 'labels',
      deletionPolicy: 'prune',
      actor: 'placement',
    });
    await received(leaving, 'web withdrawn, not assigned', (r) => withdrawn(r) && !assigned(r));
    // Sweeping again changes nothing: it stays until confirmed.
    await sweepNow();
    expect(await withdrawalsOf(leaving.clusterId)).toHaveLength(1);
    expect(leaving.removedApplications).toEqual([]);
    // The cluster that stays is untouched.
    expect(await assignedCommit(fleet.get('prod-1')!.clusterId)).not.toBeNull();
    const cluster = await gqlOk<{ cluster: { withdrawals: { application: string; reason: string }[] } }>(
      hub,
      `{ cluster(name: "prod-2") { withdrawals { application reason } } }`,
    );
    expect(cluster.cluster.withdrawals).toEqual([{ application: 'web', reason: 'labels' }]);
    // The status matrix shows the pair Removing, wanting nothing of it.
    type Pair = { cluster: { name: string }; phase: string; behind: boolean };
    const pairs = async () =>
      (
        await gqlOk<{ placements: { edges: { node: Pair }[] } }>(
          hub,
          `{ placements(filter: { application: "web" }, first: 10) { edges { node { cluster { name } phase behind } } } }`,
        )
      ).placements.edges.map((e) => e.node);
    expect(await pairs()).toContainEqual({
      cluster: { name: 'prod-2' },
      phase: 'Removing',
      behind: false,
    });

    leaving.confirmWithdrawals = true;
    await leaving.reconcileAgain();
    await waitFor(async () => (await withdrawalsOf(leaving.clusterId)).length === 0 || undefined, {
      timeoutMs: 30_000,
      description: 'the withdrawal confirmed',
    });
    await received(leaving, 'neither assigned nor withdrawn', (r) => !withdrawn(r) && !assigned(r));
    expect(leaving.removedApplications).toEqual(['web']);
    expect((await pairs()).map((n) => n.cluster.name)).toEqual(['prod-1']);
    // The rollout it took part in still says how it ended there, though it reports web no more.
    const history = await rollouts().detail(settled.id);
    expect(history.clusters.map((c) => [c.name, c.phase])).toEqual([
      ['prod-1', 'Healthy'],
      ['prod-2', 'Healthy'],
    ]);
    const app = (await apps().findByName('web'))!;
    const trail = await actions(app.id);
    expect(trail.filter((e) => e.action.startsWith('placement.'))).toEqual([
      {
        action: 'placement.withdrawn',
        actor: 'placement',
        after: expect.objectContaining({ cluster: 'prod-2', reason: 'labels', deletionPolicy: 'prune' }),
      },
      {
        action: 'placement.removed',
        actor: `cluster:${leaving.clusterId}`,
        after: expect.objectContaining({ clusterId: leaving.clusterId, reason: 'labels' }),
      },
    ]);
  });

  it('relabelled out and back in before confirming: assigned again, with no withdrawal left', async () => {
    const { commit, fleet } = await settledFleet(['prod-1']);
    const agent = fleet.get('prod-1')!;
    agent.confirmWithdrawals = false;

    await clusters().setLabels(ADMIN, 'prod-1', { env: 'staging', region: 'eu' });
    await sweepNow();
    expect(await withdrawalsOf(agent.clusterId)).toHaveLength(1);
    await clusters().setLabels(ADMIN, 'prod-1', { env: 'prod', region: 'eu' });

    // The catch-up lane assigns it the settled revision again, which drops the tombstone.
    await waitFor(async () => (await assignedCommit(agent.clusterId)) === commit || undefined, {
      timeoutMs: 30_000,
      description: 'prod-1 assigned web again',
    });
    expect(await withdrawalsOf(agent.clusterId)).toEqual([]);
    await received(agent, 'web assigned, not withdrawn', (r) => assigned(r) && !withdrawn(r));
    expect(agent.removedApplications).toEqual([]);
  });

  it('a caught-up cluster that left and confirmed is caught up again when it comes back', async () => {
    const { commit } = await settledFleet(['prod-1']);
    const late = simulate(await registerCluster(hub, 'late', { env: 'prod', region: 'eu' }));
    await waitFor(async () => (await assignedCommit(late.clusterId)) === commit || undefined, {
      timeoutMs: 30_000,
      description: 'late caught up',
    });

    await clusters().setLabels(ADMIN, 'late', { env: 'staging', region: 'eu' });
    await waitFor(() => late.removedApplications.includes('web') || undefined, {
      timeoutMs: 30_000,
      description: 'late removed web',
    });
    await waitFor(async () => (await withdrawalsOf(late.clusterId)).length === 0 || undefined, {
      timeoutMs: 30_000,
      description: 'the withdrawal confirmed',
    });
    await clusters().setLabels(ADMIN, 'late', { env: 'prod', region: 'eu' });

    // Its first catch-up is history: a second one brings it back to the settled revision.
    await waitFor(async () => (await assignedCommit(late.clusterId)) === commit || undefined, {
      timeoutMs: 30_000,
      description: 'late caught up again',
    });
    await received(late, 'web assigned again', (r) => assigned(r) && !withdrawn(r));
  });

  it('a withdrawal while the agent is away is delivered when it polls again', async () => {
    const { fleet } = await settledFleet(['prod-1']);
    const away = fleet.get('prod-1')!;
    await away.stop();

    await clusters().setLabels(ADMIN, 'prod-1', { env: 'staging', region: 'eu' });
    await sweepNow();
    expect(await withdrawalsOf(away.clusterId)).toHaveLength(1);

    // The agent comes back (its sequence numbers go on from where they were).
    const back = simulate(away.identity, { firstSeq: away.lastSeq + 1 });
    // It may confirm at once: look at every response it got, not just the newest.
    await waitFor(() => back.received.some((r) => withdrawn(r)) || undefined, {
      timeoutMs: 30_000,
      description: 'the withdrawal delivered to the returning agent',
    });
    await waitFor(async () => (await withdrawalsOf(away.clusterId)).length === 0 || undefined, {
      timeoutMs: 30_000,
      description: 'the withdrawal confirmed after the agent came back',
    });
    expect(back.removedApplications).toEqual(['web']);
  });

  it('an assignment row missing (deleted by hand) is in neither list: nothing asks for deletion', async () => {
    const { fleet } = await settledFleet(['prod-1']);
    const agent = fleet.get('prod-1')!;
    // Deleted by hand, generation untouched: the agent is not even told; whatever reads the
    // assignments next finds the application in neither list.
    await hub.app
      .get(Transactions)
      .manager.query(`DELETE FROM cluster_assignment WHERE cluster_id = $1`, [agent.clusterId]);

    const response = (await assignments().forCluster(agent.clusterId))!;
    expect(response.assignments).toEqual([]);
    expect(response.withdrawals).toEqual([]);
    await sweepNow();
    expect(await withdrawalsOf(agent.clusterId)).toEqual([]);
    expect(agent.removedApplications).toEqual([]);
  });

  it('cordon never withdraws', async () => {
    const { commit, fleet } = await settledFleet(['prod-1']);
    const agent = fleet.get('prod-1')!;

    await clusters().setCordoned(ADMIN, 'prod-1', true);
    await sweepNow();

    expect(await withdrawalsOf(agent.clusterId)).toEqual([]);
    expect(await assignedCommit(agent.clusterId)).toBe(commit);
    expect(agent.removedApplications).toEqual([]);
  });

  it('a narrowed target withdraws the clusters it no longer matches, with the application deletion policy', async () => {
    const { fleet } = await settledFleet(['prod-1', 'prod-2'], { deletionPolicy: 'orphan' });
    for (const agent of fleet.values()) agent.confirmWithdrawals = false;
    await apps().update(ADMIN, 'web', { targetSelector: 'env=prod,tier=web' });
    await sweepNow();

    for (const agent of fleet.values()) {
      expect(await withdrawalsOf(agent.clusterId)).toEqual([
        expect.objectContaining({ reason: 'target', deletionPolicy: 'orphan' }),
      ]);
    }
    for (const agent of fleet.values()) {
      await received(agent, 'web withdrawn', (r) => withdrawn(r));
      agent.confirmWithdrawals = true;
      await agent.reconcileAgain();
    }
    for (const agent of fleet.values()) {
      await waitFor(() => agent.removedApplications.includes('web') || undefined, {
        timeoutMs: 30_000,
        description: `${agent.name} removed web`,
      });
      await waitFor(async () => (await withdrawalsOf(agent.clusterId)).length === 0 || undefined, {
        timeoutMs: 30_000,
        description: `${agent.name}: withdrawal confirmed`,
      });
    }
  });

  it('a cluster leaving during a rollout is taken out of it and does not block it', async () => {
    const { fleet } = await settledFleet(['prod-1']);
    simulate(await registerCluster(hub, 'slow', { env: 'prod', region: 'eu' }), {
      behaviour: () => ({ phase: 'Healthy', delayMs: 600_000 }), // never healthy within the test
    });
    const running = await rollouts().start(ADMIN, 'web', (await apps().findByName('web'))!.latestCommit!);
    await waitFor(
      async () =>
        (await rollouts().detail(running.id)).clusters.find((c) => c.name === 'slow')?.phase ===
          'Progressing' || undefined,
      { timeoutMs: 30_000, description: 'slow Progressing' },
    );

    await clusters().setLabels(ADMIN, 'slow', { env: 'staging', region: 'eu' });
    await sweepNow();

    const done = await finished(running.id);
    const detail = await rollouts().detail(done.id);
    expect(detail.clusters.find((c) => c.name === 'slow')?.phase).toBe('Skipped');
    expect(detail.clusters.find((c) => c.name === 'prod-1')?.phase).toBe('Healthy');
    expect(fleet.size).toBe(1);
  });

  it('deleteApplication(prune): Deleting until every cluster confirmed; then deleted, its history kept, its name free', async () => {
    const { fleet, settled } = await settledFleet(['prod-1', 'prod-2']);
    const slow = fleet.get('prod-2')!;
    slow.confirmWithdrawals = false;
    const app = (await apps().findByName('web'))!;

    const deleting = await apps().delete(ADMIN, 'web', 'prune');
    expect(deleting.deletion).toMatchObject({ policy: 'prune', requestedBy: 'test-admin' });
    expect(deleting.deletedAt).toBeNull();
    const pending = async () =>
      (await assignments().withdrawalsOfApplications([app.id])).map((w) => w.clusterName).join(',');
    await waitFor(async () => (await pending()) === 'prod-2' || undefined, {
      timeoutMs: 30_000,
      description: 'prod-1 confirmed, prod-2 not',
    });
    await sweepNow();
    // prod-2 has not confirmed: still Deleting, and nothing new starts for it.
    const still = (await apps().findByName('web'))!;
    expect(still.deletion).not.toBeNull();
    expect(still.deletedAt).toBeNull();
    expect(await pending()).toBe('prod-2');
    expect(fleet.get('prod-1')!.removedApplications).toEqual(['web']);
    await expect(rollouts().start(ADMIN, 'web', settled.commit)).rejects.toThrow(/being deleted/);

    slow.confirmWithdrawals = true;
    await slow.reconcileAgain();
    await waitFor(async () => (await apps().findByName('web')) === null || undefined, {
      timeoutMs: 30_000,
      description: 'web deleted',
    });

    // Kept: its rollouts (by application name) and its audit trail; listed no more.
    const history = await rollouts().list({ application: 'web' });
    expect(history.rollouts.map((r) => r.id)).toEqual([settled.id]);
    // As it ended: no cluster reports web any more, each one's phase is the one it finished with.
    const detail = await rollouts().detail(settled.id);
    expect(detail.clusters.map((c) => [c.name, c.phase])).toEqual([
      ['prod-1', 'Healthy'],
      ['prod-2', 'Healthy'],
    ]);
    expect((await apps().list(undefined, undefined)).applications).toEqual([]);
    const trail = (await actions(app.id)).map((e) => e.action);
    expect(trail.at(-1)).toBe('application.deleted');
    expect(trail.filter((a) => a === 'placement.withdrawn')).toHaveLength(2);
    expect(trail.filter((a) => a === 'placement.removed')).toHaveLength(2);
    // The name is free again.
    await createApp('web', 'env=prod');
    expect((await apps().findByName('web'))!.id).not.toBe(app.id);
  });

  it('deleteApplication of an application no cluster runs deletes it at once', async () => {
    await createApp('idle', 'env=nowhere');
    const deleted = await apps().delete(ADMIN, 'idle', 'orphan');
    expect(deleted.deletedAt).not.toBeNull();
    expect(await apps().findByName('idle')).toBeNull();
  });

  it('deregisterCluster: Deregistering until its withdrawals are confirmed; force deletes at once', async () => {
    const { fleet } = await settledFleet(['prod-1', 'prod-2']);
    const leaving = fleet.get('prod-1')!;
    leaving.confirmWithdrawals = false;

    const deregistering = await clusters().deregister(ADMIN, 'prod-1', { deletionPolicy: 'orphan' });
    expect(deregistering.deregistrationPolicy).toBe('orphan');
    await sweepNow();
    expect(await withdrawalsOf(leaving.clusterId)).toEqual([
      expect.objectContaining({ application: 'web', reason: 'deregistered', deletionPolicy: 'orphan' }),
    ]);
    // Its credential still works (it must fetch the withdrawal); it is in no placement any more.
    await received(leaving, 'web withdrawn', (r) => withdrawn(r) && !assigned(r));
    expect((await clusters().findByName('prod-1'))?.deregistrationRequestedAt).not.toBeNull();

    leaving.confirmWithdrawals = true;
    await leaving.reconcileAgain();
    await waitFor(async () => (await clusters().findByName('prod-1')) === null || undefined, {
      timeoutMs: 30_000,
      description: 'prod-1 deleted once it confirmed',
    });

    // force: gone at once, nothing withdrawn (its objects stay).
    const other = fleet.get('prod-2')!;
    await clusters().deregister(ADMIN, 'prod-2', { force: true });
    expect(await clusters().findByName('prod-2')).toBeNull();
    expect(other.removedApplications).toEqual([]);
  });
});

/** Every application that left an agent's assignments was withdrawn in that same response. */
function expectNoSilentRemoval(responses: readonly AssignmentsResponse[]): void {
  for (let i = 1; i < responses.length; i++) {
    const now = responses[i]!;
    for (const before of responses[i - 1]!.assignments) {
      if (now.assignments.some((a) => a.application === before.application)) continue;
      expect(now.withdrawals.map((w) => w.application)).toContain(before.application);
    }
  }
}
