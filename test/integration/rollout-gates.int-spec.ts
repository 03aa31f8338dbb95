import { type RegisterResponse } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { type HubConfig } from '../../services/hub/src/config/hub-config.js';
import { Transactions } from '../../services/hub/src/database/transactions.js';
import { CommittedEvents } from '../../services/hub/src/events/committed-events.js';
import { FleetGates } from '../../services/hub/src/rollouts/fleet-gates.js';
import { RolloutsRepository } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { SimAgent, type SimBehaviour } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, TestClock, type TestHub, testHubConfig } from './support/hub.js';

// Time windows, the fleet freeze, the fleet and per-cluster change budgets and failure correlation, on real hubs (Postgres, Kafka, git,
// simulated agents). Passes run only when something asks for one: the periodic sweep is an hour
// apart, so a rollout held by a window or a freeze moves on only by the wake-up its gate asked for.
const ADMIN = { name: 'test-admin', role: 'admin' as const };
const QUIET = { rollouts: { passIntervalSeconds: 3600 } };

const ROLLOUT_VIEW = `query ($id: ID!) {
  rollout(id: $id) {
    state freezeOverriddenBy blocking { kind message opensAt reason by since until changing limit share held }
  }
}`;

interface RolloutView {
  rollout: {
    state: string;
    freezeOverriddenBy: string | null;
    blocking: {
      kind: string;
      message: string;
      opensAt: string | null;
      reason: string | null;
      by: string | null;
      since: string | null;
      until: string | null;
      changing: number | null;
      limit: number | null;
      share: number | null;
      held: number | null;
    } | null;
  };
}

