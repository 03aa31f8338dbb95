import { type Assignment, type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ApplicationsRepository } from '../../services/hub/src/applications/applications.repository.js';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { type RolloutRecord } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { GarbageCollector, GC_LOCK_KEY } from '../../services/hub/src/storage/garbage-collector.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { type SimAgent, type SimBehaviour } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';
import { simAgentOf } from './support/sim-agents.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };
const DAY_MS = 86_400_000;

describe('garbage collection of bundles and artifacts (real Postgres, Kafka, git)', () => {
  let git: TempGitServer;
  let producer: Producer;
  let hub: TestHub;
  let repos = 0;
  const agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-gc-it-');
    producer = await connectReportProducer(kafkaBrokers(), 'it-gc');
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await hub?.close().catch(() => undefined);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await git?.stop();
  });

  function simulate(identity: RegisterResponse, behaviour?: SimBehaviour): SimAgent {
    const agent = simAgentOf(hub, identity, producer, { behaviour });
    agent.start();
    agents.push(agent);
    return agent;
  }

  const rollouts = () => hub.app.get(RolloutsService);
  const gc = () => hub.app.get(GarbageCollector);
  const sql = <T>(text: string, params: unknown[] = []) => hub.app.get(DataSource).query<T>(text, params);

  /** A repository of its own with the web Deployment at `tag`. */
  async function newRepo(tag: string): Promise<LocalRepo> {
    const repo = await createRepo(git.root, `fleet-${++repos}`);
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag }) }, `web ${tag}`);
    return repo;
  }

  async function createApp(name: string, repo: LocalRepo, extra: Record<string, unknown> = {}) {
    await hub.app.get(ApplicationsService).create(ADMIN, {
      name,
      repoUrl: git.url(repo.name),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      targetSelector: 'env=prod',
      ...extra,
    });
    return sync(name);
  }

  async function sync(name: string): Promise<string> {
    const app = (await hub.app.get(ApplicationsService).findByName(name))!;
    const outcome = await hub.app.get(GitSyncService).sync(app);
    expect(outcome.error).toBeNull();
    return outcome.commit!;
  }

  /** Commits the web Deployment at `tag` and syncs: the new commit. */
  async function push(name: string, repo: LocalRepo, tag: string): Promise<string> {
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag }) }, `web ${tag}`);
    return sync(name);
  }

  async function reaches(id: string, state: RolloutRecord['state']): Promise<RolloutRecord> {
    return waitFor(
      async () => {
        const r = await rollouts().get(id);
        return r.state === state ? r : undefined;
      },
      { timeoutMs: 30_000, description: `rollout ${id} ${state}` },
    );
  }

  async function settle(application: string, commit: string): Promise<RolloutRecord> {
    return reaches((await rollouts().start(ADMIN, application, commit)).id, 'Succeeded');
  }

  /** The one cluster's target digest in a rollout. */
  async function digestOf(rolloutId: string): Promise<string> {
    return (await rollouts().detail(rolloutId)).clusters[0]!.targetDigest!;
  }

  async function artifactOf(application: string, commit: string): Promise<string> {
    const app = (await hub.app.get(ApplicationsService).findByName(application))!;
    return (await hub.app.get(ApplicationsRepository).findRevision(app.id, commit))!.artifactDigest!;
  }

  const storedBundles = async () =>
    (await sql<{ digest: string }[]>(`SELECT digest FROM bundle`)).map((r) => r.digest).sort();
  const storedArtifacts = async () =>
    (await sql<{ digest: string }[]>(`SELECT digest FROM artifact`)).map((r) => r.digest).sort();

  it('keeps what placements, a running rollout and the settled and newest revisions need; collects the rest after retention', async () => {
    hub = await startTestHub();
    let stuckCommit: string | null = null;
    const cluster = await registerCluster(hub, 'prod-1', { env: 'prod', region: 'eu' });
    simulate(cluster, (a: Assignment) => ({ phase: a.commit === stuckCommit ? 'Progressing' : 'Healthy' }));

    // web: 1.0 then 1.1 rolled out (1.1 settled and assigned), 1.2 fetched and never rolled out.
    const webRepo = await newRepo('1.0');
    const web1 = await createApp('web', webRepo);
    const web1Rollout = await settle('web', web1);
    const web2 = await push('web', webRepo, '1.1');
    const web2Rollout = await settle('web', web2);
    const web3 = await push('web', webRepo, '1.2');
    // api: 1.0 settled; 2.0 rolling out (stuck Progressing); 3.0 fetched.
    const apiRepo = await newRepo('2.0');
    const api1 = await createApp('api', apiRepo);
    const api1Rollout = await settle('api', api1);
    const api2 = await push('api', apiRepo, '2.1');
    const api3 = await push('api', apiRepo, '2.2');
    stuckCommit = api2;
    const running = await rollouts().start(ADMIN, 'api', api2);
    await waitFor(
      async () => (await rollouts().detail(running.id)).clusters[0]!.phase === 'Progressing' || undefined,
      { timeoutMs: 30_000, description: 'api 2.1 Progressing on prod-1' },
    );

    const bundles = {
      web1: await digestOf(web1Rollout.id),
      web2: await digestOf(web2Rollout.id),
      api1: await digestOf(api1Rollout.id),
      api2: await digestOf(running.id),
    };
    const artifacts = {
      web1: await artifactOf('web', web1),
      web2: await artifactOf('web', web2),
      web3: await artifactOf('web', web3),
      api1: await artifactOf('api', api1),
      api2: await artifactOf('api', api2),
      api3: await artifactOf('api', api3),
    };
    expect(await storedBundles()).toEqual(Object.values(bundles).sort());
    expect(await storedArtifacts()).toEqual(Object.values(artifacts).sort());

    // Within the retention period nothing goes, referenced or not.
    expect(await gc().collect()).toEqual({ bundle: { rows: 0, bytes: 0 }, artifact: { rows: 0, bytes: 0 } });
    // Another replica collecting: this one skips its turn.
    const other = await hub.app.get(DataSource).createQueryRunner();
    await other.connect();
    await other.query('SELECT pg_advisory_lock($1)', [GC_LOCK_KEY]);
    const later = new Date(Date.now() + 31 * DAY_MS);
    expect(await gc().collect(later)).toBeNull();
    await other.query('SELECT pg_advisory_unlock($1)', [GC_LOCK_KEY]);
    await other.release();
    expect(await storedBundles()).toHaveLength(4);

    // 31 days on: web 1.0 is referenced by nothing (its rollout and the one after it finished long
    // ago, no cluster runs it, it is neither settled nor newest): its bundle and artifact go.
    // api 1.0's bundle stays (the running rollout would roll prod-1 back to it), and so does api
    // 2.1's artifact (the running rollout's commit).
    const result = await gc().collect(later);
    expect(result).toEqual({
      bundle: { rows: 1, bytes: expect.any(Number) as number },
      artifact: { rows: 1, bytes: expect.any(Number) as number },
    });
    expect(await storedBundles()).toEqual([bundles.web2, bundles.api1, bundles.api2].sort());
    expect(await storedArtifacts()).toEqual(
      [artifacts.web2, artifacts.web3, artifacts.api1, artifacts.api2, artifacts.api3].sort(),
    );
    expect(await gc().collect(later)).toEqual({
      bundle: { rows: 0, bytes: 0 },
      artifact: { rows: 0, bytes: 0 },
    });
    const metrics = await hub.request('GET', '/metrics');
    expect(metrics.body).toMatch(/fleetwave_hub_gc_collected_total\{kind="bundle"\} 1\n/);
    expect(metrics.body).toMatch(/fleetwave_hub_gc_collected_total\{kind="artifact"\} 1\n/);

    // The revision's history stays, saying its source went; rolling it out says so, coded.
    const webApp = (await hub.app.get(ApplicationsService).findByName('web'))!;
    const collected = (await hub.app.get(ApplicationsRepository).findRevision(webApp.id, web1))!;
    expect(collected).toMatchObject({ artifactDigest: null, sourceCollectedAt: later, error: null });
    await expect(rollouts().start(ADMIN, 'web', web1)).rejects.toMatchObject({ code: 'GARBAGE_COLLECTED' });
    // A rollback to "what each cluster ran before" needs web 1.0's bundle, which went: refused, coded.
    await expect(rollouts().rollback(ADMIN, web2Rollout.id)).rejects.toMatchObject({
      code: 'GARBAGE_COLLECTED',
    });

    // Every bundle a cluster is assigned is still served to it, and cannot be deleted at all: the
    // assignment's foreign key refuses, whatever a collector's rule says.
    const assigned = await sql<{ digest: string }[]>(
      `SELECT digest FROM cluster_assignment WHERE cluster_id = $1 ORDER BY digest`,
      [cluster.clusterId],
    );
    expect(assigned.map((r) => r.digest)).toEqual([bundles.web2, bundles.api2].sort());
    for (const { digest } of assigned) {
      const served = await hub.request('GET', `/agent/v1/bundles/${digest}`, {
        headers: { authorization: `Bearer ${cluster.credential}` },
      });
      expect(served.status).toBe(200);
      await expect(sql(`DELETE FROM bundle WHERE digest = $1`, [digest])).rejects.toMatchObject({
        driverError: { code: '23503' },
      });
    }

    // The ref pointing at web 1.0 again (here: the commit itself), a sync reads its files again
    // from git, and it rolls out as before, to the same bundle.
    await hub.app.get(ApplicationsService).update(ADMIN, 'web', { ref: web1 });
    expect(await sync('web')).toBe(web1);
    expect((await hub.app.get(ApplicationsRepository).findRevision(webApp.id, web1))!).toMatchObject({
      artifactDigest: artifacts.web1,
      sourceCollectedAt: null,
    });
    const again = await settle('web', web1);
    expect(await digestOf(again.id)).toBe(bundles.web1);
  });

  it('collects nothing when switched off', async () => {
    hub = await startTestHub(await testHubConfig({ gc: { enabled: false } }));
    simulate(await registerCluster(hub, 'prod-1', { env: 'prod', region: 'eu' }));
    const repo = await newRepo('1.0');
    await settle('web', await createApp('web', repo));
    await settle('web', await push('web', repo, '1.1'));
    await push('web', repo, '1.2');
    const before = { bundles: await storedBundles(), artifacts: await storedArtifacts() };
    expect(before.bundles).toHaveLength(2);
    expect(before.artifacts).toHaveLength(3);

    expect(await gc().collect(new Date(Date.now() + 365 * DAY_MS))).toBeNull();
    expect({ bundles: await storedBundles(), artifacts: await storedArtifacts() }).toEqual(before);
  });

  it('refuses a render with no object unless the application allows empty bundles; then agents are told', async () => {
    hub = await startTestHub();
    const agent = simulate(await registerCluster(hub, 'prod-1', { env: 'prod', region: 'eu' }));
    const repo = await newRepo('1.0');
    await settle('web', await createApp('web', repo));
    await repo.commit({ 'deploy/web.yaml': '# nothing runs here any more\n' }, 'empty web');
    const empty = await sync('web');

    await expect(rollouts().start(ADMIN, 'web', empty)).rejects.toMatchObject({
      code: 'EMPTY_BUNDLE',
      message: expect.stringMatching(/prod-1: renders no object .*allowEmpty/) as string,
    });
    expect(agent.received.at(-1)!.assignments[0]).toMatchObject({ application: 'web', allowEmpty: false });

    const updated = await hub.app.get(ApplicationsService).update(ADMIN, 'web', { allowEmpty: true });
    expect(updated.allowEmpty).toBe(true);
    await settle('web', empty);
    expect(agent.received.at(-1)!.assignments[0]).toMatchObject({
      application: 'web',
      commit: empty,
      allowEmpty: true,
    });
  });
});
