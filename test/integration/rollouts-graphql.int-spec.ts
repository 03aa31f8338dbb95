import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from 'graphql-ws';
import { type ClusterFacts, type Report } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { ClusterChangesFeed } from '../../services/hub/src/clusters/graphql/cluster-changes.feed.js';
import { RolloutScheduler } from '../../services/hub/src/rollouts/rollout-scheduler.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { type SimAgent } from '../harness/sim-agent.js';
import { WEB_CONFIG_MAP } from '../harness/fixtures.js';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../harness/git-server.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';
import { simAgentOf } from './support/sim-agents.js';

// Node 20 has no global WebSocket; `ws` (a dependency of mercurius and graphql-ws) ships no types.
const WebSocket = createRequire(import.meta.url)('ws') as unknown;

/** The git server's basic-auth password: it must never appear in any API answer. */
const GIT_PASSWORD = 'git-pa55word-never-shown-7d1c';
const GIT_USER = 'fleet-reader';

/** canary-1 first, then the prod wave behind an approval, two at a time. */
const PLAN = {
  waves: [
    { name: 'canary', selector: 'ring=canary' },
    { name: 'prod', selector: 'env=prod', requireApproval: true, maxConcurrency: 2 },
  ],
};

const FLEET: Record<string, Record<string, string>> = {
  'canary-1': { env: 'prod', ring: 'canary' },
  'prod-a': { env: 'prod' },
  'prod-b': { env: 'prod' },
  'prod-c': { env: 'prod' }, // cordoned below: excluded
  'dev-1': { env: 'dev' }, // not targeted
};

const ROLLOUT_FIELDS = `
  id applicationName commit kind rollbackOf rolledBackBy state paused currentWave createdBy message
  createdAt updatedAt finishedAt
  application { name syncPolicy }
  revision { commit author authorEmail message }
  blocking { kind message secondsLeft until failed limit size since at inFlight }
  waves {
    index name selector size failed failureLimit concurrencyLimit soakSeconds requireApproval
    progressDeadlineSeconds startedAt healthyAt approvedAt approvedBy
    counts { pending assigned applying progressing healthy degraded failed timedOut skipped }
    blocking { kind message }
  }
  clusters {
    clusterId name wave phase targetDigest targetCommit assignedAt reportedDigest reportedAt
    failing { id reason message }
    blocking { kind message at }
  }`;

interface Blocking {
  kind: string;
  message: string;
  at?: string | null;
  secondsLeft?: number | null;
}

interface Rollout {
  id: string;
  applicationName: string;
  commit: string;
  kind: string;
  rollbackOf: string | null;
  rolledBackBy: string | null;
  state: string;
  paused: boolean;
  currentWave: number;
  createdBy: string;
  message: string | null;
  finishedAt: string | null;
  application: { name: string; syncPolicy: string } | null;
  revision: { commit: string; author: string; authorEmail: string; message: string } | null;
  blocking: Blocking | null;
  waves: {
    index: number;
    name: string;
    size: number;
    requireApproval: boolean;
    concurrencyLimit: number;
    approvedBy: string | null;
    counts: Record<string, number>;
    blocking: Blocking | null;
  }[];
  clusters: {
    name: string;
    wave: string;
    phase: string;
    targetDigest: string | null;
    targetCommit: string | null;
    blocking: Blocking | null;
  }[];
}

