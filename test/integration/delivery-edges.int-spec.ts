/**
 * The edges of delivery against a real hub, Postgres, Kafka and git server: the agents' long-poll and
 * bundle endpoints, push webhooks, and bad input from git (malformed YAML never reaches a cluster).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import {
  type AssignmentsResponse,
  BUNDLE_BATCH_MAX_DIGESTS,
  type BundleBatchResponse,
  bundleDigest,
  type BundleResponse,
  type RegisterResponse,
} from '@fleetwave/contracts';
import { HubClient } from '../../services/agent/src/hub/hub-client.js';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../services/hub/src/applications/git-sync.service.js';
import { AssignmentNotifier } from '../../services/hub/src/assignments/assignment-notifier.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { pushEventBody, signedWebhookHeaders } from '../harness/git-push.js';
import { createRepo, type LocalRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { waitFor } from '../harness/wait-for.js';
import { registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig, TEST_WEBHOOK_SECRET } from './support/hub.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };
const CONFIG_MAP = (greeting: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndata:\n  greeting: ${greeting}\n  cluster: \${cluster.name}\n`;

describe('delivery edges', () => {
  let git: TempGitServer;
  let repo: LocalRepo;
  let hub: TestHub;
  let east: RegisterResponse;
  let west: RegisterResponse;
  let firstCommit: string;
  /** The bundle east is assigned by the first delivery test. */
  let eastDigest: string;

  const asCluster = (cluster: RegisterResponse, path: string) =>
    hub.request('GET', path, { headers: { authorization: `Bearer ${cluster.credential}` } });

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-edges-');
    repo = await createRepo(git.root, 'edges');
    firstCommit = await repo.commit({ 'app/config.yaml': CONFIG_MAP('hello') }, 'first');
    hub = await startTestHub(
      await testHubConfig({ rollouts: { passIntervalSeconds: 1, assignmentsPollTimeoutSeconds: 4 } }),
    );
    east = await registerCluster(hub, 'east', { env: 'prod' });
    west = await registerCluster(hub, 'west', { env: 'staging' });
  });

  afterAll(async () => {
    await hub?.close();
    await git?.stop();
  });

  it('answers a first poll at once, holds an up-to-date one and answers 304 at the timeout', async () => {
    const first = await asCluster(east, '/agent/v1/assignments');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ generation: 0, assignments: [], withdrawals: [] });
    const started = Date.now();
    const held = await asCluster(east, '/agent/v1/assignments?generation=0');
    expect(held.status).toBe(304);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_900);
  });

  it('answers a held poll whose wake-up was lost while LISTEN was down, from the generation', async () => {
    const north = await registerCluster(hub, 'north', { env: 'lab' });
    const notifier = hub.app.get(AssignmentNotifier);
    const db = hub.app.get(DataSource);
    const waitingBefore = notifier.waiting;
    const held = asCluster(north, '/agent/v1/assignments?generation=0');
    await waitFor(() => notifier.waiting > waitingBefore, {
      description: 'the poll is held',
      timeoutMs: 10_000,
    });
    // The LISTEN connection dies, and a change is committed with no NOTIFY at all.
    await db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query = 'LISTEN fleetwave_assignments'`,
    );
    await db.query(`UPDATE cluster SET assignment_generation = 1 WHERE id = $1`, [north.clusterId]);
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ generation: 1, assignments: [], withdrawals: [] });
  });

  it('refuses a bad generation and a missing credential with clear errors', async () => {
    const bad = await asCluster(east, '/agent/v1/assignments?generation=soon');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'generation must be a non-negative integer',
    });
    const anonymous = await hub.request('GET', '/agent/v1/assignments');
    expect(anonymous.status).toBe(401);
  });

  it('syncs on a signed push and wakes the held poll as soon as the cluster is assigned', async () => {
    const poll = asCluster(east, '/agent/v1/assignments?generation=0');
    await hub.app.get(ApplicationsService).create(ADMIN, {
      name: 'edges',
      repoUrl: git.url('edges'),
      ref: 'main',
      path: 'app',
      targetSelector: 'env=prod',
      pollIntervalSeconds: 3600,
    });
    // The poll is held (timeout 4 s); the first sync (push or tick) and its pass must end it with the assignment.
    const body = pushEventBody(git.url('edges'), firstCommit);
    const hook = await hub.request('POST', '/webhooks/git', {
      body,
      headers: signedWebhookHeaders(body, TEST_WEBHOOK_SECRET),
    });
    expect(hook).toEqual({ status: 202, body: { event: 'push', applications: ['edges'] } });
    const response = await poll;
    expect(response.status).toBe(200);
    const assigned = response.body as AssignmentsResponse;
    expect(assigned.generation).toBe(1);
    expect(assigned.assignments).toEqual([
      {
        application: 'edges',
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        commit: firstCommit,
        prune: true,
        allowEmpty: false,
        progressDeadlineSeconds: 600,
        healthChecks: [],
        recreate: 'annotated',
        // The default project's bounds: everything.
        bounds: { namespaces: ['*'], kinds: ['*'], clusterKinds: ['*'] },
      },
    ]);

    const digest = assigned.assignments[0]!.digest;
    eastDigest = digest;
    const bundle = await asCluster(east, `/agent/v1/bundles/${digest}`);
    expect(bundle.status).toBe(200);
    expect((bundle.body as BundleResponse).manifests).toContain('cluster: east');
    // Another cluster cannot read it, and a malformed digest is refused before any lookup.
    expect((await asCluster(west, `/agent/v1/bundles/${digest}`)).status).toBe(404);
    expect((await asCluster(east, '/agent/v1/bundles/sha256:xyz')).status).toBe(400);
    // West is not targeted: nothing for it.
    expect((await asCluster(west, '/agent/v1/assignments')).body).toEqual({
      generation: 0,
      assignments: [],
      withdrawals: [],
    });
  });

  describe('batch bundle fetch', () => {
    const batch = (cluster: RegisterResponse | undefined, json: unknown) =>
      hub.request('POST', '/agent/v1/bundles/batch', {
        json,
        headers: cluster === undefined ? {} : { authorization: `Bearer ${cluster.credential}` },
      });
    const unknownDigest = `sha256:${'0'.repeat(64)}`;

    it('serves the cluster its own bundles in one request; another cluster gets none of them', async () => {
      const own = await batch(east, { digests: [eastDigest, unknownDigest] });
      expect(own.status).toBe(200);
      const served = own.body as BundleBatchResponse;
      expect(served.bundles.map((b) => b.digest)).toEqual([eastDigest]);
      expect(served.bundles[0]!.manifests).toContain('cluster: east');
      expect(bundleDigest(served.bundles[0]!.manifests)).toBe(eastDigest);
      expect(served).toMatchObject({ unavailable: [unknownDigest], deferred: [] });

      // West is not assigned east's bundle: listed unavailable, its content nowhere in the answer.
      const other = await batch(west, { digests: [eastDigest] });
      expect(other).toEqual({ status: 200, body: { bundles: [], unavailable: [eastDigest], deferred: [] } });
    });

    it("is what the agent's HubClient uses, digests verified", async () => {
      const client = new HubClient(hub.url.replace(/\/$/, ''), east.credential);
      const fetched = await client.fetchBundles([eastDigest, unknownDigest]);
      expect([...fetched!.keys()]).toEqual([eastDigest]);
      expect(fetched!.get(eastDigest)).toContain('cluster: east');
    });

    it.each([
      ['no body', undefined as unknown],
      ['no digests', { digests: [] }],
      ['a malformed digest', { digests: ['sha256:xyz'] }],
      ['a digest twice', { digests: [`sha256:${'1'.repeat(64)}`, `sha256:${'1'.repeat(64)}`] }],
      [
        `more than ${BUNDLE_BATCH_MAX_DIGESTS} digests`,
        {
          digests: Array.from(
            { length: BUNDLE_BATCH_MAX_DIGESTS + 1 },
            (_, i) => `sha256:${i.toString(16).padStart(64, '0')}`,
          ),
        },
      ],
    ])('refuses %s with INVALID_ARGUMENT', async (_, json) => {
      const response = await batch(east, json);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'INVALID_ARGUMENT' });
    });

    it('refuses a request without a cluster credential', async () => {
      const response = await batch(undefined, { digests: [eastDigest] });
      expect(response.status).toBe(401);
      expect(JSON.stringify(response.body)).not.toContain('cluster: east');
    });
  });

  it.each([
    ['no signature', { 'content-type': 'application/json', 'x-github-event': 'push' }, 401],
    ['a wrong secret', signedWebhookHeaders('{}', 'not-the-secret-at-all'), 401],
  ])('refuses a push with %s and changes nothing', async (_, headers, status) => {
    const body = pushEventBody(git.url('edges'), 'x');
    const response = await hub.request('POST', '/webhooks/git', { body, headers });
    expect(response.status).toBe(status);
    expect(JSON.stringify(response.body)).not.toContain(TEST_WEBHOOK_SECRET);
  });

  it('ignores a ping and a push for a repository no application uses', async () => {
    const ping = JSON.stringify({ zen: 'hi' });
    expect(
      await hub.request('POST', '/webhooks/git', {
        body: ping,
        headers: signedWebhookHeaders(ping, TEST_WEBHOOK_SECRET, 'ping'),
      }),
    ).toMatchObject({ status: 202, body: { applications: [] } });
    const other = pushEventBody('https://example.invalid/x.git', 'a'.repeat(40));
    expect(
      await hub.request('POST', '/webhooks/git', {
        body: other,
        headers: signedWebhookHeaders(other, TEST_WEBHOOK_SECRET),
      }),
    ).toMatchObject({
      status: 202,
      body: { event: 'push', applications: [] },
    });
  });

  it('refuses an oversized webhook body', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
    const response = await hub.request('POST', '/webhooks/git', {
      body,
      headers: signedWebhookHeaders(body, TEST_WEBHOOK_SECRET),
    });
    expect(response.status).toBe(413);
  });

  it('records a commit with malformed YAML as unusable, starts nothing and leaves the clusters as they were', async () => {
    const service = hub.app.get(RolloutsService);
    const before = await service.list({ application: 'edges' });
    await waitFor(
      async () => before.rollouts[0] && (await service.get(before.rollouts[0].id)).state === 'Progressing',
      {
        description: 'first rollout running',
        timeoutMs: 10_000,
      },
    );
    const broken = await repo.commit(
      { 'app/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n' },
      'oops',
    );
    const app = (await hub.app.get(ApplicationsService).findByName('edges'))!;
    const outcome = await hub.app.get(GitSyncService).sync(app);
    expect(outcome.commit).toBe(broken);
    expect(outcome.rolloutId).toBeNull();
    expect(outcome.error).toMatch(/app\/config\.yaml:\d+/);
    const after = (await hub.app.get(ApplicationsService).findByName('edges'))!;
    expect(after.lastSyncError).toBe(outcome.error);
    expect((await service.list({ application: 'edges' })).totalCount).toBe(before.totalCount);
    // Starting it by hand is refused with the reason; what east runs is unchanged.
    await expect(service.start(ADMIN, 'edges', broken)).rejects.toMatchObject({
      code: 'FAILED_PRECONDITION',
    });
    const assigned = (await asCluster(east, '/agent/v1/assignments')).body as AssignmentsResponse;
    expect(assigned.assignments[0]!.commit).toBe(firstCommit);
  });

  it('fetches a new application on the next sync tick and applies updates to it', async () => {
    const apps = hub.app.get(ApplicationsService);
    await apps.create(ADMIN, {
      name: 'polled',
      repoUrl: git.url('edges'),
      ref: firstCommit,
      path: 'app',
      targetSelector: 'env=none',
      syncPolicy: 'manual',
    });
    // Never synced: the tick (1 s in tests) claims it without any webhook.
    const synced = await waitFor(async () => (await apps.findByName('polled'))?.latestCommit ?? undefined, {
      description: 'first sync by the tick',
      timeoutMs: 10_000,
    });
    expect(synced).toBe(firstCommit);
    const updated = await apps.update(ADMIN, 'polled', { ref: 'main', pollIntervalSeconds: 30 });
    expect(updated).toMatchObject({
      name: 'polled',
      ref: 'main',
      pollIntervalSeconds: 30,
      syncPolicy: 'manual',
    });
    await expect(apps.update(ADMIN, 'polled', { targetSelector: 'env in (' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(apps.update(ADMIN, 'nope', { ref: 'main' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a hub shutting down', () => {
  it('answers its held polls at once rather than holding the shutdown until they time out', async () => {
    // A poll timeout far beyond the test's: a close that waited for the held poll fails the test.
    const hub = await startTestHub(await testHubConfig({ rollouts: { assignmentsPollTimeoutSeconds: 600 } }));
    try {
      const cluster = await registerCluster(hub, 'restarting', { env: 'prod' });
      const notifier = hub.app.get(AssignmentNotifier);
      const held = hub.request('GET', '/agent/v1/assignments?generation=0', {
        headers: { authorization: `Bearer ${cluster.credential}` },
      });
      await waitFor(() => notifier.waiting > 0, { description: 'the poll is held', timeoutMs: 10_000 });
      await hub.close();
      expect((await held).status).toBe(304);
    } finally {
      await hub.close().catch(() => undefined);
    }
  }, 60_000);
});
