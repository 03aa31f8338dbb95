/**
 * Revision veto against a real hub, Postgres, Kafka and git server: a vetoed commit is never started
 * by a sync or a (redelivered) push webhook, an operator starts it only with force, an automatic
 * rollback vetoes the failed commit, and every veto is audited.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type Producer } from 'kafkajs';
import { sendPushWebhook } from '../harness/git-push.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { type SimAgent, type SimBehaviour } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { simAgentOf } from './support/sim-agents.js';
import { startTestHub, type TestHub, testHubConfig, TEST_WEBHOOK_SECRET } from './support/hub.js';

const CONFIG_MAP = (greeting: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  greeting: ${greeting}\n`;

const APP_VIEW = `query App($name: String!) {
  application(name: $name) {
    latestCommit heldAt lastSyncError
    vetoes { commit reason actor at }
    revisions(first: 10) { commit veto { reason actor } }
    rollouts(first: 20) { totalCount edges { node { id commit kind state } } }
  }
}`;

interface AppView {
  latestCommit: string | null;
  heldAt: string | null;
  lastSyncError: string | null;
  vetoes: { commit: string; reason: string; actor: string; at: string }[];
  revisions: { commit: string; veto: { reason: string; actor: string } | null }[];
  rollouts: {
    totalCount: number;
    edges: { node: { id: string; commit: string; kind: string; state: string } }[];
  };
}

interface Event {
  actor: string;
  action: string;
  after: Record<string, unknown> | null;
}

describe('revision veto', () => {
  let git: TempGitServer;
  let producer: Producer;
  let hub: TestHub;
  const agents: SimAgent[] = [];
  let repoCount = 0;

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-veto-');
    producer = await connectReportProducer(kafkaBrokers(), 'it-veto');
    hub = await startTestHub(
      await testHubConfig({ rollouts: { passIntervalSeconds: 1, assignmentsPollTimeoutSeconds: 4 } }),
    );
  });

  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
  });

  afterAll(async () => {
    await hub?.close();
    await producer?.disconnect();
    await git?.stop();
  });

  /** A fresh repository, an auto-sync application over clusters labelled app=<name>, and their agents. */
  async function setup(
    name: string,
    plan: unknown,
    behaviour?: SimBehaviour,
  ): Promise<{ repo: LocalRepo; first: string }> {
    const repo = await createRepo(git.root, `veto-${++repoCount}`);
    const first = await repo.commit({ 'app/config.yaml': CONFIG_MAP('one') }, 'one');
    const identity = await registerCluster(hub, `${name}-1`, { app: name });
    const agent = simAgentOf(hub, identity, producer, { behaviour });
    agent.start();
    agents.push(agent);
    await gqlOk(
      hub,
      `mutation Create($input: CreateApplicationInput!) { createApplication(input: $input) { id } }`,
      {
        input: {
          name,
          repoUrl: git.url(`veto-${repoCount}`),
          ref: 'main',
          path: 'app',
          targetSelector: `app=${name}`,
          pollIntervalSeconds: 3600,
          plan,
        },
      },
    );
    await push(repo, first);
    await waitForRollout(name, first, 'Succeeded');
    return { repo, first };
  }

  const push = (repo: LocalRepo, commit: string) =>
    sendPushWebhook({ hubUrl: hub.url, secret: TEST_WEBHOOK_SECRET, repoUrl: git.url(repo.name), commit });

  const view = async (name: string) =>
    (await gqlOk<{ application: AppView }>(hub, APP_VIEW, { name })).application;

  const rolloutsOf = async (name: string, commit: string) =>
    (await view(name)).rollouts.edges.map((e) => e.node).filter((r) => r.commit === commit);

  function waitForRollout(name: string, commit: string, state: string) {
    return waitFor(
      async () => (await rolloutsOf(name, commit)).find((r) => r.state === state && r.kind === 'rollout'),
      { timeoutMs: 30_000, description: `rollout of ${commit.slice(0, 7)} ${state}` },
    );
  }

  const veto = (application: string, commit: string, reason: string) =>
    gql(
      hub,
      `mutation V($a: String!, $c: String!, $r: String!) { vetoRevision(application: $a, commit: $c, reason: $r) { commit reason actor } }`,
      { a: application, c: commit, r: reason },
    );

  const unveto = (application: string, commit: string) =>
    gql(
      hub,
      `mutation U($a: String!, $c: String!) { unvetoRevision(application: $a, commit: $c) { commit } }`,
      {
        a: application,
        c: commit,
      },
    );

  const start = (application: string, commit: string, force?: boolean) =>
    gql<{ startRollout: { id: string; commit: string } }>(
      hub,
      `mutation S($a: String!, $c: String, $f: Boolean) { startRollout(application: $a, revision: $c, force: $f) { id commit } }`,
      { a: application, c: commit, f: force },
    );

  const sync = (name: string) =>
    gqlOk<{ syncApplication: { commit: string | null; rolloutId: string | null; error: string | null } }>(
      hub,
      `mutation Sync($name: String!) { syncApplication(name: $name) { commit rolloutId error } }`,
      { name },
    );

  async function events(kind: 'application' | 'rollout', action: string): Promise<Event[]> {
    const data = await gqlOk<{ events: { edges: { node: Event }[] } }>(
      hub,
      `query E($kind: EventTargetKind) { events(targetKind: $kind, first: 200) { edges { node { actor action after } } } }`,
      { kind },
    );
    return data.events.edges.map((e) => e.node).filter((e) => e.action === action);
  }

  it('a vetoed commit is started by neither a push nor its redelivery nor a sync; by hand only with force', async () => {
    const { repo, first } = await setup('held', { waves: [{ name: 'all', selector: '' }] });
    const bad = await repo.commit({ 'app/config.yaml': CONFIG_MAP('two') }, 'two');
    expect(codes(await veto('held', bad, 'breaks checkout'))).toEqual([]);

    expect(await push(repo, bad)).toMatchObject({ status: 202 });
    expect(await push(repo, bad)).toMatchObject({ status: 202 }); // redelivered
    expect((await sync('held')).syncApplication).toEqual({ commit: bad, rolloutId: null, error: null });

    const held = await view('held');
    expect(held.latestCommit).toBe(bad);
    expect(held.heldAt).toBe(first);
    expect(held.lastSyncError).toBeNull();
    expect(held.vetoes).toEqual([
      { commit: bad, reason: 'breaks checkout', actor: 'bootstrap-admin', at: expect.any(String) },
    ]);
    expect(held.revisions.find((r) => r.commit === bad)?.veto).toEqual({
      reason: 'breaks checkout',
      actor: 'bootstrap-admin',
    });
    expect(held.revisions.find((r) => r.commit === first)?.veto).toBeNull();
    expect(await rolloutsOf('held', bad)).toEqual([]);

    const refused = await start('held', bad);
    expect(codes(refused)).toEqual(['REVISION_VETOED']);
    expect(refused.errors![0]!.message).toContain(bad.slice(0, 12));
    expect(refused.errors![0]!.message).toContain('breaks checkout');
    expect(await rolloutsOf('held', bad)).toEqual([]);

    const forced = await start('held', bad, true);
    expect(codes(forced)).toEqual([]);
    expect(forced.data!.startRollout.commit).toBe(bad);
    await waitForRollout('held', bad, 'Succeeded');
    expect(await events('rollout', 'rollout.vetoOverridden')).toEqual([
      expect.objectContaining({ actor: 'bootstrap-admin', after: expect.objectContaining({ commit: bad }) }),
    ]);
    expect(await events('application', 'application.revisionVetoed')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'bootstrap-admin',
          after: expect.objectContaining({ application: 'held', commit: bad, reason: 'breaks checkout' }),
        }),
      ]),
    );
  });

  it('unveto lets the next sync start the commit', async () => {
    const { repo } = await setup('lifted', { waves: [{ name: 'all', selector: '' }] });
    const next = await repo.commit({ 'app/config.yaml': CONFIG_MAP('three') }, 'three');
    expect(codes(await veto('lifted', next, 'wait for the freeze to end'))).toEqual([]);
    expect((await sync('lifted')).syncApplication.rolloutId).toBeNull();

    expect(codes(await unveto('lifted', next))).toEqual([]);
    expect(codes(await unveto('lifted', next))).toEqual(['NOT_FOUND']);
    expect((await view('lifted')).vetoes).toEqual([]);
    expect((await view('lifted')).heldAt).toBeNull();
    const synced = await sync('lifted');
    expect(synced.syncApplication.rolloutId).not.toBeNull();
    await waitForRollout('lifted', next, 'Succeeded');
    expect(await events('application', 'application.revisionUnvetoed')).toEqual([
      expect.objectContaining({ actor: 'bootstrap-admin', after: { application: 'lifted', commit: next } }),
    ]);
  });

  it('refuses a bad commit id, an empty reason and a viewer', async () => {
    await setup('rules', { waves: [{ name: 'all', selector: '' }] });
    expect(codes(await veto('rules', 'abc123', 'short'))).toEqual(['INVALID_ARGUMENT']);
    expect(codes(await veto('rules', 'a'.repeat(40), '  '))).toEqual(['INVALID_ARGUMENT']);
    expect(codes(await veto('nope', 'a'.repeat(40), 'x'))).toEqual(['NOT_FOUND']);
    const { createApiToken } = await gqlOk<{ createApiToken: { secret: string } }>(
      hub,
      `mutation { createApiToken(name: "veto-viewer", role: viewer) { secret } }`,
    );
    const asViewer = await gql(
      hub,
      `mutation { vetoRevision(application: "rules", commit: "${'a'.repeat(40)}", reason: "x") { commit } }`,
      {},
      createApiToken.secret,
    );
    expect(codes(asViewer)).toEqual(['FORBIDDEN']);
  });

  it('an automatic rollback vetoes the failed commit; no sync or redelivered push starts it again', async () => {
    let broken = '';
    const { repo, first } = await setup(
      'rolled',
      { waves: [{ name: 'all', selector: '', progressDeadlineSeconds: 30 }], autoRollback: true },
      (assignment) => ({ phase: assignment.commit === broken ? 'Failed' : 'Healthy' }),
    );
    broken = await repo.commit({ 'app/config.yaml': CONFIG_MAP('broken') }, 'broken');
    expect(await push(repo, broken)).toMatchObject({ status: 202 });
    await waitFor(
      async () =>
        (await rolloutsOf('rolled', first)).some((r) => r.kind === 'rollback' && r.state === 'Succeeded'),
      {
        timeoutMs: 30_000,
        description: 'rollback Succeeded',
      },
    );

    const after = await view('rolled');
    expect(after.vetoes).toEqual([
      {
        commit: broken,
        reason: expect.stringMatching(/^automatic rollback of rollout [0-9a-f-]{36}: wave all: 1\/1 failed/),
        actor: 'engine',
        at: expect.any(String),
      },
    ]);
    expect(after.heldAt).toBe(first);
    const rolloutsBefore = after.rollouts.totalCount;

    expect(await push(repo, broken)).toMatchObject({ status: 202 });
    expect((await sync('rolled')).syncApplication).toMatchObject({ commit: broken, rolloutId: null });
    expect(codes(await start('rolled', broken))).toEqual(['REVISION_VETOED']);
    expect((await view('rolled')).rollouts.totalCount).toBe(rolloutsBefore);
    expect(await events('application', 'application.revisionVetoed')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'engine',
          after: expect.objectContaining({ application: 'rolled', commit: broken }),
        }),
      ]),
    );
  });
});
