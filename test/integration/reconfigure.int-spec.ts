import { type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { CatchupLane } from '../../services/hub/src/rollouts/catchup-lane.js';
import { type RolloutRecord } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { type SimAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { simAgentOf } from './support/sim-agents.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };
const ADA = { name: 'user:ada', role: 'operator' as const };

/** Replicas by tier: the bundle of a cluster changes when its tier label or the rules do. */
const VALUES = [
  { selector: 'tier=a', values: { replicas: 2 } },
  { selector: '', values: { replicas: 1 } },
];

describe('label and values changes go through the plan (real Postgres, Kafka, git)', () => {
  let git: TempGitServer;
  let repo: LocalRepo;
  let producer: Producer;
  let hub: TestHub;
  const agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-reconfigure-it-');
    repo = await createRepo(git.root, 'fleet');
    await repo.commit(
      { 'deploy/web.yaml': webDeployment({ replicas: '${values.replicas}', tag: '1.0' }) },
      'web',
    );
    producer = await connectReportProducer(kafkaBrokers(), 'it-reconfigure');
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

  function simulate(identity: RegisterResponse): SimAgent {
    const agent = simAgentOf(hub, identity, producer);
    agent.start();
    agents.push(agent);
    return agent;
  }

  const rollouts = () => hub.app.get(RolloutsService);
  const apps = () => hub.app.get(ApplicationsService);
  const clusters = () => hub.app.get(ClustersService);

  /** `web` over env=prod, synced, rolled out to Succeeded over two tier=a clusters: the settled commit. */
  async function settledFleet(syncPolicy: 'auto' | 'manual') {
    await apps().create(ADMIN, {
      name: 'web',
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      targetSelector: 'env=prod',
      valuesRules: VALUES,
      plan: { waves: [{ name: 'canary', selector: 'canary=yes' }], rest: { maxConcurrency: '100%' } },
    });
    const outcome = await hub.app.get(GitSyncService).sync((await apps().findByName('web'))!);
    const commit = outcome.commit!;
    const one = simulate(await registerCluster(hub, 'prod-1', { env: 'prod', region: 'eu', tier: 'a' }));
    const two = simulate(await registerCluster(hub, 'prod-2', { env: 'prod', region: 'eu', tier: 'a' }));
    const settled = await finished((await rollouts().start(ADMIN, 'web', commit)).id);
    // Only now the policy under test: a later sync would start nothing new anyway (same commit).
    await apps().update(ADMIN, 'web', { syncPolicy });
    await lane().idle();
    return { commit, settled, one, two };
  }

  const lane = () => hub.app.get(CatchupLane);

  async function finished(id: string): Promise<RolloutRecord> {
    return waitFor(
      async () => {
        const r = await rollouts().get(id);
        return r.state === 'Succeeded' ? r : undefined;
      },
      { timeoutMs: 30_000, description: `rollout ${id} Succeeded` },
    );
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
    const edited = await waitFor(async () => (await reconfigures()).find((r) => r.createdBy === 'user:ada'), {
      timeoutMs: 30_000,
      description: 'the values edit reconfigure',
    });
    await finished(edited.id);
    expect(edited.commit).toBe(commit);
    expect((await rollouts().detail(edited.id)).clusters.map((c) => c.name)).toEqual(['prod-1']);
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