describe('GraphQL API for applications, rollouts and the audit trail (real hub, Postgres, Kafka, git)', () => {
  let gitRoot: string;
  let git: GitServer;
  let repo: LocalRepo;
  let hub: TestHub;
  let producer: Producer;
  let viewer: string;
  let operator: string;
  let firstCommit: string;
  let rolloutId: string;
  let applicationId: string;
  const agents = new Map<string, SimAgent>();
  const clients: Client[] = [];

  async function apiToken(name: string, role: string): Promise<string> {
    const data = await gqlOk<{ createApiToken: { secret: string } }>(
      hub,
      `mutation($name: String!, $role: Role!) { createApiToken(name: $name, role: $role) { secret } }`,
      { name, role },
    );
    return data.createApiToken.secret;
  }

  async function rollout(id: string): Promise<Rollout> {
    const data = await gqlOk<{ rollout: Rollout }>(
      hub,
      `query($id: ID!) { rollout(id: $id) { ${ROLLOUT_FIELDS} } }`,
      { id },
      viewer,
    );
    return data.rollout;
  }

  /** Awaits the engine: passes run asynchronously after every mutation and report. */
  async function rolloutWhen(id: string, description: string, done: (r: Rollout) => boolean) {
    let last: Rollout | undefined;
    try {
      return await waitFor(
        async () => {
          await hub.app.get(RolloutScheduler).idle();
          last = await rollout(id);
          return done(last) ? last : undefined;
        },
        { description, timeoutMs: 20_000 },
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`, { cause: error });
    }
  }

  function mutation(name: string, args: string, variables: Record<string, unknown>, token = operator) {
    return gql<Record<string, Rollout>>(
      hub,
      `mutation(${args}) { ${name}(${Object.keys(variables)
        .map((k) => `${k}: $${k}`)
        .join(', ')}) { id state paused } }`,
      variables,
      token,
    );
  }

  const createApplication = (input: Record<string, unknown>, token = operator) =>
    gql<{ createApplication: { id: string; name: string } }>(
      hub,
      `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { id name } }`,
      { input },
      token,
    );

  function webInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      name: 'web',
      repoUrl: git.url('fleet'),
      credentialsRef: 'fleet-git',
      ref: 'main',
      path: 'web',
      targetSelector: 'env=prod',
      syncPolicy: 'manual',
      valuesRules: [
        { selector: 'ring=canary', values: { color: 'yellow' } },
        { selector: '', values: { color: 'blue' } },
      ],
      plan: PLAN,
      ...overrides,
    };
  }

  beforeAll(async () => {
    gitRoot = await mkdtemp(join(tmpdir(), 'fleetwave-gql-git-'));
    git = await startGitServer({
      root: join(gitRoot, 'served'),
      auth: { username: GIT_USER, password: GIT_PASSWORD },
    });
    repo = await createRepo(join(gitRoot, 'served'), 'fleet');
    firstCommit = await repo.commit(
      { 'web/config.yaml': WEB_CONFIG_MAP },
      'web: first config\n\nWith a body.',
      {
        name: 'Ada Lovelace',
        email: 'ada@example.invalid',
      },
    );
    const credentialsFile = join(gitRoot, 'git-credentials.json');
    await writeFile(
      credentialsFile,
      JSON.stringify({ 'fleet-git': { username: GIT_USER, password: GIT_PASSWORD } }),
    );

    const config = await testHubConfig();
    config.git = { ...config.git, credentialsFile };
    hub = await startTestHub(config);
    producer = await connectReportProducer(kafkaBrokers(), 'it-rollouts-gql');
    viewer = await apiToken('watcher', 'viewer');
    operator = await apiToken('ops', 'operator');
    for (const [name, labels] of Object.entries(FLEET)) {
      agents.set(name, simAgentOf(hub, await registerCluster(hub, name, labels), producer));
    }
    await gqlOk(hub, `mutation { cordonCluster(name: "prod-c") { name } }`);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await producer?.disconnect();
    await hub?.close();
    await git?.stop();
    await rm(gitRoot, { recursive: true, force: true });
  });

  describe('applications', () => {
    it('creates an application and syncs it; credentialsRef is shown, the git secret never', async () => {
      const created = await createApplication(webInput());
      expect(created.errors).toBeUndefined();
      applicationId = created.data!.createApplication.id;

      const synced = await gql<{
        syncApplication: {
          commit: string | null;
          rolloutId: string | null;
          error: string | null;
          application: { latestCommit: string; lastSyncedAt: string; lastSyncError: string | null };
        };
      }>(
        hub,
        `mutation { syncApplication(name: "web") {
            commit rolloutId error application { latestCommit lastSyncedAt lastSyncError } } }`,
        {},
        operator,
      );
      expect(synced.errors).toBeUndefined();
      expect(synced.data!.syncApplication).toEqual({
        commit: firstCommit,
        rolloutId: null, // manual policy: no rollout until an operator starts one
        error: null,
        application: { latestCommit: firstCommit, lastSyncedAt: expect.any(String), lastSyncError: null },
      });

      const read = await gql<{ application: Record<string, unknown> }>(
        hub,
        `{ application(name: "web") {
            id name repoUrl credentialsRef ref path targetSelector valuesRules { selector values } plan
            syncPolicy pollIntervalSeconds defaultNamespace prune latestCommit lastSyncError createdAt updatedAt
            latestRevision { commit author authorEmail committedAt message error fetchedAt }
            revisions(first: 5) { commit author }
            rollouts { totalCount edges { node { id } } } } }`,
        {},
        viewer,
      );
      expect(read.errors).toBeUndefined();
      expect(read.data!.application).toMatchObject({
        id: applicationId,
        name: 'web',
        repoUrl: git.url('fleet'),
        credentialsRef: 'fleet-git',
        ref: 'main',
        path: 'web',
        targetSelector: 'env=prod',
        valuesRules: [
          { selector: 'ring=canary', values: { color: 'yellow' } },
          { selector: '', values: { color: 'blue' } },
        ],
        plan: {
          waves: [
            expect.objectContaining({ name: 'canary', maxConcurrency: 1, progressDeadlineSeconds: 600 }),
            expect.objectContaining({ name: 'prod', requireApproval: true, maxConcurrency: 2 }),
          ],
          rest: expect.objectContaining({ maxConcurrency: 1 }),
          autoRollback: false,
        },
        syncPolicy: 'manual',
        pollIntervalSeconds: 60,
        defaultNamespace: null,
        prune: true,
        latestCommit: firstCommit,
        lastSyncError: null,
        latestRevision: {
          commit: firstCommit,
          author: 'Ada Lovelace',
          authorEmail: 'ada@example.invalid',
          committedAt: expect.any(String),
          message: 'web: first config\n\nWith a body.',
          error: null,
          fetchedAt: expect.any(String),
        },
        revisions: [{ commit: firstCommit, author: 'Ada Lovelace' }],
        rollouts: { totalCount: 0, edges: [] },
      });

      const events = await gql<{ events: { edges: { node: { actor: string; action: string } }[] } }>(
        hub,
        `query($id: String!) { events(targetKind: application, targetId: $id) {
            edges { node { id occurredAt actor action target { kind id } before after } } } }`,
        { id: applicationId },
        viewer,
      );
      expect(events.data!.events.edges.map((e) => [e.node.action, e.node.actor])).toEqual([
        ['application.revisionFetched', 'git'],
        ['application.created', 'token:ops'],
      ]);
      expect(read.text).toContain('"credentialsRef":"fleet-git"');
      expect(events.text).toContain('"credentialsRef":"fleet-git"');
      for (const text of [read.text, events.text, synced.text]) {
        expect(text).not.toContain(GIT_PASSWORD);
        expect(text).not.toContain(GIT_USER);
      }
    });

    it('lists applications as a connection', async () => {
      const data = await gqlOk<{
        applications: { totalCount: number; edges: { cursor: string; node: { name: string } }[] };
      }>(
        hub,
        `{ applications(first: 10) { totalCount edges { cursor node { name } } pageInfo { hasNextPage } } }`,
        {},
        viewer,
      );
      expect(data.applications.totalCount).toBe(1);
      expect(data.applications.edges.map((e) => e.node.name)).toEqual(['web']);
    });

    it.each([
      ['a bad target selector', { targetSelector: 'env in (prod' }, 'targetSelector'],
      ['a bad values selector', { valuesRules: [{ selector: '!!', values: {} }] }, 'valuesRules.0.selector'],
      ['a bad wave name in the plan', { plan: { waves: [{ name: 'Canary!' }] } }, 'waves[0].name'],
      [
        'a bad selector in the plan',
        { plan: { waves: [{ name: 'c', selector: 'a in (' }] } },
        'waves[0].selector',
      ],
      ['an unknown plan field', { plan: { wavez: [] } }, 'unknown field "wavez"'],
      ['a plan that is not an object', { plan: [1, 2] }, 'plan: must be an object'],
      [
        'a repository URL with credentials',
        { repoUrl: `http://u:${GIT_PASSWORD}@example.invalid/x.git` },
        'repoUrl',
      ],
      ['an ssh repository URL', { repoUrl: 'git@example.invalid:x.git' }, 'repoUrl'],
      ['a secret-looking credentialsRef', { credentialsRef: 'user:pass' }, 'credentialsRef'],
      ['a bad name', { name: 'Web App' }, 'name'],
      ['a poll interval of 1 s', { pollIntervalSeconds: 1 }, 'pollIntervalSeconds'],
    ])('refuses %s with INVALID_ARGUMENT naming the field', async (_case, overrides, field) => {
      const response = await createApplication(webInput({ name: 'refused', ...overrides }));
      expect(codes(response)).toEqual(['INVALID_ARGUMENT']);
      expect(response.errors![0]!.message).toContain(field);
      expect(response.text).not.toContain(GIT_PASSWORD);
    });

    it('refuses a duplicate name with CONFLICT, and unknown applications with NOT_FOUND', async () => {
      const duplicate = await createApplication(webInput());
      const update = await gql(
        hub,
        `mutation { updateApplication(name: "nope", input: { prune: false }) { name } }`,
        {},
        operator,
      );
      const sync = await gql(hub, `mutation { syncApplication(name: "nope") { error } }`, {}, operator);
      const remove = await gql(hub, `mutation { deleteApplication(name: "nope") { name } }`, {}, operator);
      const read = await gqlOk<{ application: unknown }>(
        hub,
        `{ application(name: "nope") { name } }`,
        {},
        viewer,
      );

      expect(codes(duplicate)).toEqual(['CONFLICT']);
      expect(duplicate.errors![0]!.message).toContain('web');
      expect(codes(update)).toEqual(['NOT_FOUND']);
      expect(codes(sync)).toEqual(['NOT_FOUND']);
      expect(codes(remove)).toEqual(['NOT_FOUND']);
      expect(read.application).toBeNull();
    });

    it('updates only the fields given and validates them like create', async () => {
      const updated = await gqlOk<{
        updateApplication: { pollIntervalSeconds: number; prune: boolean; ref: string };
      }>(
        hub,
        `mutation { updateApplication(name: "web", input: { pollIntervalSeconds: 120 }) {
            pollIntervalSeconds prune ref } }`,
        {},
        operator,
      );
      const badPlan = await gql(
        hub,
        `mutation($plan: JSON) { updateApplication(name: "web", input: { plan: $plan }) { name } }`,
        { plan: { waves: [{ name: 'x', maxConcurrency: '0%' }] } },
        operator,
      );
      const nullRef = await gql(
        hub,
        `mutation { updateApplication(name: "web", input: { ref: null }) { name } }`,
        {},
        operator,
      );

      expect(updated.updateApplication).toEqual({ pollIntervalSeconds: 120, prune: true, ref: 'main' });
      expect(codes(badPlan)).toEqual(['INVALID_ARGUMENT']);
      expect(badPlan.errors![0]!.message).toContain('waves[0].maxConcurrency');
      expect(codes(nullRef)).toEqual(['INVALID_ARGUMENT']);
      expect(nullRef.errors![0]!.message).toContain('ref');
    });

    it('refuses every application mutation to a viewer (FORBIDDEN) and to nobody (UNAUTHENTICATED)', async () => {
      const create = await createApplication(webInput({ name: 'viewer-app' }), viewer);
      const sync = await gql(hub, `mutation { syncApplication(name: "web") { error } }`, {}, viewer);
      const remove = await gql(hub, `mutation { deleteApplication(name: "web") { name } }`, {}, viewer);
      const anonymous = await gql(hub, `{ applications { totalCount } }`, {}, null);

      expect(codes(create)).toEqual(['FORBIDDEN']);
      expect(codes(sync)).toEqual(['FORBIDDEN']);
      expect(codes(remove)).toEqual(['FORBIDDEN']);
      expect(codes(anonymous)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('rollouts', () => {
    it('previews the waves in assignment order, the excluded clusters and no render errors', async () => {
      interface Preview {
        previewRollout: {
          application: string;
          commit: string;
          waves: {
            index: number;
            name: string;
            selector: string;
            clusters: { name: string; digest: string }[];
          }[];
          excluded: { name: string; wave: string; reason: string }[];
          renderErrors: string[];
        };
      }
      const preview = await gqlOk<Preview>(
        hub,
        `{ previewRollout(application: "web") { application commit plan
            waves { index name selector clusters { id name digest } } excluded { id name wave reason } renderErrors } }`,
        {},
        viewer,
      );
      const { waves } = preview.previewRollout;
      expect(preview.previewRollout).toMatchObject({
        application: 'web',
        commit: firstCommit,
        excluded: [{ name: 'prod-c', wave: 'prod', reason: 'cordoned' }],
        renderErrors: [],
      });
      expect(waves.map((w) => [w.index, w.name, w.selector, w.clusters.map((c) => c.name)])).toEqual([
        [0, 'canary', 'ring=canary', ['canary-1']],
        [1, 'prod', 'env=prod', ['prod-a', 'prod-b']],
        [2, 'rest', '', []],
      ]);
      // Per-cluster values: the canary renders yellow, the others blue (and both prod clusters differ by name).
      const digests = waves.flatMap((w) => w.clusters.map((c) => c.digest));
      expect(digests.every((d) => /^sha256:[0-9a-f]{64}$/.test(d))).toBe(true);
      expect(new Set(digests).size).toBe(3);

      // Another plan, tried without saving it: everything in the implicit rest wave.
      const flat = await gqlOk<Preview>(
        hub,
        `{ previewRollout(application: "web", plan: { rest: { maxConcurrency: "50%" } }) {
            waves { name clusters { name } } } }`,
        {},
        viewer,
      );
      expect(flat.previewRollout.waves).toEqual([
        { name: 'rest', clusters: [{ name: 'canary-1' }, { name: 'prod-a' }, { name: 'prod-b' }] },
      ]);
    });

    it('answers a bad preview with the right code', async () => {
      const unknownApp = await gql(hub, `{ previewRollout(application: "nope") { commit } }`, {}, viewer);
      const badPlan = await gql(
        hub,
        `{ previewRollout(application: "web", plan: { waves: [{ name: "rest" }] }) { commit } }`,
        {},
        viewer,
      );
      const unknownCommit = await gql(
        hub,
        `query($r: String) { previewRollout(application: "web", revision: $r) { commit } }`,
        { r: 'f'.repeat(40) },
        viewer,
      );
      expect(codes(unknownApp)).toEqual(['NOT_FOUND']);
      expect(codes(badPlan)).toEqual(['INVALID_ARGUMENT']);
      expect(badPlan.errors![0]!.message).toContain('reserved');
      expect(codes(unknownCommit)).toEqual(['NOT_FOUND']);
      const malformedCommit = await gql(
        hub,
        `{ previewRollout(application: "web", revision: "HEAD") { commit } }`,
        {},
        viewer,
      );
      expect(codes(malformedCommit)).toEqual(['INVALID_ARGUMENT']);
    });

    it('refuses to start a rollout of an unknown or malformed revision, or for an unknown application', async () => {
      const notHex = await mutation('startRollout', '$application: String!, $revision: String', {
        application: 'web',
        revision: 'main',
      });
      const notFetched = await mutation('startRollout', '$application: String!, $revision: String', {
        application: 'web',
        revision: '0'.repeat(40),
      });
      const noApp = await mutation('startRollout', '$application: String!', { application: 'nope' });
      expect(codes(notHex)).toEqual(['INVALID_ARGUMENT']);
      expect(codes(notFetched)).toEqual(['FAILED_PRECONDITION']);
      expect(codes(noApp)).toEqual(['NOT_FOUND']);
    });

    it('starts a rollout: the first cluster of the first wave is Assigned, with a deadline', async () => {
      const started = await gqlOk<{ startRollout: Rollout }>(
        hub,
        `mutation { startRollout(application: "web") { ${ROLLOUT_FIELDS} } }`,
        {},
        operator,
      );
      rolloutId = started.startRollout.id;
      expect(started.startRollout).toMatchObject({
        applicationName: 'web',
        commit: firstCommit,
        kind: 'rollout',
        createdBy: 'token:ops',
        application: { name: 'web', syncPolicy: 'manual' },
        revision: {
          commit: firstCommit,
          author: 'Ada Lovelace',
          message: 'web: first config\n\nWith a body.',
        },
      });

      const running = await rolloutWhen(rolloutId, 'canary-1 to be Assigned', (r) =>
        r.clusters.some((c) => c.name === 'canary-1' && c.phase === 'Assigned'),
      );
      const startedAt = Date.now();
      expect(running.state).toBe('Progressing');
      expect(running.blocking).toMatchObject({
        kind: 'deadline',
        message: expect.stringMatching(/^deadline at \d{4}-/),
      });
      // The default progress deadline is 600 s from the assignment.
      const deadline = Date.parse(running.blocking!.at!);
      expect(deadline).toBeGreaterThan(startedAt + 590_000);
      expect(deadline).toBeLessThan(startedAt + 610_000);
      expect(running.clusters.map((c) => [c.name, c.wave, c.phase, c.blocking?.kind ?? null])).toEqual([
        ['canary-1', 'canary', 'Assigned', 'deadline'],
        ['prod-a', 'prod', 'Pending', 'previousWave'],
        ['prod-b', 'prod', 'Pending', 'previousWave'],
      ]);
      expect(
        running.clusters.every(
          (c) => c.targetCommit === firstCommit && c.targetDigest?.startsWith('sha256:'),
        ),
      ).toBe(true);
      expect(
        running.waves.map((w) => [
          w.name,
          w.size,
          w.counts['assigned'],
          w.counts['pending'],
          w.blocking?.kind ?? null,
        ]),
      ).toEqual([
        ['canary', 1, 1, 0, 'deadline'],
        ['prod', 2, 0, 2, 'previousWave'],
        ['rest', 0, 0, 0, null],
      ]);
      expect(running.waves[1]!.blocking!.message).toBe('waiting for the previous wave');
      expect(running.waves[1]).toMatchObject({ requireApproval: true, concurrencyLimit: 2 });
    });

    it('refuses rollout mutations to a viewer with FORBIDDEN', async () => {
      const results = await Promise.all([
        mutation('pauseRollout', '$id: ID!', { id: rolloutId }, viewer),
        mutation('abortRollout', '$id: ID!', { id: rolloutId }, viewer),
        mutation('startRollout', '$application: String!', { application: 'web' }, viewer),
        mutation('approveWave', '$id: ID!', { id: rolloutId }, viewer),
        mutation('rollbackRollout', '$id: ID!', { id: rolloutId }, viewer),
        mutation('skipCluster', '$id: ID!, $cluster: String!', { id: rolloutId, cluster: 'prod-a' }, viewer),
      ]);
      for (const result of results) expect(codes(result)).toEqual(['FORBIDDEN']);
      expect((await rollout(rolloutId)).state).toBe('Progressing');
    });

    it('pauses and resumes, refusing what the state does not allow with FAILED_PRECONDITION', async () => {
      const paused = await mutation('pauseRollout', '$id: ID!', { id: rolloutId });
      const pausedTwice = await mutation('pauseRollout', '$id: ID!', { id: rolloutId });
      const approveWhilePaused = await mutation('approveWave', '$id: ID!', { id: rolloutId });
      const whilePaused = await rollout(rolloutId);
      const resumed = await mutation('resumeRollout', '$id: ID!', { id: rolloutId });
      const resumedTwice = await mutation('resumeRollout', '$id: ID!', { id: rolloutId });

      expect(paused.data!['pauseRollout']).toMatchObject({ state: 'Paused', paused: true });
      expect(codes(pausedTwice)).toEqual(['FAILED_PRECONDITION']);
      expect(codes(approveWhilePaused)).toEqual(['FAILED_PRECONDITION']);
      expect(whilePaused).toMatchObject({
        state: 'Paused',
        paused: true,
        blocking: { kind: 'paused', message: 'paused by an operator' },
      });
      expect(resumed.data!['resumeRollout']).toMatchObject({ state: 'Progressing', paused: false });
      expect(codes(resumedTwice)).toEqual(['FAILED_PRECONDITION']);
      expect(resumedTwice.errors![0]!.message).toContain('not Paused');
    });

    it('answers unknown rollouts, clusters and malformed ids with NOT_FOUND and INVALID_ARGUMENT', async () => {
      const unknownId = '00000000-0000-4000-8000-000000000000';
      const unknownRollout = await mutation('pauseRollout', '$id: ID!', { id: unknownId });
      const malformed = await mutation('pauseRollout', '$id: ID!', { id: 'not-a-uuid' });
      const unknownCluster = await mutation('retryCluster', '$id: ID!, $cluster: String!', {
        id: rolloutId,
        cluster: 'nope',
      });
      const notAMember = await mutation('skipCluster', '$id: ID!, $cluster: String!', {
        id: rolloutId,
        cluster: 'dev-1',
      });
      const read = await gql<{ rollout: unknown }>(
        hub,
        `query($id: ID!) { rollout(id: $id) { id } }`,
        { id: unknownId },
        viewer,
      );
      const badRead = await gql(hub, `{ rollout(id: "x") { id } }`, {}, viewer);
      const badCursor = await gql(hub, `{ rollouts(after: "bm9wZQ") { totalCount } }`, {}, viewer);

      expect(codes(unknownRollout)).toEqual(['NOT_FOUND']);
      expect(codes(malformed)).toEqual(['INVALID_ARGUMENT']);
      expect(codes(unknownCluster)).toEqual(['NOT_FOUND']);
      expect(codes(notAMember)).toEqual(['NOT_FOUND']);
      expect(read.data!.rollout).toBeNull();
      expect(codes(badRead)).toEqual(['INVALID_ARGUMENT']);
      expect(codes(badCursor)).toEqual(['INVALID_ARGUMENT']);
    });

    it('delivers rolloutChanged with the fresh rollout after a mutation', async () => {
      await hub.app.get(ClusterChangesFeed).whenJoined();
      const client = createClient({
        url: hub.url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${viewer}` },
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      const received: Rollout[] = [];
      const errors: unknown[] = [];
      client.subscribe<{ rolloutChanged: Rollout }>(
        {
          query: `subscription($id: ID!) { rolloutChanged(id: $id) { id state paused blocking { kind message }
            waves { name counts { assigned pending } } } }`,
          variables: { id: rolloutId },
        },
        {
          next: (message) => {
            if (message.data) received.push(message.data.rolloutChanged);
            if (message.errors) errors.push(...message.errors);
          },
          error: (error) => errors.push(error),
          complete: () => undefined,
        },
      );

      // The subscription is registered asynchronously: toggle pause/resume until the first update
      // arrives, then check one specific change end to end.
      let paused = false;
      await waitFor(
        async () => {
          if (received.length > 0) return true;
          await mutation(paused ? 'resumeRollout' : 'pauseRollout', '$id: ID!', { id: rolloutId });
          paused = !paused;
          return false;
        },
        { description: 'the first rolloutChanged update', timeoutMs: 30_000, intervalMs: 500 },
      );
      if (paused) {
        await mutation('resumeRollout', '$id: ID!', { id: rolloutId });
        await waitFor(() => received.at(-1)?.state === 'Progressing', {
          description: 'the resume update',
          timeoutMs: 20_000,
        });
      }
      const before = received.length;
      await mutation('pauseRollout', '$id: ID!', { id: rolloutId });
      const update = await waitFor(() => received.slice(before).find((r) => r.state === 'Paused'), {
        description: 'a rolloutChanged update with state Paused',
        timeoutMs: 20_000,
      });
      expect(update).toMatchObject({
        id: rolloutId,
        paused: true,
        blocking: { kind: 'paused', message: 'paused by an operator' }, // it waits for the operator only
        waves: [
          { name: 'canary', counts: { assigned: 1, pending: 0 } },
          { name: 'prod', counts: { assigned: 0, pending: 2 } },
          { name: 'rest', counts: { assigned: 0, pending: 0 } },
        ],
      });
      await mutation('resumeRollout', '$id: ID!', { id: rolloutId });
      await waitFor(() => received.at(-1)?.state === 'Progressing', {
        description: 'the resume update',
        timeoutMs: 20_000,
      });
      expect(errors).toEqual([]);
    });

    it('refuses rolloutChanged for an unknown or malformed id', async () => {
      const client = createClient({
        url: hub.url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${viewer}` },
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      const refusal = (id: string) =>
        new Promise<unknown[]>((resolve) => {
          client.subscribe(
            { query: `subscription($id: ID!) { rolloutChanged(id: $id) { id } }`, variables: { id } },
            {
              next: () => undefined,
              error: (error) => resolve(Array.isArray(error) ? error : [error]),
              complete: () => resolve([]),
            },
          );
        });
      expect(await refusal('00000000-0000-4000-8000-000000000000')).toEqual([
        expect.objectContaining({ extensions: { code: 'NOT_FOUND' } }),
      ]);
      expect(await refusal('nope')).toEqual([
        expect.objectContaining({ extensions: { code: 'INVALID_ARGUMENT' } }),
      ]);
    });

    it('waits for approval once the canary is healthy; approveWave opens the prod wave two at a time', async () => {
      const current = await rollout(rolloutId);
      const canary = current.clusters.find((c) => c.name === 'canary-1')!;
      const agent = agents.get('canary-1')!;
      await agent.send({
        ...agent.heartbeat(),
        kind: 'status',
        bundles: [
          {
            application: 'web',
            digest: canary.targetDigest!,
            commit: firstCommit,
            phase: 'Healthy',
            ready: 1,
            total: 1,
            failing: [],
            driftCorrections: 0,
            observedAt: new Date().toISOString(),
          },
        ],
      } as Report);

      const awaiting = await rolloutWhen(
        rolloutId,
        'the prod wave to await approval',
        (r) => r.state === 'AwaitingApproval',
      );
      expect(awaiting.currentWave).toBe(1);
      expect(awaiting.blocking).toMatchObject({ kind: 'approval', message: 'approval pending' });
      expect(awaiting.waves[0]!.counts['healthy']).toBe(1);
      expect(awaiting.clusters.find((c) => c.name === 'canary-1')!.phase).toBe('Healthy');
      expect(awaiting.clusters.filter((c) => c.wave === 'prod').map((c) => c.blocking?.kind)).toEqual([
        'approval',
        'approval',
      ]);

      const wrongWave = await mutation('approveWave', '$id: ID!, $wave: String', {
        id: rolloutId,
        wave: 'canary',
      });
      expect(codes(wrongWave)).toEqual(['FAILED_PRECONDITION']);
      expect(wrongWave.errors![0]!.message).toContain('"prod"');

      const approved = await mutation('approveWave', '$id: ID!, $wave: String', {
        id: rolloutId,
        wave: 'prod',
      });
      expect(approved.errors).toBeUndefined();
      const opened = await rolloutWhen(
        rolloutId,
        'both prod clusters to be Assigned',
        (r) => r.clusters.filter((c) => c.wave === 'prod' && c.phase === 'Assigned').length === 2,
      );
      expect(opened.state).toBe('Progressing');
      expect(opened.waves[1]).toMatchObject({
        approvedBy: 'token:ops',
        counts: expect.objectContaining({ assigned: 2 }),
      });
      expect(codes(await mutation('approveWave', '$id: ID!', { id: rolloutId }))).toEqual([
        'FAILED_PRECONDITION',
      ]);
    });

    it('lists the audit trail of the rollout newest first, with actors, paging with cursors', async () => {
      interface Page {
        events: {
          edges: {
            cursor: string;
            node: {
              actor: string;
              action: string;
              target: { kind: string; id: string };
              after: Record<string, unknown> | null;
            };
          }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }
      const query = `query($id: String!, $after: String) { events(targetKind: rollout, targetId: $id, first: 3, after: $after) {
          edges { cursor node { id occurredAt actor action target { kind id } before after } }
          pageInfo { hasNextPage endCursor } } }`;
      const all: Page['events']['edges'] = [];
      let after: string | null = null;
      for (let page = 0; page < 50; page++) {
        const data: Page = await gqlOk<Page>(hub, query, { id: rolloutId, after }, viewer);
        all.push(...data.events.edges);
        if (!data.events.pageInfo.hasNextPage) break;
        after = data.events.pageInfo.endCursor;
      }
      const trail = all.map((e) => `${e.node.action} by ${e.node.actor}`).reverse();
      expect(trail[0]).toBe('rollout.started by token:ops');
      expect(trail).toEqual(
        expect.arrayContaining([
          'rollout.progressing by engine',
          'rollout.paused by token:ops',
          'rollout.resumed by token:ops',
          'rollout.awaitingApproval by engine',
          'rollout.waveApproved by token:ops',
        ]),
      );
      expect(trail.indexOf('rollout.awaitingApproval by engine')).toBeLessThan(
        trail.indexOf('rollout.waveApproved by token:ops'),
      );
      expect(all.every((e) => e.node.target.kind === 'rollout' && e.node.target.id === rolloutId)).toBe(true);
      const ids = all.map((e) => Number((e.node as unknown as { id: string }).id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(all.find((e) => e.node.action === 'rollout.started')!.node.after).toMatchObject({
        application: 'web',
        commit: firstCommit,
        author: 'Ada Lovelace',
      });

      const badTarget = await gql(hub, `{ events(targetId: "x") { pageInfo { hasNextPage } } }`, {}, viewer);
      const badCursor = await gql(hub, `{ events(after: "eA") { pageInfo { hasNextPage } } }`, {}, viewer);
      const tooMany = await gql(hub, `{ events(first: 501) { pageInfo { hasNextPage } } }`, {}, viewer);
      expect(codes(badTarget)).toEqual(['INVALID_ARGUMENT']);
      expect(codes(badCursor)).toEqual(['INVALID_ARGUMENT']);
      expect(codes(tooMany)).toEqual(['INVALID_ARGUMENT']);
    });

    it('aborts once: a second abort, a pause or a retry of a finished rollout is FAILED_PRECONDITION', async () => {
      const aborted = await mutation('abortRollout', '$id: ID!', { id: rolloutId });
      const again = await mutation('abortRollout', '$id: ID!', { id: rolloutId });
      const pause = await mutation('pauseRollout', '$id: ID!', { id: rolloutId });
      const retry = await mutation('retryCluster', '$id: ID!, $cluster: String!', {
        id: rolloutId,
        cluster: 'prod-a',
      });

      expect(aborted.data!['abortRollout']).toMatchObject({ state: 'Aborted' });
      expect(codes(again)).toEqual(['FAILED_PRECONDITION']);
      expect(again.errors![0]!.message).toContain('already finished');
      expect(codes(pause)).toEqual(['FAILED_PRECONDITION']);
      expect(codes(retry)).toEqual(['FAILED_PRECONDITION']);
      const finished = await rollout(rolloutId);
      expect(finished).toMatchObject({ state: 'Aborted', blocking: null, message: 'aborted by token:ops' });
      expect(finished.finishedAt).not.toBeNull();
    });

    it('rolls back the clusters an aborted rollout changed, linking both ways', async () => {
      const badCommit = await mutation('rollbackRollout', '$id: ID!, $commit: String', {
        id: rolloutId,
        commit: 'HEAD',
      });
      expect(codes(badCommit)).toEqual(['INVALID_ARGUMENT']);

      // None of its clusters ran anything before this rollout: there is nothing to return to by default.
      const nothing = await mutation('rollbackRollout', '$id: ID!', { id: rolloutId });
      expect(codes(nothing)).toEqual(['FAILED_PRECONDITION']);
      expect(nothing.errors![0]!.message).toContain('name the commit to roll back to');

      const { commit } = await rollout(rolloutId);
      const created = await gqlOk<{ rollbackRollout: Rollout }>(
        hub,
        `mutation($id: ID!, $commit: String) { rollbackRollout(id: $id, commit: $commit) { ${ROLLOUT_FIELDS} } }`,
        { id: rolloutId, commit },
        operator,
      );
      const rollback = created.rollbackRollout;
      expect(rollback).toMatchObject({
        kind: 'rollback',
        rollbackOf: rolloutId,
        createdBy: 'token:ops',
        commit,
      });
      // canary-1, prod-a and prod-b were assigned: the rollback visits them last wave first.
      expect(rollback.clusters.map((c) => [c.name, c.wave, c.targetDigest])).toEqual([
        ['prod-a', 'prod', expect.stringMatching(/^sha256:/)],
        ['prod-b', 'prod', expect.stringMatching(/^sha256:/)],
        ['canary-1', 'canary', expect.stringMatching(/^sha256:/)],
      ]);
      // An operator skips each cluster, which completes the rollback. canary-1 first, while its wave
      // waits: it reported Healthy for this very bundle earlier, so once its wave started the
      // rollback could finish before the operator got to it.
      for (const cluster of ['canary-1', 'prod-a', 'prod-b']) {
        await gqlOk(
          hub,
          `mutation($id: ID!, $cluster: String!) { skipCluster(id: $id, cluster: $cluster) { id } }`,
          { id: rollback.id, cluster },
          operator,
        );
      }
      const done = await rolloutWhen(rollback.id, 'the rollback to finish', (r) => r.finishedAt !== null);
      expect(done.state).toBe('Succeeded');
      expect(done.clusters.every((c) => c.phase === 'Skipped')).toBe(true);
      expect(await rollout(rolloutId)).toMatchObject({ state: 'RolledBack', rolledBackBy: rollback.id });
    });

    it('pages rollouts newest first with opaque cursors, filtered by application and state', async () => {
      interface Page {
        rollouts: {
          totalCount: number;
          edges: { cursor: string; node: { id: string; kind: string; state: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
        };
      }
      const query = `query($after: String, $state: [RolloutState!]) {
          rollouts(application: "web", first: 1, after: $after, state: $state) {
            totalCount edges { cursor node { id kind state } } pageInfo { hasNextPage endCursor } } }`;
      const first = await gqlOk<Page>(hub, query, {}, viewer);
      const second = await gqlOk<Page>(hub, query, { after: first.rollouts.pageInfo.endCursor }, viewer);
      const finished = await gqlOk<Page>(hub, query, { state: ['Aborted', 'RolledBack'] }, viewer);
      const viaApplication = await gqlOk<{ application: { rollouts: Page['rollouts'] } }>(
        hub,
        `{ application(name: "web") { rollouts(state: RolledBack) { totalCount edges { node { id } } } } }`,
        {},
        viewer,
      );
      const unknownApp = await gql(hub, `{ rollouts(application: "nope") { totalCount } }`, {}, viewer);

      expect(first.rollouts.totalCount).toBe(2);
      expect(first.rollouts.edges.map((e) => e.node.kind)).toEqual(['rollback']);
      expect(first.rollouts.pageInfo.hasNextPage).toBe(true);
      expect(first.rollouts.pageInfo.endCursor).not.toContain(first.rollouts.edges[0]!.node.id.slice(0, 8));
      expect(second.rollouts.edges.map((e) => e.node.id)).toEqual([rolloutId]);
      expect(second.rollouts.pageInfo.hasNextPage).toBe(false);
      expect(finished.rollouts.edges.map((e) => e.node.id)).toEqual([rolloutId]);
      expect(viaApplication.application.rollouts.edges.map((e) => e.node.id)).toEqual([rolloutId]);
      expect(codes(unknownApp)).toEqual(['NOT_FOUND']);
    });

    it('loads commit metadata and rollout details once per request, however many rollouts are listed', async () => {
      // Two more rollouts (each supersedes the one before), one of a second commit: four in all.
      await gqlOk(hub, `mutation { startRollout(application: "web") { id } }`, {}, operator);
      const secondCommit = await repo.commit(
        { 'web/config.yaml': WEB_CONFIG_MAP.replace('demo', 'demo-2') },
        'web: move to demo-2',
      );
      const synced = await gqlOk<{ syncApplication: { commit: string } }>(
        hub,
        `mutation { syncApplication(name: "web") { commit } }`,
        {},
        operator,
      );
      expect(synced.syncApplication.commit).toBe(secondCommit);
      await gqlOk(hub, `mutation { startRollout(application: "web") { id } }`, {}, operator);
      await hub.app.get(RolloutScheduler).idle();
      const revisionInfos = jest.spyOn(hub.app.get(ApplicationsService), 'revisionInfos');
      const detail = jest.spyOn(hub.app.get(RolloutsService), 'detail');
      try {
        const data = await gqlOk<{
          rollouts: {
            edges: {
              node: { id: string; revision: { author: string }; blocking: unknown; waves: unknown[] };
            }[];
          };
          applications: { edges: { node: { latestRevision: { author: string } } }[] };
        }>(
          hub,
          `{ rollouts(application: "web") { edges { node { id revision { author } blocking { kind }
                waves { name } clusters { name } application { latestRevision { author } } } } }
             applications { edges { node { latestRevision { author } } } } }`,
          {},
          viewer,
        );
        expect(data.rollouts.edges.map((e) => e.node.revision.author)).toEqual([
          'Fleetwave Test',
          'Ada Lovelace',
          'Ada Lovelace',
          'Ada Lovelace',
        ]);
        expect(data.applications.edges[0]!.node.latestRevision.author).toBe('Fleetwave Test');
        // Nine revision fields over two distinct (application, commit) pairs: batched, at most one call
        // per level of the query (rollout.revision; then the latestRevision fields one level deeper,
        // which may or may not resolve in the same tick) — never one per rollout.
        expect(revisionInfos.mock.calls.length).toBeLessThanOrEqual(2);
        // Each batch asks for distinct pairs only.
        for (const [keys] of revisionInfos.mock.calls) {
          expect(new Set(keys.map((k) => `${k.applicationId}:${k.commit}`)).size).toBe(keys.length);
          expect(keys.length).toBeLessThanOrEqual(2);
        }
        // At most once per listed rollout, never twice for one: details other reads just computed
        // are served from the read cache (HUB_READ_CACHE_MS) and not computed again.
        const computed = detail.mock.calls.map((call) => call[0]);
        expect(computed.length).toBeLessThanOrEqual(4);
        expect(new Set(computed).size).toBe(computed.length);
        expect(computed.every((id) => data.rollouts.edges.some((e) => e.node.id === id))).toBe(true);
      } finally {
        revisionInfos.mockRestore();
        detail.mockRestore();
      }
    });
  });

  it('selects on fact labels: a target on fleetwave.io/node-count>3, waves by fleetwave.io/region', async () => {
    // Not env=prod, so the application "web" above and below never sees these clusters.
    const reporting: [string, ClusterFacts][] = [
      ['big-eu', { nodeCount: 5, region: 'eu-west-1' }],
      ['big-us', { nodeCount: 8, region: 'us-east-1' }],
      ['small-eu', { nodeCount: 3, region: 'eu-west-1' }],
    ];
    for (const [name, facts] of reporting) await registerCluster(hub, name, { env: 'lab' }, facts);
    const created = await createApplication(
      webInput({
        name: 'by-facts',
        targetSelector: 'env=lab,fleetwave.io/node-count>3',
        valuesRules: [],
        plan: { waves: [{ name: 'eu', selector: 'fleetwave.io/region=eu-west-1' }] },
      }),
    );
    expect(created.errors).toBeUndefined();
    await gqlOk(hub, `mutation { syncApplication(name: "by-facts") { commit } }`, {}, operator);

    const preview = await gqlOk<{
      previewRollout: { waves: { name: string; clusters: { name: string }[] }[]; excluded: unknown[] };
    }>(
      hub,
      `{ previewRollout(application: "by-facts") { waves { name clusters { name } } excluded { name } } }`,
      {},
      viewer,
    );
    await gqlOk(hub, `mutation { deleteApplication(name: "by-facts") { name } }`, {}, operator);

    expect(preview.previewRollout).toEqual({
      waves: [
        { name: 'eu', clusters: [{ name: 'big-eu' }] },
        { name: 'rest', clusters: [{ name: 'big-us' }] },
      ],
      excluded: [],
    });
  });

  it('deletes an application explicitly: Deleting until every cluster confirmed, its history kept', async () => {
    const deleted = await gqlOk<{
      deleteApplication: { name: string; credentialsRef: string; deletion: { policy: string } };
    }>(
      hub,
      `mutation { deleteApplication(name: "web") { name credentialsRef deletion { policy } } }`,
      {},
      operator,
    );
    expect(deleted.deleteApplication).toEqual({
      name: 'web',
      credentialsRef: 'fleet-git',
      deletion: { policy: 'prune' },
    });
    // Deleting: every cluster it was assigned to has a withdrawal (Removing) until its agent confirms.
    const deleting = await gqlOk<{
      application: {
        deletion: { remaining: number; deletedAt: string | null };
        withdrawals: { clusterName: string; reason: string; deletionPolicy: string; actor: string }[];
      };
    }>(
      hub,
      `{ application(name: "web") { deletion { remaining deletedAt } withdrawals { clusterName reason deletionPolicy actor } } }`,
      {},
      viewer,
    );
    const withdrawn = deleting.application.withdrawals;
    expect(withdrawn.length).toBeGreaterThan(0);
    expect(deleting.application.deletion).toEqual({ remaining: withdrawn.length, deletedAt: null });
    for (const w of withdrawn) {
      expect(w).toMatchObject({ reason: 'deleted', deletionPolicy: 'prune', actor: 'token:ops' });
    }
    // The agents confirm their withdrawals; then the application is deleted and its name free.
    for (const { clusterName } of withdrawn) {
      const agent = agents.get(clusterName)!;
      await agent.send({ ...agent.heartbeat(), kind: 'status', bundles: [], removed: ['web'] } as Report);
    }
    await waitFor(
      async () =>
        (await gqlOk<{ application: unknown }>(hub, `{ application(name: "web") { name } }`, {}, viewer))
          .application === null,
      { description: 'web deleted once every cluster confirmed', timeoutMs: 30_000 },
    );
    const again = await gql(hub, `mutation { deleteApplication(name: "web") { name } }`, {}, operator);
    const after = await gqlOk<{
      rollout: { id: string; application: { name: string; deletion: { deletedAt: string | null } } };
      applications: { totalCount: number };
    }>(
      hub,
      `query($id: ID!) { rollout(id: $id) { id application { name deletion { deletedAt } } } applications { totalCount } }`,
      { id: rolloutId },
      viewer,
    );
    const trail = await gqlOk<{ events: { edges: { node: { action: string; actor: string } }[] } }>(
      hub,
      `query($id: String!) { events(targetKind: application, targetId: $id, first: 100) { edges { node { action actor } } } }`,
      { id: applicationId },
      viewer,
    );

    expect(codes(again)).toEqual(['NOT_FOUND']);
    // Kept for its history: its rollouts still name it; it is no longer listed.
    expect(after.rollout).toEqual({
      id: rolloutId,
      application: { name: 'web', deletion: { deletedAt: expect.any(String) } },
    });
    expect(after.applications.totalCount).toBe(0);
    const actions = trail.events.edges.map((e) => e.node.action);
    expect(actions[0]).toBe('application.deleted');
    expect(actions).toContain('application.deletionRequested');
    expect(actions).toContain('placement.withdrawn');
    expect(actions).toContain('placement.removed');
    expect(trail.events.edges[0]!.node.actor).toBe('token:ops');
  });
});
