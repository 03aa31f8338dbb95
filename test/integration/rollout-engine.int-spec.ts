import { type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { type HubConfig } from '../../services/hub/src/config/hub-config.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { SimAgent, type SimBehaviour } from '../harness/sim-agent.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };

/** Replicas from the values rules, so prod and staging clusters render different bundles. */
const deployment = (tag: string) => webDeployment({ replicas: '${values.replicas}', tag });

describe('rollout engine with real Postgres, Kafka, git and hub replicas', () => {
  let git: TempGitServer;
  let repo: LocalRepo;
  let producer: Producer;
  const hubs: TestHub[] = [];
  const agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-git-it-');
    repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': deployment('1.0') }, 'web 1.0');
    producer = await connectReportProducer(kafkaBrokers(), 'it-engine');
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await Promise.all(hubs.splice(0).map((h) => h.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await git?.stop();
  });

  async function hub(config?: HubConfig): Promise<TestHub> {
    const started = await startTestHub(config);
    hubs.push(started);
    return started;
  }

  async function fleet(
    target: TestHub,
    clusters: { name: string; labels: Record<string, string> }[],
  ): Promise<RegisterResponse[]> {
    const out: RegisterResponse[] = [];
    for (const c of clusters) out.push(await registerCluster(target, c.name, c.labels));
    return out;
  }

  function simulate(target: TestHub, identities: RegisterResponse[], behaviour?: SimBehaviour): SimAgent[] {
    const started = identities.map(
      (identity) =>
        new SimAgent({ hubUrl: target.url, identity, reports: producerSink(producer), behaviour }),
    );
    for (const agent of started) agent.start();
    agents.push(...started);
    return started;
  }

  async function createApp(target: TestHub, plan: unknown, name = 'web') {
    await target.app.get(ApplicationsService).create(ADMIN, {
      name,
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      valuesRules: [
        { selector: 'env=prod', values: { replicas: 3, tag: '1.0' } },
        { selector: '', values: { replicas: 1, tag: '1.0' } },
      ],
      plan,
    });
    const app = (await target.app.get(ApplicationsService).findByName(name))!;
    const outcome = await target.app.get(GitSyncService).sync(app);
    expect(outcome.error).toBeNull();
    return outcome.commit!;
  }

  /** Each cluster's assignment generation (how often it was pointed at a new bundle), in the given order. */
  async function generations(target: TestHub, identities: RegisterResponse[]): Promise<number[]> {
    const ids = identities.map((i) => i.clusterId);
    const rows = await target.app
      .get(Transactions)
      .manager.query<{ id: string; assignment_generation: string }[]>(
        `SELECT id, assignment_generation FROM cluster WHERE id = ANY($1::uuid[])`,
        [ids],
      );
    const byId = new Map(rows.map((r) => [r.id, Number(r.assignment_generation)]));
    return ids.map((id) => byId.get(id)!);
  }

  it('walks the waves in order, assigning each cluster once, to Succeeded', async () => {
    const a = await hub();
    const identities = await fleet(a, [
      { name: 'stg-eu', labels: { env: 'staging', region: 'eu' } },
      { name: 'stg-us', labels: { env: 'staging', region: 'us' } },
      { name: 'prod-eu', labels: { env: 'prod', region: 'eu' } },
      { name: 'prod-us', labels: { env: 'prod', region: 'us' } },
    ]);
    const commit = await createApp(a, {
      waves: [
        { name: 'canary', selector: 'env=staging,region=eu' },
        { name: 'staging', selector: 'env=staging' },
        { name: 'prod', selector: 'env=prod', maxConcurrency: 2 },
      ],
    });
    const sims = simulate(a, identities);
    const rollout = await a.app.get(RolloutsService).start(ADMIN, 'web', commit);
    const done = await waitFor(
      async () => {
        const r = await a.app.get(RolloutsService).get(rollout.id);
        return r.state === 'Succeeded' ? r : undefined;
      },
      { timeoutMs: 30_000, description: 'rollout Succeeded' },
    );
    expect(done.currentWave).toBe(3); // canary, staging, prod, then the empty implicit `rest`
    const detail = await a.app.get(RolloutsService).detail(rollout.id);
    const healthyAt = detail.waves.map((w) => w.healthyAt?.getTime() ?? Infinity);
    for (const cluster of detail.clusters) {
      expect(cluster.phase).toBe('Healthy');
      const wave = detail.waves.findIndex((w) => w.name === cluster.wave);
      // Never assigned before the previous wave was done.
      if (wave > 0) expect(cluster.assignedAt!.getTime()).toBeGreaterThanOrEqual(healthyAt[wave - 1]!);
    }
    // Each cluster was pointed at its bundle exactly once, and got the values of its rule.
    expect(await generations(a, identities)).toEqual([1, 1, 1, 1]);
    for (const sim of sims) expect(sim.digestsSeen('web')).toHaveLength(1);
    const digests = new Set(detail.clusters.map((c) => c.targetDigest));
    expect(digests.size).toBe(4); // region label and replicas differ per cluster
  });

  it('resumes exactly where it was after the hub restarts in the middle of a wave', async () => {
    const config = await testHubConfig();
    const first = await hub(config);
    const identities = await fleet(first, [
      { name: 'a-1', labels: { env: 'staging', region: 'eu' } },
      { name: 'a-2', labels: { env: 'staging', region: 'eu' } },
      { name: 'a-3', labels: { env: 'staging', region: 'eu' } },
    ]);
    const commit = await createApp(first, {
      waves: [{ name: 'staging', selector: 'env=staging', maxConcurrency: 1 }],
    });
    const rollout = await first.app.get(RolloutsService).start(ADMIN, 'web', commit);
    // a-1 is assigned, nobody reports: the wave waits with one cluster in flight.
    await waitFor(async () => (await generations(first, [identities[0]!]))[0] === 1, {
      timeoutMs: 10_000,
      description: 'first cluster assigned',
    });
    const before = await first.app.get(RolloutsService).detail(rollout.id);
    expect(before.clusters.map((c) => c.phase)).toEqual(['Assigned', 'Pending', 'Pending']);
    await first.close();
    hubs.splice(hubs.indexOf(first), 1);

    const second = await hub(config);
    const after = await second.app.get(RolloutsService).detail(rollout.id);
    expect(after.clusters.map((c) => c.phase)).toEqual(['Assigned', 'Pending', 'Pending']);
    expect(after.clusters[0]!.assignedAt).toEqual(before.clusters[0]!.assignedAt);
    simulate(second, identities);
    await waitFor(async () => (await second.app.get(RolloutsService).get(rollout.id)).state === 'Succeeded', {
      timeoutMs: 30_000,
      description: 'rollout Succeeded after the restart',
    });
    expect(await generations(second, identities)).toEqual([1, 1, 1]);
  });

  it('never assigns a cluster twice or breaks concurrency with two hub replicas at once', async () => {
    const config = await testHubConfig();
    const [one, two] = [await hub(config), await hub(config)];
    const clusters = Array.from({ length: 12 }, (_, i) => ({
      name: `r-${String(i).padStart(2, '0')}`,
      labels: { env: i < 4 ? 'staging' : 'prod', region: i % 2 ? 'eu' : 'us' },
    }));
    const identities = await fleet(one, clusters);
    const commit = await createApp(one, {
      waves: [
        { name: 'staging', selector: 'env=staging', maxConcurrency: 2 },
        { name: 'prod', selector: 'env=prod', maxConcurrency: '50%' },
      ],
    });
    // Half the agents talk to each replica; reports are ingested by whichever owns the partition.
    simulate(one, identities.slice(0, 6), () => ({ phase: 'Healthy', delayMs: 50 }));
    simulate(two, identities.slice(6), () => ({ phase: 'Healthy', delayMs: 50 }));
    const rollout = await two.app.get(RolloutsService).start(ADMIN, 'web', commit);
    await waitFor(async () => (await one.app.get(RolloutsService).get(rollout.id)).state === 'Succeeded', {
      timeoutMs: 60_000,
      description: 'rollout Succeeded on two replicas',
    });
    expect(await generations(one, identities)).toEqual(Array(12).fill(1));
    const detail = await one.app.get(RolloutsService).detail(rollout.id);
    // At no moment more in flight than allowed: each cluster's [assignedAt, healthy report) interval.
    const prod = detail.clusters.filter((c) => c.wave === 'prod');
    for (const c of prod) {
      const overlapping = prod.filter(
        (o) => o.assignedAt! <= c.assignedAt! && o.reportedAt! > c.assignedAt! && o.clusterId !== c.clusterId,
      );
      expect(overlapping.length).toBeLessThan(4);
    }
  });

  it('fails a broken commit in the canary wave and rolls the changed clusters back by itself', async () => {
    const a = await hub();
    const identities = await fleet(a, [
      { name: 'c-canary', labels: { env: 'staging', region: 'eu' } },
      { name: 'c-stg', labels: { env: 'staging', region: 'us' } },
      { name: 'c-prod', labels: { env: 'prod', region: 'eu' } },
    ]);
    const good = await createApp(a, {
      waves: [
        { name: 'canary', selector: 'env=staging,region=eu', progressDeadlineSeconds: 30 },
        { name: 'staging', selector: 'env=staging' },
        { name: 'prod', selector: 'env=prod' },
      ],
      autoRollback: true,
    });
    let broken = '';
    const sims = simulate(a, identities, (assignment) => ({
      phase: assignment.commit === broken ? 'Failed' : 'Healthy',
    }));
    const service = a.app.get(RolloutsService);
    const first = await service.start(ADMIN, 'web', good);
    await waitFor(async () => (await service.get(first.id)).state === 'Succeeded', {
      timeoutMs: 30_000,
      description: 'the good commit rolled out',
    });

    broken = await repo.commit({ 'deploy/web.yaml': deployment('does-not-exist') }, 'break it');
    const app = (await a.app.get(ApplicationsService).findByName('web'))!;
    expect((await a.app.get(GitSyncService).sync(app)).commit).toBe(broken);
    const bad = await service.start(ADMIN, 'web', broken);
    const failed = await waitFor(
      async () => {
        const r = await service.get(bad.id);
        return r.state === 'Failed' && r.rolledBackBy !== null ? r : undefined;
      },
      { timeoutMs: 30_000, description: 'broken rollout Failed with a rollback' },
    );
    expect(failed.message).toBe('wave canary: 1/1 failed, budget 0');
    const rollback = await waitFor(
      async () => {
        const r = await service.get(failed.rolledBackBy!);
        return r.state === 'Succeeded' ? r : undefined;
      },
      { timeoutMs: 30_000, description: 'rollback Succeeded' },
    );
    expect(rollback).toMatchObject({ kind: 'rollback', rollbackOf: bad.id, commit: good });
    expect((await service.get(bad.id)).state).toBe('RolledBack');
    const detail = await service.detail(first.id);
    const goodDigest = new Map(detail.clusters.map((c) => [c.name, c.targetDigest]));
    // The canary went to the broken bundle and back; the later waves never saw it.
    const [canary, staging, prod] = sims;
    expect(canary!.digestsSeen('web')).toHaveLength(3);
    expect(canary!.digestsSeen('web').at(-1)).toBe(goodDigest.get('c-canary'));
    expect(staging!.digestsSeen('web')).toEqual([goodDigest.get('c-stg')]);
    expect(prod!.digestsSeen('web')).toEqual([goodDigest.get('c-prod')]);
  });

  it('never assigns a cluster cordoned while its wave waits, and says why', async () => {
    const a = await hub();
    const identities = await fleet(a, [
      { name: 'k-1', labels: { env: 'staging', region: 'eu' } },
      { name: 'k-2', labels: { env: 'staging', region: 'eu' } },
      { name: 'k-3', labels: { env: 'staging', region: 'eu' } },
    ]);
    const commit = await createApp(a, {
      waves: [{ name: 'one', selector: 'env=staging', maxConcurrency: 1 }],
    });
    const service = a.app.get(RolloutsService);
    const rollout = await service.start(ADMIN, 'web', commit);
    // k-1 is in flight and nobody reports yet: cordon k-3 while it is still Pending.
    await waitFor(async () => (await service.detail(rollout.id)).clusters[0]!.phase === 'Assigned', {
      description: 'k-1 assigned',
      timeoutMs: 10_000,
    });
    await a.app.get(ClustersService).setCordoned(ADMIN, 'k-3', true);
    simulate(a, identities);
    await waitFor(async () => (await service.get(rollout.id)).state === 'Succeeded', {
      timeoutMs: 30_000,
      description: 'rollout Succeeded without the cordoned cluster',
    });
    const detail = await service.detail(rollout.id);
    expect(detail.clusters.map((c) => [c.name, c.phase, c.blocking?.kind ?? null])).toEqual([
      ['k-1', 'Healthy', null],
      ['k-2', 'Healthy', null],
      ['k-3', 'Skipped', 'cordoned'],
    ]);
    expect(await generations(a, [identities[2]!])).toEqual([0]);
  });

  it('starts rollouts of many applications over the same clusters at once, all to Succeeded', async () => {
    // Concurrent starts and passes lock the same cluster rows (generation bumps, foreign keys of
    // new rollout_cluster and cluster_assignment rows, report ingestion); they used to deadlock.
    const a = await hub();
    const identities = await fleet(
      a,
      Array.from({ length: 24 }, (_, i) => ({
        name: `m-${i}`,
        labels: { env: i % 2 ? 'prod' : 'staging', region: 'eu' },
      })),
    );
    const apps = Array.from({ length: 12 }, (_, i) => `app-${i}`);
    const commits = new Map<string, string>();
    for (const name of apps) {
      commits.set(name, await createApp(a, { waves: [], rest: { maxConcurrency: '50%' } }, name));
    }
    simulate(a, identities);
    const rollouts = a.app.get(RolloutsService);
    const started = await Promise.all(apps.map((name) => rollouts.start(ADMIN, name, commits.get(name)!)));
    await waitFor(
      async () => {
        const states = await Promise.all(started.map(async (r) => (await rollouts.get(r.id)).state));
        return states.every((s) => s === 'Succeeded');
      },
      { timeoutMs: 60_000, description: 'every rollout Succeeded' },
    );
    const bumps = await generations(a, identities);
    // Each cluster was pointed at each application's bundle once (one bump each, or fewer when
    // passes of several rollouts shared one bump).
    for (const generation of bumps) {
      expect(generation).toBeGreaterThanOrEqual(1);
      expect(generation).toBeLessThanOrEqual(apps.length);
    }
  });
});