describe('rollout gates: windows, the fleet freeze, change budgets and failure correlation', () => {
  let git: TempGitServer;
  let repo: LocalRepo;
  let producer: Producer;
  const hubs: TestHub[] = [];
  const agents: SimAgent[] = [];
  let tag = 0;

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-git-gates-');
    repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    producer = await connectReportProducer(kafkaBrokers(), 'it-gates');
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await Promise.all(hubs.splice(0).map((h) => h.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await git?.stop();
  });

  async function hub(config: HubConfig, clock?: TestClock): Promise<TestHub> {
    const started = await startTestHub(config, { clock });
    hubs.push(started);
    return started;
  }

  async function fleet(
    target: TestHub,
    names: string[],
    behaviour?: SimBehaviour,
    region: (name: string) => string = () => 'eu',
  ): Promise<SimAgent[]> {
    const identities: RegisterResponse[] = [];
    for (const name of names)
      identities.push(await registerCluster(target, name, { env: 'prod', region: region(name) }));
    const started: SimAgent[] = [];
    for (const identity of identities) {
      const agent = new SimAgent({
        hubUrl: target.url,
        identity,
        reports: producerSink(producer),
        behaviour,
      });
      agent.start();
      agents.push(agent);
      started.push(agent);
    }
    return started;
  }

  async function createApp(
    target: TestHub,
    name: string,
    plan: unknown,
    targetSelector = 'env=prod',
  ): Promise<string> {
    await target.app.get(ApplicationsService).create(ADMIN, {
      name,
      repoUrl: git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      syncPolicy: 'manual',
      targetSelector,
      plan,
    });
    return sync(target, name);
  }

  /** A new commit of the application's source, fetched by the hub. */
  async function newCommit(target: TestHub, name: string): Promise<string> {
    await repo.commit(
      { 'deploy/web.yaml': webDeployment({ replicas: '1', tag: `2.${tag++}` }) },
      `web 2.${tag}`,
    );
    return sync(target, name);
  }

  async function sync(target: TestHub, name: string): Promise<string> {
    const app = (await target.app.get(ApplicationsService).findByName(name))!;
    const outcome = await target.app.get(GitSyncService).sync(app);
    expect(outcome.error).toBeNull();
    return outcome.commit!;
  }

  const view = async (target: TestHub, id: string) =>
    (await gqlOk<RolloutView>(target, ROLLOUT_VIEW, { id })).rollout;

  function succeeded(target: TestHub, id: string, description: string) {
    return waitFor(async () => (await target.app.get(RolloutsService).get(id)).state === 'Succeeded', {
      timeoutMs: 30_000,
      description,
    });
  }

  async function assignedAt(target: TestHub, id: string): Promise<Date[]> {
    const detail = await target.app.get(RolloutsService).detail(id);
    return detail.clusters.map((c) => c.assignedAt!);
  }

  it('holds a rollout outside its allow window, says when it opens, and wakes by itself then', async () => {
    const clock = new TestClock();
    // The clock jumps months ahead below: the clusters' credentials must outlive the jump.
    const longCredentials = { auth: { clusterCredentialTtlSeconds: 10 * 365 * 86_400 } };
    const a = await hub(await testHubConfig({ ...QUIET, ...longCredentials }), clock);
    await fleet(a, ['w-1', 'w-2']);
    // 12:00 in Berlin on a summer day is 10:00 UTC.
    const window = { kind: 'allow', schedule: '0 12 * * *', duration: '1h', timeZone: 'Europe/Berlin' };
    const commit = await createApp(a, 'web', {
      waves: [],
      rest: { maxConcurrency: '100%' },
      windows: [window],
    });

    // Bad windows are refused with a stable code and leave the plan as it was.
    const bad = await gql(
      a,
      `mutation ($plan: JSON) { updateApplication(name: "web", input: { plan: $plan }) { name } }`,
      {
        plan: { windows: [{ ...window, timeZone: 'Europe/Atlantis', duration: '-1h' }] },
      },
    );
    expect(codes(bad)).toEqual(['INVALID_ARGUMENT']);
    expect(bad.errors![0]!.message).toContain('windows[0].timeZone: unknown-time-zone');
    expect(bad.errors![0]!.message).toContain('windows[0].duration: invalid-duration');
    const app = (await a.app.get(ApplicationsService).findByName('web'))!;
    expect(app.plan.windows).toEqual([window]);

    const opening = new Date('2027-07-01T10:00:00Z');
    clock.set(new Date(opening.getTime() - 8_000));
    const rollout = await a.app.get(RolloutsService).start(ADMIN, 'web', commit);
    const held = await waitFor(
      async () => {
        const r = await view(a, rollout.id);
        return r.blocking?.kind === 'window' ? r : undefined;
      },
      { timeoutMs: 7_000, description: 'the rollout held by its window' },
    );
    expect(held.blocking).toMatchObject({
      opensAt: '2027-07-01T10:00:00.000Z',
      message: 'outside its time windows until 2027-07-01T10:00:00Z',
    });
    expect((await a.app.get(RolloutsService).detail(rollout.id)).clusters.map((c) => c.phase)).toEqual([
      'Pending',
      'Pending',
    ]);

    await succeeded(a, rollout.id, 'the rollout succeeded once its window opened');
    for (const at of await assignedAt(a, rollout.id))
      expect(at.getTime()).toBeGreaterThanOrEqual(opening.getTime());
  });

  it('holds rollouts and catch-ups while the fleet is frozen; unfreeze, the end of the freeze and an audited override let them go', async () => {
    const a = await hub(await testHubConfig(QUIET), new TestClock());
    await fleet(a, ['f-1', 'f-2']);
    let commit = await createApp(a, 'web', { waves: [], rest: { maxConcurrency: '100%' } });
    const rollouts = a.app.get(RolloutsService);

    const { createApiToken } = await gqlOk<{ createApiToken: { secret: string } }>(
      a,
      `mutation { createApiToken(name: "gates-operator", role: operator) { secret } }`,
    );
    const FREEZE = `mutation ($reason: String!, $until: DateTime) {
      freezeFleet(reason: $reason, until: $until) { freeze { reason by since until } }
    }`;
    expect(codes(await gql(a, FREEZE, { reason: 'x' }, createApiToken.secret))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(a, FREEZE, { reason: 'x', until: '2020-01-01T00:00:00Z' }))).toEqual([
      'INVALID_ARGUMENT',
    ]);
    expect(codes(await gql(a, `mutation { unfreezeFleet { freeze { reason } } }`))).toEqual([
      'FAILED_PRECONDITION',
    ]);

    // 1. Frozen until unfrozen.
    const frozen = await gqlOk<{ freezeFleet: { freeze: { reason: string; by: string } } }>(a, FREEZE, {
      reason: 'year-end',
    });
    expect(frozen.freezeFleet.freeze).toMatchObject({ reason: 'year-end', by: 'bootstrap-admin' });
    expect(await gqlOk(a, `{ fleet { freeze { reason by until } } }`)).toEqual({
      fleet: { freeze: { reason: 'year-end', by: 'bootstrap-admin', until: null } },
    });
    const first = await rollouts.start(ADMIN, 'web', commit);
    const held = await waitFor(
      async () => {
        const r = await view(a, first.id);
        // Progressing: its pass ran (and assigned nothing); blocking is computed when read.
        return r.blocking?.kind === 'freeze' && r.state === 'Progressing' ? r : undefined;
      },
      { timeoutMs: 5_000, description: 'the rollout held by the freeze' },
    );
    expect(held.blocking).toMatchObject({ reason: 'year-end', by: 'bootstrap-admin', until: null });
    await gqlOk(a, `mutation { unfreezeFleet { freeze { reason } } }`);
    await succeeded(a, first.id, 'the rollout succeeded after the unfreeze');

    // 2. Frozen until a moment: it lifts by itself.
    commit = await newCommit(a, 'web');
    const until = new Date(Date.now() + 5_000);
    await gqlOk(a, FREEZE, { reason: 'deploy freeze', until: until.toISOString() });
    const second = await rollouts.start(ADMIN, 'web', commit);
    const heldUntil = await view(a, second.id);
    expect(heldUntil.blocking).toMatchObject({ kind: 'freeze', until: until.toISOString() });
    await succeeded(a, second.id, 'the rollout succeeded when the freeze ended by itself');
    for (const at of await assignedAt(a, second.id))
      expect(at.getTime()).toBeGreaterThanOrEqual(until.getTime());
    expect(await gqlOk(a, `{ fleet { freeze { reason } } }`)).toEqual({ fleet: { freeze: null } });

    // 3. Frozen again: a joining cluster's catch-up waits too, and an admin lets one rollout past.
    await gqlOk(a, FREEZE, { reason: 'incident 42' });
    await fleet(a, ['f-late']);
    const catchup = await waitFor(
      async () => {
        const list = await rollouts.list({ application: 'web' });
        return list.rollouts.find((r) => r.kind === 'catchup');
      },
      { timeoutMs: 10_000, description: 'a catch-up for the joining cluster' },
    );
    expect((await view(a, catchup.id)).blocking).toMatchObject({ kind: 'freeze', reason: 'incident 42' });
    const OVERRIDE = `mutation ($id: ID!) { overrideFreeze(id: $id) { freezeOverriddenBy } }`;
    expect(codes(await gql(a, OVERRIDE, { id: catchup.id }, createApiToken.secret))).toEqual(['FORBIDDEN']);
    await gqlOk(a, OVERRIDE, { id: catchup.id });
    await succeeded(a, catchup.id, 'the overridden catch-up succeeded while the fleet stays frozen');
    expect((await view(a, catchup.id)).freezeOverriddenBy).toBe('bootstrap-admin');

    const audit = await a.app
      .get(Transactions)
      .manager.query<{ actor: string; action: string; target_id: string; after: { freeze: unknown } }[]>(
        `SELECT actor, action, target_id, after FROM event
          WHERE action IN ('fleet.frozen', 'fleet.unfrozen', 'rollout.freezeOverridden') ORDER BY id`,
      );
    expect(audit.map((e) => [e.action, e.actor, e.target_id])).toEqual([
      ['fleet.frozen', 'bootstrap-admin', 'fleet'],
      ['fleet.unfrozen', 'bootstrap-admin', 'fleet'],
      ['fleet.frozen', 'bootstrap-admin', 'fleet'],
      ['fleet.frozen', 'bootstrap-admin', 'fleet'],
      ['rollout.freezeOverridden', 'bootstrap-admin', catchup.id],
    ]);
    expect(audit.at(-1)!.after.freeze).toMatchObject({ reason: 'incident 42', by: 'bootstrap-admin' });
  });

  it('never lets more clusters change at once than the fleet budget, across three rollouts and two replicas', async () => {
    const config = await testHubConfig({ rollouts: { fleetMaxChanging: 2 } });
    const [one, two] = [await hub(config), await hub(config)];
    const names = Array.from({ length: 6 }, (_, i) => `b-${i}`);
    await fleet(one, names, () => ({ phase: 'Healthy', delayMs: 300 }));
    const apps = ['app-a', 'app-b', 'app-c'];
    const commits = new Map<string, string>();
    for (const name of apps)
      commits.set(name, await createApp(one, name, { waves: [], rest: { maxConcurrency: '100%' } }));

    // On every committed pass that assigned something, on either replica: what changes now.
    const seen: number[] = [];
    const checks: Promise<void>[] = [];
    const repository = one.app.get(RolloutsRepository);
    for (const replica of [one, two]) {
      replica.app.get(CommittedEvents).subscribe((events) => {
        if (!events.some((e) => (e.after as { assigned?: number } | null)?.assigned)) return;
        checks.push(repository.fleetChanging().then((n) => void seen.push(n)));
      });
    }
    const started = await Promise.all(
      apps.map((name, i) =>
        [one, two][i % 2]!.app.get(RolloutsService).start(ADMIN, name, commits.get(name)!),
      ),
    );
    for (const rollout of started)
      await succeeded(one, rollout.id, `rollout of ${rollout.applicationName} succeeded`);
    await Promise.all(checks);
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(2);
    // 18 changes went through a budget of 2: it was reached, so the check above could have failed.
    expect(Math.max(...seen)).toBe(2);
  });

  it('shares the fleet budget fairly: no rollout holds more than its share while others wait; a lone one takes it all', async () => {
    // Read views see the shares as of the fleet state's refresh, every pass interval.
    const config = await testHubConfig({ rollouts: { fleetMaxChanging: 3, passIntervalSeconds: 1 } });
    const a = await hub(config);
    const apps = ['fair-a', 'fair-b', 'fair-c'];
    // Seven clusters for a, three each for b and c (each application its own region); every change
    // stays Progressing until the test settles it.
    const size = (app: string) => (app === 'fair-a' ? 7 : 3);
    const names = apps.flatMap((app) => Array.from({ length: size(app) }, (_, i) => `${app}-${i}`));
    const started = await fleet(
      a,
      names,
      () => ({ phase: 'Progressing' }),
      (name) => name.slice(0, 6),
    );
    const agentOf = new Map(started.map((agent) => [agent.clusterId, agent]));
    const commits = new Map<string, string>();
    for (const app of apps)
      commits.set(
        app,
        await createApp(a, app, { waves: [], rest: { maxConcurrency: '100%' } }, `region=${app}`),
      );

    // Frozen while the three start, so all three contend from the first assignment on.
    await gqlOk(a, `mutation { freezeFleet(reason: "fair start") { freeze { reason } } }`);
    const rollouts = a.app.get(RolloutsService);
    const ids = new Map<string, string>();
    for (const app of apps) ids.set(app, (await rollouts.start(ADMIN, app, commits.get(app)!)).id);
    for (const id of ids.values())
      await waitFor(async () => (await view(a, id)).blocking?.kind === 'freeze', {
        timeoutMs: 10_000,
        description: 'each rollout held by the freeze',
      });

    // After every committed pass that assigned: what each rollout holds and still waits for.
    const repository = a.app.get(RolloutsRepository);
    const samples: { held: number; waiting: number }[][] = [];
    const reads: Promise<void>[] = [];
    a.app.get(CommittedEvents).subscribe((events) => {
      if (!events.some((e) => (e.after as { assigned?: number } | null)?.assigned)) return;
      reads.push(repository.budgetLoads().then((loads) => void samples.push(loads)));
    });
    await gqlOk(a, `mutation { unfreezeFleet { freeze { reason } } }`);

    // Budget 3 over three contenders: one each, the others' clusters waiting with the numbers.
    const holdings = async () =>
      Object.fromEntries((await repository.budgetLoads()).map((l) => [l.id, l.held]));
    await waitFor(async () => Object.values(await holdings()).join() === '1,1,1', {
      timeoutMs: 10_000,
      description: 'each rollout holding its fair share of one',
    });
    for (const id of ids.values()) {
      const held = await waitFor(
        async () => {
          const r = await view(a, id);
          return r.blocking?.kind === 'fleetBudget' && r.blocking.changing === 3 ? r : undefined;
        },
        { timeoutMs: 10_000, description: 'each rollout held by its fair share, as read' },
      );
      expect(held.blocking).toMatchObject({
        share: 1,
        held: 1,
        limit: 3,
        message: 'fleet change budget: 1 held of a fair share of 1 (budget 3, 3 changing)',
      });
    }

    // Settling a's change frees its slot: a takes it again (the others are at their shares).
    const settle = async (app: string) => {
      const detail = await rollouts.detail(ids.get(app)!);
      for (const c of detail.clusters.filter((m) => m.phase === 'Assigned' || m.phase === 'Progressing')) {
        // An Assigned member's agent may not have fetched the change yet: it settles what it runs.
        const agent = agentOf.get(c.clusterId)!;
        await waitFor(async () => agent.reported(app) !== undefined, {
          timeoutMs: 10_000,
          description: `${agent.name} running ${app}`,
        });
        await agent.setPhase(app, 'Healthy');
      }
    };
    await settle('fair-a');
    await waitFor(
      async () =>
        (await rollouts.detail(ids.get('fair-a')!)).clusters.filter((c) => c.phase === 'Healthy').length ===
        1,
      { timeoutMs: 10_000, description: "a's first cluster settled" },
    );
    await waitFor(async () => (await holdings())[ids.get('fair-a')!] === 1, {
      timeoutMs: 10_000,
      description: 'a assigned its next cluster',
    });
    await Promise.all(reads);
    // While all three waited, none held more than its share (1 of 3); it was reached, so this could fail.
    const contended = samples.filter((loads) => loads.length === 3 && loads.every((l) => l.waiting > 0));
    expect(contended.length).toBeGreaterThan(0);
    expect(Math.max(...contended.flatMap((loads) => loads.map((l) => l.held)))).toBe(1);

    // b and c aborted: a contends alone and takes the whole budget (3), the rest of its wave waiting.
    await rollouts.abort(ADMIN, ids.get('fair-b')!);
    await rollouts.abort(ADMIN, ids.get('fair-c')!);
    await settle('fair-a');
    await waitFor(async () => (await holdings())[ids.get('fair-a')!] === 3, {
      timeoutMs: 10_000,
      description: 'the lone rollout assigned up to the whole budget',
    });
    expect(await repository.fleetChanging()).toBe(3);
    // As read (the fleet state refreshed every second): its waiting clusters held by its share, the
    // whole budget. (The rollout's own reason may name its clusters in flight first: their deadline.)
    type Waiting = { rollout: { clusters: { blocking: RolloutView['rollout']['blocking'] }[] } };
    let lastSeen: unknown;
    const alone = await waitFor(
      async () => {
        const { rollout } = await gqlOk<Waiting>(
          a,
          `query ($id: ID!) { rollout(id: $id) { clusters(phase: [Pending]) {
             blocking { kind message opensAt reason by since until changing limit share held } } } }`,
          { id: ids.get('fair-a')! },
        );
        const blocking = rollout.clusters[0]?.blocking ?? null;
        lastSeen = blocking;
        return blocking?.kind === 'fleetBudget' && blocking.held === 3 ? { blocking } : undefined;
      },
      { timeoutMs: 10_000, description: 'the lone rollout holding the whole budget' },
    ).catch((error: unknown) => {
      // What the read showed last says which gate held it instead (a failure to explain, not to retry).
      throw new Error(`${String(error)}; last blocking read: ${JSON.stringify(lastSeen)}`);
    });
    expect(alone.blocking).toMatchObject({ share: 3, held: 3, changing: 3, limit: 3 });
  });

  it('shows the read views a rollout sharing the fleet budget as it starts and ends, not a pass interval later', async () => {
    // No timer refresh in the test's time: only the start and the end can move what the view sees.
    const config = await testHubConfig({ rollouts: { fleetMaxChanging: 3, passIntervalSeconds: 3600 } });
    const a = await hub(config);
    await fleet(a, ['sharer-1', 'sharer-2'], () => ({ phase: 'Progressing' }));
    const commits = new Map<string, string>();
    for (const app of ['sharer-a', 'sharer-b'])
      commits.set(app, await createApp(a, app, { waves: [], rest: { maxConcurrency: 1 } }));
    const gates = a.app.get(FleetGates);
    const sharers = () => (gates.view().shares?.rollouts ?? []).map((r) => r.id).sort();
    const seen = (ids: string[], description: string) =>
      waitFor(async () => sharers().join() === [...ids].sort().join(), { timeoutMs: 10_000, description });
    expect(sharers()).toEqual([]);

    const rollouts = a.app.get(RolloutsService);
    const first = await rollouts.start(ADMIN, 'sharer-a', commits.get('sharer-a')!);
    await seen([first.id], 'the first rollout among the sharers');
    const second = await rollouts.start(ADMIN, 'sharer-b', commits.get('sharer-b')!);
    await seen([first.id, second.id], 'both rollouts among the sharers');
    expect(gates.view().shares!.rollouts.find((r) => r.id === second.id)).toMatchObject({
      remaining: 2,
      concurrency: 1,
    });
    await rollouts.abort(ADMIN, first.id);
    await seen([second.id], 'the aborted rollout gone from the sharers');
  });

  it('halts a wave whose failed clusters share a region although its failure budget allows more', async () => {
    const a = await hub(await testHubConfig());
    // Both us clusters fail, the eu ones are fine: 2 failures within a budget of 3.
    await fleet(
      a,
      ['us-1', 'us-2', 'eu-1', 'eu-2'],
      (_assignment, cluster) => ({ phase: cluster.clusterName.startsWith('us-') ? 'Failed' : 'Healthy' }),
      (name) => name.slice(0, 2),
    );
    const correlated = { labels: ['zone', 'region'], minFailures: 2 };
    const commit = await createApp(a, 'web', {
      waves: [],
      rest: { maxConcurrency: '100%', failureBudget: 3, failureCorrelation: correlated },
    });

    // A bad setting is refused with a stable code naming the field, and the plan is left as it was.
    const bad = await gql(
      a,
      `mutation ($plan: JSON) { updateApplication(name: "web", input: { plan: $plan }) { name } }`,
      { plan: { rest: { failureCorrelation: { labels: ['region'], minFailures: 1 } } } },
    );
    expect(codes(bad)).toEqual(['INVALID_ARGUMENT']);
    expect(bad.errors![0]!.message).toContain(
      'rest.failureCorrelation.minFailures: must be an integer of at least 2',
    );
    const app = (await a.app.get(ApplicationsService).findByName('web'))!;
    expect(app.plan.rest.failureCorrelation).toEqual({ ...correlated, share: 1 });

    const rollout = await a.app.get(RolloutsService).start(ADMIN, 'web', commit);
    const failed = await waitFor(
      async () => {
        const r = await a.app.get(RolloutsService).get(rollout.id);
        return r.state === 'Failed' ? r : undefined;
      },
      { timeoutMs: 30_000, description: 'the rollout failed on correlated failures' },
    );
    expect(failed.message).toBe('wave rest: 2/2 failed clusters share region=us');
    const detail = await a.app.get(RolloutsService).detail(rollout.id);
    expect(detail.waves[0]).toMatchObject({ failed: 2, failureLimit: 3 });
  });

  it('gives a cluster changing its limit of applications no further change until one settles', async () => {
    const a = await hub(await testHubConfig({ rollouts: { clusterMaxChangingApps: 2 } }));
    // The agent keeps every application Progressing until the test settles it.
    const [agent] = await fleet(a, ['m-1'], () => ({ phase: 'Progressing' }));
    const rollouts = a.app.get(RolloutsService);
    const started = new Map<string, string>();
    for (const name of ['app-1', 'app-2', 'app-3']) {
      const commit = await createApp(a, name, { waves: [], rest: { maxConcurrency: '100%' } });
      if (name === 'app-3') {
        await waitFor(
          async () => ['app-1', 'app-2'].every((n) => agent!.reported(n)?.phase === 'Progressing'),
          {
            timeoutMs: 30_000,
            description: 'two applications changing on the cluster',
          },
        );
      }
      started.set(name, (await rollouts.start(ADMIN, name, commit)).id);
    }
    const third = started.get('app-3')!;

    const held = await waitFor(
      async () => {
        const r = await view(a, third);
        return r.blocking?.kind === 'clusterBudget' ? r : undefined;
      },
      { timeoutMs: 10_000, description: 'the third rollout held by the cluster budget' },
    );
    expect(held.blocking).toMatchObject({
      changing: 2,
      limit: 2,
      message: 'cluster change budget: 2/2 applications changing on this cluster',
    });
    // A pass of its own started the wave (Pending → Progressing) and left the cluster pending.
    await waitFor(async () => (await rollouts.get(third)).state === 'Progressing', {
      timeoutMs: 10_000,
      description: 'a pass of the third rollout',
    });
    expect((await rollouts.detail(third)).clusters.map((c) => [c.phase, c.assignedAt])).toEqual([
      ['Pending', null],
    ]);
    expect(agent!.reported('app-3')).toBeUndefined();

    const settledAt = Date.now();
    await agent!.setPhase('app-1', 'Healthy');
    const assigned = await waitFor(
      async () => (await rollouts.detail(third)).clusters[0]!.assignedAt ?? undefined,
      { timeoutMs: 30_000, description: 'the third application assigned once one settled' },
    );
    expect(assigned.getTime()).toBeGreaterThanOrEqual(settledAt);
    const clusterId = agent!.clusterId;
    expect(await a.app.get(RolloutsRepository).clusterChanging([clusterId])).toEqual({ [clusterId]: 2 });
  });
});
