import { type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { RevisionVetoesRepository } from '../../services/hub/src/applications/revision-vetoes.repository.js';
import { RevisionVetoesService } from '../../services/hub/src/applications/revision-vetoes.service.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { CatchupLane } from '../../services/hub/src/rollouts/catchup-lane.js';
import { type RolloutRecord } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent, type SimBehaviour } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { registerCluster } from './support/graphql.js';
import { createSyncedApp, rolloutIn } from './support/applications.js';
import { startTestHub, type TestHub } from './support/hub.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };
const ADA = { name: 'user:ada', role: 'operator' as const };

/** Replicas by tier: the bundle of a cluster changes when its tier label or the rules do. */
const VALUES = [
  { selector: 'tier=a', values: { replicas: 2 } },
  { selector: '', values: { replicas: 1 } },
];

describe('catch-up lane: joining clusters get the settled revision (real Postgres, Kafka, git)', () => {
  let git: TempGitServer;
  let repo: LocalRepo;
  let producer: Producer;
  let hub: TestHub;
  const agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-catchup-it-');
    repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    const tiered = await createRepo(git.root, 'tiered');
    await tiered.commit(
      { 'deploy/web.yaml': webDeployment({ replicas: '${values.replicas}', tag: '1.0' }) },
      'web, replicas by tier',
    );
    producer = await connectReportProducer(kafkaBrokers(), 'it-catchup');
  });

  beforeEach(async () => {
    hub = await startTestHub();
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await hub.close().catch(() => undefined);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await git?.stop();
  });

  function simulate(identity: RegisterResponse, behaviour?: SimBehaviour): SimAgent {
    const agent = new SimAgent({ hubUrl: hub.url, identity, reports: producerSink(producer), behaviour });
    agent.start();
    agents.push(agent);
    return agent;
  }

  const rollouts = () => hub.app.get(RolloutsService);
  const lane = () => hub.app.get(CatchupLane);

  const createApp = (name: string, selector: string, extra: Record<string, unknown> = {}) =>
    createSyncedApp(hub, git.url('fleet'), name, selector, extra);
  const finished = (id: string, state: RolloutRecord['state'] = 'Succeeded') => rolloutIn(hub, id, state);

  async function catchups(application: string): Promise<RolloutRecord[]> {
    const list = await rollouts().list({ application, first: 100 });
    return list.rollouts.filter((r) => r.kind === 'catchup');
  }

  /** Names of the clusters every catch-up of the application took, sorted. */
  async function catchupMembers(application: string): Promise<string[]> {
    const names = [];
    for (const r of await catchups(application)) {
      names.push(...(await rollouts().detail(r.id)).clusters.map((c) => c.name));
    }
    return names.sort();
  }

  /** The catch-up that took `clusterName`, once there is one. */
  async function catchupOf(application: string, clusterName: string): Promise<string> {
    return waitFor(
      async () => {
        for (const r of await catchups(application)) {
          const detail = await rollouts().detail(r.id);
          if (detail.clusters.some((c) => c.name === clusterName)) return r.id;
        }
        return undefined;
      },
      { timeoutMs: 30_000, description: `a catch-up of ${clusterName}` },
    );
  }

  /** A rollout of `commit` over the current placement, run to Succeeded by healthy agents. */
  async function settle(application: string, commit: string): Promise<RolloutRecord> {
    const started = await rollouts().start(ADMIN, application, commit);
    return finished(started.id);
  }

  /** After every pending sweep, one more: what the lane decides on the state as it is now. */
  async function sweepNow(): Promise<string[]> {
    await lane().idle();
    return lane().sweep();
  }

  it('a cluster registering after the rollout Succeeded runs the settled revision, with no new commit', async () => {
    const commit = await createApp('web', 'env=prod');
    const first = await registerCluster(hub, 'prod-1', { env: 'prod', region: 'eu' });
    simulate(first);
    const settled = await settle('web', commit);
    const original = await rollouts().detail(settled.id);

    const joiner = await registerCluster(hub, 'prod-2', { env: 'prod', region: 'eu' });
    const agent = simulate(joiner);
    const catchupId = await catchupOf('web', 'prod-2');
    const catchup = await finished(catchupId);
    expect(catchup).toMatchObject({ kind: 'catchup', commit, applicationName: 'web' });

    // The agent was told the settled commit, with the bundle rendered for its labels (the same
    // labels as prod-1's, so the same digest as prod-1 got from the rollout).
    const digest = original.clusters.find((c) => c.name === 'prod-1')!.targetDigest!;
    const assignment = agent.received.at(-1)!.assignments.find((a) => a.application === 'web');
    expect(assignment).toMatchObject({ commit, digest });
    expect(agent.digestsSeen('web')).toEqual([digest]);
    const detail = await rollouts().detail(catchupId);
    expect(detail.clusters.map((c) => [c.name, c.phase, c.targetDigest])).toEqual([
      ['prod-2', 'Healthy', digest],
    ]);
    // The rollout that settled the revision is untouched, and no other rollout started.
    expect((await rollouts().get(settled.id)).state).toBe('Succeeded');
    expect((await rollouts().list({ application: 'web' })).rollouts.map((r) => r.kind).sort()).toEqual([
      'catchup',
      'rollout',
    ]);
    // Caught up: the lane has nothing more to do.
    expect(await sweepNow()).toEqual([]);
  });

  it('a cluster relabelled into the target is caught up; a cordoned one only once uncordoned', async () => {
    const commit = await createApp('web', 'env=prod');
    simulate(await registerCluster(hub, 'prod-1', { env: 'prod', region: 'us' }));
    await settle('web', commit);
    const clusters = hub.app.get(ClustersService);

    const moved = await registerCluster(hub, 'moved', { env: 'staging', region: 'us' });
    const cordoned = await registerCluster(hub, 'cordoned', { env: 'staging', region: 'us' });
    simulate(moved);
    simulate(cordoned);
    await clusters.setCordoned(ADMIN, 'cordoned', true);
    // Heard from (a Pending cluster would wait anyway, and the checks below would prove nothing).
    for (const name of ['moved', 'cordoned']) {
      await waitFor(async () => (await clusters.findByName(name))?.status === 'Ready' || undefined, {
        timeoutMs: 30_000,
        description: `${name} Ready`,
      });
    }
    expect(await sweepNow()).toEqual([]); // staging clusters are outside the target

    await clusters.setLabels(ADMIN, 'cordoned', { env: 'prod' });
    expect(await sweepNow()).toEqual([]); // in the target, but cordoned: not placed
    await clusters.setLabels(ADMIN, 'moved', { env: 'prod' });
    await finished(await catchupOf('web', 'moved'));
    expect(await sweepNow()).toEqual([]);
    expect(await catchupMembers('web')).toEqual(['moved']);
    const cordonedId = cordoned.clusterId;
    expect(await assignedCommit(cordonedId, 'web')).toBeNull();

    await clusters.setCordoned(ADMIN, 'cordoned', false);
    await finished(await catchupOf('web', 'cordoned'));
    expect(await assignedCommit(cordonedId, 'web')).toBe(commit);
  });

  it('never catches up to a vetoed settled commit; unvetoed, it does', async () => {
    const commit = await createApp('web', 'env=prod');
    simulate(await registerCluster(hub, 'prod-1', { env: 'prod', region: 'eu' }));
    await settle('web', commit);
    const vetoes = hub.app.get(RevisionVetoesService);
    await vetoes.veto(ADMIN, 'web', commit, 'leaks memory under load');

    const late = await registerCluster(hub, 'late', { env: 'prod', region: 'eu' });
    simulate(late);
    await waitFor(
      async () => (await hub.app.get(ClustersService).findByName('late'))?.status === 'Ready' || undefined,
      { timeoutMs: 30_000, description: 'late Ready' },
    );
    expect(await sweepNow()).toEqual([]);
    expect(await catchups('web')).toEqual([]);
    expect(await assignedCommit(late.clusterId, 'web')).toBeNull();

    await vetoes.unveto(ADMIN, 'web', commit);
    await finished(await catchupOf('web', 'late'));
    expect(await assignedCommit(late.clusterId, 'web')).toBe(commit);
  });

  it('a cluster failing its catch-up shows the failure and rolls nothing back', async () => {
    const commit = await createApp('web', 'env=prod', { plan: { autoRollback: true } });
    simulate(await registerCluster(hub, 'prod-1', { env: 'prod', region: 'eu' }));
    const settled = await settle('web', commit);

    simulate(await registerCluster(hub, 'broken', { env: 'prod', region: 'eu' }), () => ({
      phase: 'Failed',
    }));
    const catchupId = await catchupOf('web', 'broken');
    // Failed (it did not bring the cluster to the revision), and why; never a rollback.
    const catchup = await finished(catchupId, 'Failed');
    expect(catchup.message).toMatch(/1 cluster\(s\) did not take the settled revision/);
    expect(catchup.rolledBackBy).toBeNull();
    const detail = await rollouts().detail(catchupId);
    expect(detail.clusters.map((c) => [c.name, c.phase])).toEqual([['broken', 'Failed']]);
    expect(detail.clusters[0]!.failing.length).toBeGreaterThan(0);
    // The fleet stays where it was: the settling rollout Succeeded, no rollback, no second try.
    await expect(rollouts().rollback(ADMIN, catchupId)).rejects.toThrow(/never rolled back/);
    expect(await sweepNow()).toEqual([]);
    expect((await rollouts().get(settled.id)).state).toBe('Succeeded');
    expect((await rollouts().list({ application: 'web' })).rollouts.map((r) => r.kind).sort()).toEqual([
      'catchup',
      'rollout',
    ]);
  });

  it('join policy during a rollout: settled catches up to the settled revision, wave joins the waves', async () => {
    // Wave `early` (ring=early), then `late` (the rest), which needs approval: the second rollout
    // stays in progress, `early` passed and `late` not started, until the test approves it.
    const plan = {
      waves: [
        { name: 'early', selector: 'ring=early' },
        { name: 'late', selector: '', requireApproval: true },
      ],
    };
    const v1 = await createApp('settled-app', 'env=prod', { plan, joinPolicy: 'settled' });
    expect(await createApp('wave-app', 'env=prod', { plan })).toBe(v1);
    simulate(await registerCluster(hub, 'prod-early', { env: 'prod', region: 'eu', ring: 'early' }));
    simulate(await registerCluster(hub, 'prod-late', { env: 'prod', region: 'eu' }));
    async function awaitingLate(app: string, commit: string): Promise<RolloutRecord> {
      const started = await rollouts().start(ADMIN, app, commit);
      return waitFor(
        async () => {
          const r = await rollouts().get(started.id);
          return r.state === 'AwaitingApproval' && r.currentWave === 1 ? r : undefined;
        },
        { timeoutMs: 30_000, description: `${app}: wave early done, late awaiting approval` },
      );
    }
    for (const app of ['settled-app', 'wave-app']) {
      const r = await awaitingLate(app, v1);
      await rollouts().approveWave(ADMIN, r.id);
      await finished(r.id);
    }

    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '2.0' }) }, 'web 2.0');
    const syncs = hub.app.get(GitSyncService);
    const apps = hub.app.get(ApplicationsService);
    const v2 = (await syncs.sync((await apps.findByName('settled-app'))!)).commit!;
    expect((await syncs.sync((await apps.findByName('wave-app'))!)).commit).toBe(v2);
    const [settledRun, waveRun] = [await awaitingLate('settled-app', v2), await awaitingLate('wave-app', v2)];

    const early = simulate(
      await registerCluster(hub, 'join-early', { env: 'prod', region: 'eu', ring: 'early' }),
    );
    const late = simulate(await registerCluster(hub, 'join-late', { env: 'prod', region: 'eu' }));

    // settled: the settled revision (v1) now, while v2's rollout waits; the rollout is left as it is.
    for (const name of ['join-early', 'join-late']) {
      expect((await finished(await catchupOf('settled-app', name))).commit).toBe(v1);
    }
    expect(early.reported('settled-app')?.commit).toBe(v1);
    expect(late.reported('settled-app')?.commit).toBe(v1);
    expect((await rollouts().detail(settledRun.id)).clusters.map((c) => c.name)).toEqual([
      'prod-early',
      'prod-late',
    ]);

    // wave: join-early joins the passed wave `early` and is assigned v2 at once; join-late joins
    // `late`, which has not started, and waits for its approval like its peers.
    const joined = await waitFor(
      async () => {
        const detail = await rollouts().detail(waveRun.id);
        const byName = new Map(detail.clusters.map((c) => [c.name, c]));
        return byName.get('join-early')?.phase === 'Healthy' && byName.has('join-late') ? byName : undefined;
      },
      { timeoutMs: 30_000, description: 'the joiners in the running rollout, join-early Healthy' },
    );
    expect(joined.get('join-early')).toMatchObject({ wave: 'early', targetCommit: v2 });
    expect(joined.get('join-late')).toMatchObject({ wave: 'late', phase: 'Pending', targetCommit: v2 });
    expect(joined.get('join-late')!.blocking?.kind).toBe('approval');
    expect(early.reported('wave-app')?.commit).toBe(v2);
    expect(await assignedCommit(late.clusterId, 'wave-app')).toBeNull();
    expect((await rollouts().get(waveRun.id)).state).toBe('AwaitingApproval');

    await rollouts().approveWave(ADMIN, waveRun.id);
    await finished(waveRun.id);
    expect(await assignedCommit(late.clusterId, 'wave-app')).toBe(v2);
    expect(await catchups('wave-app')).toEqual([]);
    expect(await sweepNow()).toEqual([]);
  });

  describe('label and values changes go through the plan (reconfigure)', () => {
    const apps = () => hub.app.get(ApplicationsService);
    const clusters = () => hub.app.get(ClustersService);

    /** `web` over env=prod, synced, rolled out to Succeeded over two tier=a clusters: the settled commit. */
    async function settledFleet(
      syncPolicy: 'auto' | 'manual',
      options: { autoRollback?: boolean; behaviour?: SimBehaviour } = {},
    ) {
      await apps().create(ADMIN, {
        name: 'web',
        repoUrl: git.url('tiered'),
        ref: 'main',
        path: 'deploy',
        syncPolicy: 'manual',
        targetSelector: 'env=prod',
        valuesRules: VALUES,
        plan: {
          waves: [{ name: 'canary', selector: 'canary=yes' }],
          rest: { maxConcurrency: '100%' },
          autoRollback: options.autoRollback ?? false,
        },
      });
      const outcome = await hub.app.get(GitSyncService).sync((await apps().findByName('web'))!);
      const commit = outcome.commit!;
      const labels = { env: 'prod', region: 'eu', tier: 'a' };
      const one = simulate(await registerCluster(hub, 'prod-1', labels), options.behaviour);
      const two = simulate(await registerCluster(hub, 'prod-2', labels), options.behaviour);
      const settled = await finished((await rollouts().start(ADMIN, 'web', commit)).id);
      // Only now the policy under test: a later sync would start nothing new anyway (same commit).
      await apps().update(ADMIN, 'web', { syncPolicy });
      await lane().idle();
      return { commit, settled, one, two };
    }

    async function reconfigures(): Promise<RolloutRecord[]> {
      return (await rollouts().list({ application: 'web', first: 100 })).rollouts.filter(
        (r) => r.kind === 'reconfigure',
      );
    }

    async function theReconfigure(): Promise<RolloutRecord> {
      return waitFor(async () => (await reconfigures())[0], {
        timeoutMs: 30_000,
        description: 'a reconfigure',
      });
    }

    it('a relabel that changes a bundle rolls the settled commit out to just that cluster, as whoever relabelled it', async () => {
      const { commit, one, two } = await settledFleet('auto');
      const [oneBefore] = one.digestsSeen('web');

      // A label no template reads: the bundle is the same, nothing starts.
      await clusters().setLabels(ADA, 'prod-1', { team: 'checkout' });
      await lane().idle();
      expect(await lane().sweep()).toEqual([]);
      expect(await reconfigures()).toEqual([]);

      // tier=b: prod-2's replicas go from 2 to 1, through the plan (its rest wave), by user:ada.
      await clusters().setLabels(ADA, 'prod-2', { tier: 'b' });
      const reconfigure = await finished((await theReconfigure()).id);
      expect(reconfigure).toMatchObject({ kind: 'reconfigure', commit, createdBy: 'user:ada' });
      const detail = await rollouts().detail(reconfigure.id);
      expect(detail.clusters.map((c) => [c.name, c.wave, c.phase])).toEqual([['prod-2', 'rest', 'Healthy']]);
      expect(detail.waves.map((w) => w.name)).toEqual(['canary', 'rest']);
      const twoDigests = two.digestsSeen('web');
      expect(twoDigests).toHaveLength(2);
      expect(twoDigests[1]).toBe(detail.clusters[0]!.targetDigest);
      expect(one.digestsSeen('web')).toEqual([oneBefore]);
      // Done: nothing more to reconfigure.
      expect(await lane().sweep()).toEqual([]);
      expect(await reconfigures()).toHaveLength(1);
    });

    it('a values edit reconfigures the clusters whose bundle it changes, as whoever edited', async () => {
      const { commit } = await settledFleet('auto');
      await clusters().setLabels(ADMIN, 'prod-2', { tier: 'b' });
      await finished((await theReconfigure()).id);

      await apps().update(ADA, 'web', {
        valuesRules: [{ selector: 'tier=a', values: { replicas: 5 } }, VALUES[1]!],
      });
      const edited = await waitFor(
        async () => (await reconfigures()).find((r) => r.createdBy === 'user:ada'),
        {
          timeoutMs: 30_000,
          description: 'the values edit reconfigure',
        },
      );
      await finished(edited.id);
      expect(edited.commit).toBe(commit);
      expect((await rollouts().detail(edited.id)).clusters.map((c) => c.name)).toEqual(['prod-1']);
    });

    it('a failing reconfigure rolls its clusters back to their bundles and never vetoes the settled commit', async () => {
      // Each cluster is Healthy on the first bundle it gets and Failed on any other.
      const first = new Map<string, string>();
      const { commit, two } = await settledFleet('auto', {
        autoRollback: true,
        behaviour: (assignment, cluster) => {
          if (!first.has(cluster.clusterId)) first.set(cluster.clusterId, assignment.digest);
          return { phase: first.get(cluster.clusterId) === assignment.digest ? 'Healthy' : 'Failed' };
        },
      });
      const original = first.get(two.clusterId)!;

      await clusters().setLabels(ADA, 'prod-2', { tier: 'b' });
      const reconfigure = await finished((await theReconfigure()).id, 'RolledBack');
      expect(reconfigure.createdBy).toBe('user:ada');
      await waitFor(async () => (two.reported('web')?.digest === original ? true : undefined), {
        timeoutMs: 30_000,
        description: 'prod-2 back on its bundle',
      });
      const app = (await apps().findByName('web'))!;
      expect(await hub.app.get(RevisionVetoesRepository).find(app.id, commit)).toBeNull();
    });

    it('a manual-sync application shows how many clusters are out of sync instead, until a rollout applies it', async () => {
      const { commit } = await settledFleet('manual');
      await clusters().setLabels(ADA, 'prod-1', { tier: 'b' });
      await clusters().setLabels(ADA, 'prod-2', { tier: 'b' });
      await waitFor(async () => (await apps().findByName('web'))!.outOfSyncClusters === 2 || undefined, {
        timeoutMs: 30_000,
        description: 'web 2 clusters out of sync',
      });
      expect(await reconfigures()).toEqual([]);

      await finished((await rollouts().start(ADMIN, 'web', commit)).id);
      await waitFor(async () => (await apps().findByName('web'))!.outOfSyncClusters === 0 || undefined, {
        timeoutMs: 30_000,
        description: 'web in sync after the rollout',
      });
    });
  });

  async function assignedCommit(clusterId: string, application: string): Promise<string | null> {
    const rows = await hub.app.get(Transactions).manager.query<{ commit: string }[]>(
      `SELECT ca.commit FROM cluster_assignment ca JOIN application a ON a.id = ca.application_id
        WHERE ca.cluster_id = $1 AND a.name = $2`,
      [clusterId, application],
    );
    return rows[0]?.commit ?? null;
  }
});
