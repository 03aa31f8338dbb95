import { type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import pg from 'pg';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { RevisionVetoesService } from '../../services/hub/src/applications/revision-vetoes.service.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { statementsOf } from '../../bench/graphql.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };

const FIELDS = `cluster { name } application phase behind desiredCommit reportedCommit ready total placed
  failing { id reason } driftCorrections driftCorrectionsLastHour waiting { kind message }`;

interface Node {
  cluster: { name: string };
  application: string;
  phase: string;
  behind: boolean;
  desiredCommit: string | null;
  reportedCommit: string | null;
  ready: number | null;
  total: number | null;
  placed: boolean;
  failing: { id: string; reason: string }[];
  driftCorrections: number;
  driftCorrectionsLastHour: number;
  waiting: { kind: string; message: string } | null;
}
interface Page {
  placements: {
    edges: { cursor: string; node: Node }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('the fleet status matrix: placements, sync and drift events (real Postgres, Kafka, git)', () => {
  let git: TempGitServer;
  let repo: LocalRepo;
  let producer: Producer;
  let hub: TestHub;
  let db: pg.Client;
  const agents = new Map<string, SimAgent>();
  let commit: string;

  const rollouts = () => hub.app.get(RolloutsService);

  function simulate(name: string, identity: RegisterResponse): SimAgent {
    const agent = new SimAgent({ hubUrl: hub.url, identity, reports: producerSink(producer) });
    agent.start();
    agents.set(name, agent);
    return agent;
  }

  async function createApp(name: string, selector: string): Promise<string> {
    const apps = hub.app.get(ApplicationsService);
    await apps.create(ADMIN, {
      name,
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      targetSelector: selector,
    });
    const outcome = await hub.app.get(GitSyncService).sync((await apps.findByName(name))!);
    expect(outcome.error).toBeNull();
    return outcome.commit!;
  }

  async function settle(application: string, at: string): Promise<void> {
    const started = await rollouts().start(ADMIN, application, at);
    await waitFor(async () => ((await rollouts().get(started.id)).state === 'Succeeded' ? true : undefined), {
      timeoutMs: 30_000,
      description: `${application} Succeeded`,
    });
  }

  async function placements(
    filter: Record<string, unknown> = {},
    first = 100,
    after?: string,
  ): Promise<Page['placements']> {
    const data = await gqlOk<Page>(
      hub,
      `query ($filter: PlacementFilter, $first: Int, $after: String) {
         placements(filter: $filter, first: $first, after: $after) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } }
       }`,
      { filter, first, after },
    );
    return data.placements;
  }
  const pairs = (page: Page['placements']) =>
    page.edges.map((e) => `${e.node.application}/${e.node.cluster.name}`);

  async function sync(application: string) {
    const data = await gqlOk<{ application: { sync: Record<string, unknown> } }>(
      hub,
      `query ($name: String!) { application(name: $name) { sync { state desiredCommit clusters clustersAtDesired behind drifted failing } } }`,
      { name: application },
    );
    return data.application.sync;
  }

  async function pair(application: string, cluster: string): Promise<Node> {
    const page = await placements({ application });
    const edge = page.edges.find((e) => e.node.cluster.name === cluster);
    if (!edge) throw new Error(`no placement ${application}/${cluster}`);
    return edge.node;
  }

  async function driftEvents(): Promise<{ after: { corrections: number; application: string } }[]> {
    const { rows } = await db.query(
      `SELECT after FROM event WHERE action = 'placement.driftCorrected' ORDER BY id`,
    );
    return rows as { after: { corrections: number; application: string } }[];
  }

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-placements-it-');
    repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    producer = await connectReportProducer(kafkaBrokers(), 'it-placements');
    // Counts SQL statements per request (off by default), for the statement-budget test below.
    const config = await testHubConfig({ database: { statementsPerRequest: true } });
    hub = await startTestHub(config);
    db = new pg.Client({ connectionString: config.database.url });
    await db.connect();
    for (const [name, labels] of [
      ['prod-1', { env: 'prod', region: 'eu' }],
      ['prod-2', { env: 'prod', region: 'eu' }],
      ['staging-1', { env: 'staging', region: 'eu' }],
    ] as const) {
      simulate(name, await registerCluster(hub, name, labels));
    }
    commit = await createApp('web', 'env=prod');
    await createApp('api', 'env in (prod,staging)');
    await settle('web', commit);
    await settle('api', commit);
  });

  afterAll(async () => {
    await Promise.all([...agents.values()].map((a) => a.stop()));
    await db?.end();
    await hub?.close().catch(() => undefined);
    await producer?.disconnect();
    await git?.stop();
  });

  it('lists every (cluster, application) pair in order, with desired and reported revisions', async () => {
    const page = await placements();
    expect(pairs(page)).toEqual(['api/prod-1', 'api/prod-2', 'api/staging-1', 'web/prod-1', 'web/prod-2']);
    for (const { node } of page.edges) {
      expect(node).toMatchObject({
        phase: 'Healthy',
        behind: false,
        placed: true,
        desiredCommit: commit,
        reportedCommit: commit,
        ready: 1,
        total: 1,
        waiting: null,
        driftCorrections: 0,
      });
    }
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(await sync('web')).toEqual({
      state: 'InSync',
      desiredCommit: commit,
      clusters: 2,
      clustersAtDesired: 2,
      behind: 0,
      drifted: 0,
      failing: 0,
    });
  });

  it('pages forward by cursor, each page one step further, and refuses a cursor it did not make', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await placements({}, 2, after);
      seen.push(...pairs(page));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['api/prod-1', 'api/prod-2', 'api/staging-1', 'web/prod-1', 'web/prod-2']);
    const bad = await gql(hub, `{ placements(after: "bm9wZQ") { edges { cursor } } }`);
    expect(codes(bad)).toEqual(['INVALID_ARGUMENT']);
    const tooMany = await gql(hub, `{ placements(first: 501) { edges { cursor } } }`);
    expect(codes(tooMany)).toEqual(['INVALID_ARGUMENT']);
  });

  it('filters by application, cluster selector and phase; a bad selector is INVALID_ARGUMENT', async () => {
    expect(pairs(await placements({ application: 'web' }))).toEqual(['web/prod-1', 'web/prod-2']);
    expect(pairs(await placements({ clusterSelector: 'env=staging' }))).toEqual(['api/staging-1']);
    expect(pairs(await placements({ phase: ['Failed', 'Degraded'] }))).toEqual([]);
    expect(pairs(await placements({ application: 'api', phase: ['Healthy'], behind: false }))).toHaveLength(
      3,
    );
    expect(pairs(await placements({ application: 'nope' }))).toEqual([]);
    const bad = await gql(
      hub,
      `{ placements(filter: { clusterSelector: "env in (" }) { edges { cursor } } }`,
    );
    expect(codes(bad)).toEqual(['INVALID_ARGUMENT']);
  });

  it('counts drift corrections per pair and announces them at most once per 10 minutes', async () => {
    const agent = agents.get('prod-1')!;
    for (let total = 1; total <= 3; total++) {
      await agent.correctDrift('web');
      await waitFor(
        async () => ((await pair('web', 'prod-1')).driftCorrections === total ? true : undefined),
        {
          timeoutMs: 30_000,
          description: `web/prod-1 drift ${total}`,
        },
      );
    }
    expect(await pair('web', 'prod-1')).toMatchObject({ driftCorrections: 3, driftCorrectionsLastHour: 3 });
    expect(pairs(await placements({ drifted: true }))).toEqual(['web/prod-1']);
    expect(pairs(await placements({ drifted: false }))).toHaveLength(4);
    expect((await sync('web')).drifted).toBe(1);
    // The first correction was announced; the next two are kept for the next event.
    expect((await driftEvents()).map((e) => e.after)).toEqual([
      expect.objectContaining({ application: 'web', corrections: 1 }),
    ]);

    // Ten minutes on (the hub's own record of the last event moved back): the next correction is
    // announced with every correction since the last event.
    await db.query(
      `UPDATE placement_drift SET last_event_at = last_event_at - interval '11 minutes' WHERE application = 'web'`,
    );
    await agent.correctDrift('web');
    await waitFor(async () => ((await driftEvents()).length === 2 ? true : undefined), {
      timeoutMs: 30_000,
      description: 'a second drift event',
    });
    expect((await driftEvents()).map((e) => e.after.corrections)).toEqual([1, 3]);
    expect((await pair('web', 'prod-1')).driftCorrections).toBe(4);
  });

  it('a cluster that has not reported is Missing and behind, waiting with a reason; Cluster.placements shows it', async () => {
    await registerCluster(hub, 'prod-3', { env: 'prod', region: 'eu' });
    const node = await waitFor(
      async () => {
        const n = await pair('web', 'prod-3').catch(() => undefined);
        return n?.waiting ? n : undefined;
      },
      { timeoutMs: 30_000, description: 'web/prod-3 listed' },
    );
    expect(node).toMatchObject({
      phase: 'Missing',
      behind: true,
      desiredCommit: commit,
      reportedCommit: null,
      waiting: { kind: 'notConnected' },
    });
    expect(pairs(await placements({ behind: true }))).toEqual(['api/prod-3', 'web/prod-3']);
    expect(await sync('web')).toMatchObject({
      state: 'OutOfSync',
      clusters: 3,
      clustersAtDesired: 2,
      behind: 1,
    });
    const data = await gqlOk<{ cluster: { placements: { application: string; phase: string }[] } }>(
      hub,
      `{ cluster(name: "prod-3") { placements { application phase } } }`,
    );
    expect(data.cluster.placements).toEqual([
      { application: 'api', phase: 'Missing' },
      { application: 'web', phase: 'Missing' },
    ]);
    await gqlOk(hub, `mutation { deregisterCluster(name: "prod-3") { name } }`);
    expect(await sync('web')).toMatchObject({ state: 'InSync', clusters: 2 });
  });

  it('a member of a running rollout wants its target: Progressing, waiting inRollout', async () => {
    const apps = hub.app.get(ApplicationsService);
    await apps.create(ADMIN, {
      name: 'gated',
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      targetSelector: 'env=staging',
      plan: { waves: [{ name: 'gate', selector: 'env=staging', requireApproval: true }] },
    });
    await hub.app.get(GitSyncService).sync((await apps.findByName('gated'))!);
    const started = await rollouts().start(ADMIN, 'gated', commit);
    await waitFor(
      async () => ((await rollouts().get(started.id)).state === 'AwaitingApproval' ? true : undefined),
      { timeoutMs: 30_000, description: 'gated AwaitingApproval' },
    );
    expect(await pair('gated', 'staging-1')).toMatchObject({
      phase: 'Missing',
      behind: true,
      desiredCommit: commit,
      reportedCommit: null,
      waiting: { kind: 'inRollout', message: `member of rollout ${started.id}: its waves decide when` },
    });
    expect(await sync('gated')).toMatchObject({ state: 'Progressing', desiredCommit: commit, behind: 1 });
    await rollouts().abort(ADMIN, started.id);
    expect(await sync('gated')).toMatchObject({ state: 'OutOfSync', desiredCommit: null, behind: 0 });
  });

  it('a new head commit not rolled out is OutOfSync; vetoed, the fleet is HeldBack', async () => {
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '2.0' }) }, 'web 2.0');
    const apps = hub.app.get(ApplicationsService);
    const outcome = await hub.app.get(GitSyncService).sync((await apps.findByName('web'))!);
    expect(outcome.commit).not.toBe(commit);
    expect(await sync('web')).toMatchObject({ state: 'OutOfSync', desiredCommit: commit, behind: 0 });
    await hub.app.get(RevisionVetoesService).veto(ADMIN, 'web', outcome.commit!, 'breaks checkout');
    expect(await sync('web')).toMatchObject({
      state: 'HeldBack',
      desiredCommit: commit,
      clustersAtDesired: 2,
    });
  });

  it('answers a page, and a page of applications with their sync, in a bounded number of statements', async () => {
    const metrics = async () => (await fetch(`${hub.url}/metrics`)).text();
    const before = statementsOf(await metrics(), 'Matrix');
    await gqlOk(hub, `query Matrix { placements(first: 500) { edges { node { ${FIELDS} } } } }`);
    // The applications, the page (the bootstrap token costs none).
    expect(statementsOf(await metrics(), 'Matrix').sum - before.sum).toBe(2);
    const apps = statementsOf(await metrics(), 'Apps');
    await gqlOk(hub, `query Apps { applications { edges { node { name sync { state behind } } } } }`);
    // The applications page, then sync for all of them: two (applications, and all their pairs).
    expect(statementsOf(await metrics(), 'Apps').sum - apps.sum).toBe(3);
  });
});
