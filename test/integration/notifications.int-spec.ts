import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Producer } from 'kafkajs';
import { NotificationConsumer } from '../../services/hub/src/notifications/notification-consumer.service.js';
import { CLAIM_MS, DeliveryWorker } from '../../services/hub/src/notifications/delivery-worker.service.js';
import { NotificationsRepository } from '../../services/hub/src/notifications/notifications.repository.js';
import { HeartbeatSweeperService } from '../../services/hub/src/reports/heartbeat-sweeper.service.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { webDeployment } from '../harness/fixtures.js';
import { createRepo, startTempGitServer, type TempGitServer } from '../harness/git-server.js';
import { producerSink } from '../harness/report-sinks.js';
import { SimAgent } from '../harness/sim-agent.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { createSyncedApp, rolloutIn } from './support/applications.js';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { registerSimAgent } from './support/sim-agents.js';
import { startTestHub, TestClock, type TestHub } from './support/hub.js';
import { type Received, Receiver } from './support/receiver.js';

const SECRET = 'notification-secret-0123456789abcdef';

/** What a receiver does: recompute the HMAC over the raw body and compare in constant time. */
function signatureValid(r: Received, secret: string): boolean {
  const header = r.headers['x-fleetwave-signature'];
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

interface Delivery {
  eventId: string;
  kind: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}
interface Subscription {
  id: string;
  application: string | null;
  project: string | null;
  kinds: string[];
  format: string;
  targetOrigin: string;
  signed: boolean;
  deliveries: Delivery[];
}

const SUBSCRIPTION_FIELDS = `id application project kinds format targetOrigin signed createdBy createdAt
  deliveries { eventId kind status attempts lastStatusCode lastError nextAttemptAt deliveredAt }`;

describe('notifications: subscriptions, delivery from the events topic, retries', () => {
  const clock = new TestClock();
  let hub: TestHub;
  let producer: Producer;
  let git: TempGitServer;
  const receiver = new Receiver();
  const agents: SimAgent[] = [];

  beforeAll(async () => {
    git = await startTempGitServer('fleetwave-notify-it-');
    const repo = await createRepo(git.root, 'fleet');
    await repo.commit({ 'deploy/web.yaml': webDeployment({ replicas: '1', tag: '1.0' }) }, 'web 1.0');
    hub = await startTestHub(undefined, { clock });
    producer = await connectReportProducer(kafkaBrokers(), 'fleetwave-it-notifications');
    await receiver.up();
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop()));
    await git.stop();
    await producer.disconnect();
    await receiver.down();
    await hub.close();
  });

  async function subscribe(input: Record<string, unknown>): Promise<Subscription> {
    const { createNotificationSubscription } = await gqlOk<{ createNotificationSubscription: Subscription }>(
      hub,
      `mutation($input: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $input) { ${SUBSCRIPTION_FIELDS} } }`,
      { input },
    );
    return createNotificationSubscription;
  }

  async function subscription(id: string): Promise<Subscription> {
    const { notificationSubscriptions } = await gqlOk<{ notificationSubscriptions: Subscription[] }>(
      hub,
      `{ notificationSubscriptions { ${SUBSCRIPTION_FIELDS} } }`,
    );
    const found = notificationSubscriptions.find((s) => s.id === id);
    if (!found) throw new Error(`subscription ${id} not listed`);
    return found;
  }

  /** A real cluster goes offline: it heartbeats (Ready), then the sweeper finds it silent for long. */
  async function clusterGoesOffline(): Promise<string> {
    const agent = await registerSimAgent(hub, producer);
    await agent.send(agent.heartbeat());
    const sweeper = hub.app.get(HeartbeatSweeperService);
    await waitFor(
      async () => {
        const changes = await sweeper.sweep(new Date(Date.now() + 3_600_000));
        return changes.some((c) => c.clusterId === agent.clusterId && c.after === 'Offline');
      },
      {
        description: `cluster ${agent.clusterId} to be swept Offline after its heartbeat`,
        timeoutMs: 20_000,
      },
    );
    return agent.clusterId;
  }

  it('delivers each event once per subscription: a signed webhook and a Slack text', async () => {
    const webhook = await subscribe({
      kinds: ['clusterOffline'],
      url: receiver.url('/hook'),
      secret: SECRET,
    });
    const slack = await subscribe({
      kinds: ['clusterOffline'],
      format: 'slack',
      url: receiver.url('/slack/T0/B0/xyz'),
    });
    const quiet = await subscribe({ kinds: ['rolloutFailed'], url: receiver.url('/quiet'), secret: SECRET });
    expect(webhook).toMatchObject({ application: null, format: 'webhook', signed: true, deliveries: [] });
    expect(slack).toMatchObject({
      format: 'slack',
      signed: false,
      targetOrigin: `http://127.0.0.1:${receiver.port}`,
    });

    const clusterId = await clusterGoesOffline();

    const [hook, text] = await waitFor(
      () => {
        const hooks = receiver.at('/hook').filter((r) => r.body.includes(clusterId));
        const texts = receiver.at('/slack/T0/B0/xyz').filter((r) => r.body.includes(clusterId));
        return hooks.length > 0 && texts.length > 0 && [hooks[0]!, texts[0]!];
      },
      { description: 'both receivers to get the offline cluster', timeoutMs: 30_000 },
    );
    expect(signatureValid(hook, SECRET)).toBe(true);
    expect(signatureValid({ ...hook, body: hook.body.replace(clusterId, 'another') }, SECRET)).toBe(false);
    expect(hook.headers['content-type']).toBe('application/json');
    const body = JSON.parse(hook.body) as { kind: string; event: { action: string; target: { id: string } } };
    expect(body).toMatchObject({
      kind: 'clusterOffline',
      application: null,
      text: `Fleetwave: cluster ${clusterId} is offline`,
      event: {
        action: 'cluster.statusChanged',
        target: { kind: 'cluster', id: clusterId },
        after: { status: 'Offline' },
      },
    });
    expect(JSON.parse(text.body)).toEqual({ text: `Fleetwave: cluster ${clusterId} is offline` });
    expect(text.headers['x-fleetwave-signature']).toBeUndefined();

    // The log says delivered, once, with the receiver's status.
    const logged = await waitFor(
      async () => {
        const [d] = (await subscription(webhook.id)).deliveries;
        return d?.status === 'delivered' && d;
      },
      { description: 'the webhook delivery to be logged as delivered', timeoutMs: 10_000 },
    );
    expect(logged).toMatchObject({
      kind: 'clusterOffline',
      attempts: 1,
      lastStatusCode: 204,
      lastError: null,
    });
    expect(logged.eventId).toBe(JSON.parse(hook.body).event.id);

    // The topic redelivering the event (a consumer restart) records nothing again.
    const consumer = hub.app.get(NotificationConsumer);
    const again = await consumer.record([
      {
        v: 1,
        id: logged.eventId,
        occurredAt: new Date().toISOString(),
        actor: 'system',
        action: 'cluster.statusChanged',
        target: { kind: 'cluster', id: clusterId },
        after: { status: 'Offline' },
      },
    ]);
    expect(again).toBe(0);
    expect((await subscription(webhook.id)).deliveries).toHaveLength(1);
    expect((await subscription(slack.id)).deliveries).toHaveLength(1);
    expect(receiver.at('/hook').filter((r) => r.body.includes(clusterId))).toHaveLength(1);
    expect(receiver.at('/slack/T0/B0/xyz').filter((r) => r.body.includes(clusterId))).toHaveLength(1);
    // A subscription to other kinds heard nothing.
    expect((await subscription(quiet.id)).deliveries).toEqual([]);
    expect(receiver.at('/quiet')).toEqual([]);
  });

  it("sends a rollout's success to its application's subscriptions only", async () => {
    const commit = await createSyncedApp(hub, git.url('fleet'), 'web', 'env=prod');
    await createSyncedApp(hub, git.url('fleet'), 'api', 'env=none');
    const web = await subscribe({
      application: 'web',
      kinds: ['rolloutSucceeded', 'rolloutFailed'],
      format: 'slack',
      url: receiver.url('/web'),
    });
    const api = await subscribe({
      application: 'api',
      kinds: ['rolloutSucceeded'],
      url: receiver.url('/api'),
      secret: SECRET,
    });
    const agent = new SimAgent({
      hubUrl: hub.url,
      identity: await registerCluster(hub, 'notify-prod-1', { env: 'prod', region: 'eu' }),
      reports: producerSink(producer),
    });
    agent.start();
    agents.push(agent);

    const started = await hub.app
      .get(RolloutsService)
      .start({ name: 'test-admin', role: 'admin' }, 'web', commit);
    await rolloutIn(hub, started.id);
    const [received] = await waitFor(() => receiver.at('/web').length > 0 && receiver.at('/web'), {
      description: "the web subscription to hear of the rollout's success",
      timeoutMs: 30_000,
    });
    expect(JSON.parse(received!.body)).toEqual({ text: `Fleetwave: rollout ${started.id} of web succeeded` });
    // Both subscriptions were planned from the same event: the other application's got nothing.
    expect((await subscription(web.id)).deliveries.map((d) => d.kind)).toEqual(['rolloutSucceeded']);
    expect((await subscription(api.id)).deliveries).toEqual([]);
    expect(receiver.at('/api')).toEqual([]);
  });

  it('retries a delivery while the receiver refuses, and delivers when it is back', async () => {
    const flaky = new Receiver();
    await flaky.up();
    await flaky.down(); // the port is known and refuses connections now
    const sub = await subscribe({ kinds: ['clusterOffline'], url: flaky.url('/down'), secret: SECRET });

    const clusterId = await clusterGoesOffline();
    // The sweep may find other silent clusters too (their events reach this subscription as well):
    // follow the delivery that failed, by its event.
    const failed = await waitFor(
      async () => (await subscription(sub.id)).deliveries.find((d) => d.attempts >= 1),
      { description: 'a failed attempt to be logged', timeoutMs: 30_000 },
    );
    expect(failed).toMatchObject({ status: 'pending', lastStatusCode: null, deliveredAt: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);

    await flaky.up();
    try {
      // The retry is due 10 s later by the hub clock: move the clock instead of waiting.
      clock.set(new Date(clock.now().getTime() + 60_000));
      const received = await waitFor(() => flaky.at('/down').find((r) => r.body.includes(clusterId)), {
        description: 'the retried delivery to arrive',
        timeoutMs: 20_000,
      });
      expect(signatureValid(received, SECRET)).toBe(true);
      const delivered = await waitFor(
        async () =>
          (await subscription(sub.id)).deliveries.find(
            (d) => d.eventId === failed.eventId && d.status === 'delivered',
          ),
        { description: 'the delivery to be logged as delivered', timeoutMs: 10_000 },
      );
      expect(delivered.attempts).toBeGreaterThanOrEqual(2);
      expect(delivered.lastStatusCode).toBe(204);
      expect(delivered.lastError).toMatch(/ECONNREFUSED/); // the failed attempt stays in the log
      // At least once, not exactly once: a send whose answer is lost (a slow receiver under load, a
      // replica dying mid-send) is sent again, and a receiver deduplicates by `event.id`.
      const arrivals = flaky.at('/down').filter((r) => r.body.includes(clusterId));
      expect(arrivals.length).toBeGreaterThanOrEqual(1);
      expect(
        new Set(arrivals.map((r) => (JSON.parse(r.body) as { event: { id: string } }).event.id)).size,
      ).toBe(1);
    } finally {
      await flaky.down();
    }
  });

  const valid = { kinds: ['clusterOffline'], url: 'http://127.0.0.1/x', secret: SECRET };
  it.each<[string, Record<string, unknown>, string]>([
    ['an invalid target URL', { ...valid, url: 'not a url' }, 'INVALID_ARGUMENT'],
    ['a non-http target URL', { ...valid, url: 'ftp://127.0.0.1/x' }, 'INVALID_ARGUMENT'],
    ['credentials in the URL', { ...valid, url: 'http://u:p@127.0.0.1/x' }, 'INVALID_ARGUMENT'],
    ['an unknown event kind', { ...valid, kinds: ['clusterExploded'] }, 'INVALID_ARGUMENT'],
    ['no event kind', { ...valid, kinds: [] }, 'INVALID_ARGUMENT'],
    ['an unknown format', { ...valid, format: 'teams' }, 'INVALID_ARGUMENT'],
    ['a webhook without a secret', { ...valid, secret: null }, 'INVALID_ARGUMENT'],
    ['a short secret', { ...valid, secret: 'short' }, 'INVALID_ARGUMENT'],
    ['an unknown application', { ...valid, application: 'nope' }, 'NOT_FOUND'],
  ])('refuses %s and stores nothing', async (_what, input, code) => {
    const before = (
      await gqlOk<{ notificationSubscriptions: unknown[] }>(hub, `{ notificationSubscriptions { id } }`)
    ).notificationSubscriptions.length;
    const response = await gql(
      hub,
      `mutation($input: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $input) { id } }`,
      { input },
    );
    expect(codes(response)).toEqual([code]);
    const after = (
      await gqlOk<{ notificationSubscriptions: unknown[] }>(hub, `{ notificationSubscriptions { id } }`)
    ).notificationSubscriptions.length;
    expect(after).toBe(before);
  });

  it('lets only admins subscribe or unsubscribe, audits both, and never answers the secret', async () => {
    const { createApiToken } = await gqlOk<{ createApiToken: { secret: string } }>(
      hub,
      `mutation { createApiToken(name: "notify-operator", role: operator) { secret } }`,
    );
    const input = { kinds: ['rolloutFailed'], url: receiver.url('/private/path-token'), secret: SECRET };
    const refused = await gql(
      hub,
      `mutation($input: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $input) { id } }`,
      { input },
      createApiToken.secret,
    );
    expect(codes(refused)).toEqual(['FORBIDDEN']);

    const sub = await subscribe(input);
    const deleteAsOperator = await gql(
      hub,
      `mutation($id: ID!) { deleteNotificationSubscription(id: $id) { id } }`,
      { id: sub.id },
      createApiToken.secret,
    );
    expect(codes(deleteAsOperator)).toEqual(['FORBIDDEN']);

    const listed = await gql(hub, `{ notificationSubscriptions { ${SUBSCRIPTION_FIELDS} } }`);
    const deleted = await gql(
      hub,
      `mutation($id: ID!) { deleteNotificationSubscription(id: $id) { id targetOrigin signed } }`,
      {
        id: sub.id,
      },
    );
    expect(deleted.errors).toBeUndefined();
    const audit = await gql(
      hub,
      `{ events(targetKind: notificationSubscription, targetId: "${sub.id}") { edges { node { action actor before after } } } }`,
    );
    expect(audit.errors).toBeUndefined();
    const actions = (audit.data as { events: { edges: { node: { action: string } }[] } }).events.edges.map(
      (e) => e.node.action,
    );
    expect(actions.sort()).toEqual(['notificationSubscription.created', 'notificationSubscription.deleted']);
    for (const response of [listed, deleted, audit]) {
      expect(response.text).not.toContain(SECRET);
      expect(response.text).not.toContain('path-token');
    }
    const again = await gql(hub, `mutation($id: ID!) { deleteNotificationSubscription(id: $id) { id } }`, {
      id: sub.id,
    });
    expect(codes(again)).toEqual(['NOT_FOUND']);
  });

  it("scopes a subscription to a project: its admins manage it, it hears only that project's applications", async () => {
    await gqlOk(hub, `mutation($input: CreateProjectInput!) { createProject(input: $input) { name } }`, {
      input: { name: 'shop', sourceRepos: ['*'], clusterSelector: 'team=shop', namespaces: ['demo'] },
    });
    const token = async (name: string, role: string, project: string): Promise<string> =>
      (
        await gqlOk<{ createApiToken: { secret: string } }>(
          hub,
          `mutation($name: String!, $role: Role!, $project: String) { createApiToken(name: $name, role: $role, project: $project) { secret } }`,
          { name, role, project },
        )
      ).createApiToken.secret;
    const shopAdmin = await token('shop-admin', 'admin', 'shop');
    const shopViewer = await token('shop-viewer', 'viewer', 'shop');
    const otherAdmin = await token('default-admin', 'admin', 'default');
    const shopCommit = await createSyncedApp(hub, git.url('fleet'), 'shop-web', 'team=shop', {
      project: 'shop',
    });
    const plainCommit = await createSyncedApp(hub, git.url('fleet'), 'plain-web', 'team=plain');

    const CREATE = `mutation($input: CreateNotificationSubscriptionInput!) { createNotificationSubscription(input: $input) { ${SUBSCRIPTION_FIELDS} } }`;
    const create = (input: Record<string, unknown>, as?: string) => gql(hub, CREATE, { input }, as);
    const hook = (path: string) => ({
      kinds: ['rolloutSucceeded'],
      format: 'slack',
      url: receiver.url(path),
    });
    const created = await create({ ...hook('/shop'), project: 'shop' }, shopAdmin);
    expect(created.errors).toBeUndefined();
    const shop = (created.data as { createNotificationSubscription: Subscription })
      .createNotificationSubscription;
    expect(shop).toMatchObject({ application: null, project: 'shop' });
    // Refused: a viewer of the project; another project's admin (to it, the project does not exist);
    // the project's admin for the whole fleet or another project's application; both scopes at once.
    expect(codes(await create({ ...hook('/x'), project: 'shop' }, shopViewer))).toEqual(['FORBIDDEN']);
    expect(codes(await create({ ...hook('/x'), project: 'shop' }, otherAdmin))).toEqual(['NOT_FOUND']);
    expect(codes(await create({ ...hook('/x'), application: 'shop-web' }, otherAdmin))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await create(hook('/x'), shopAdmin))).toEqual(['FORBIDDEN']);
    expect(codes(await create({ ...hook('/x'), application: 'plain-web' }, shopAdmin))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await create({ ...hook('/x'), project: 'nowhere' }))).toEqual(['NOT_FOUND']);
    expect(codes(await create({ ...hook('/x'), project: 'shop', application: 'shop-web' }))).toEqual([
      'INVALID_ARGUMENT',
    ]);
    const all = await subscribe({ ...hook('/all-succeeded') });

    // Who sees what: the project's members see its subscriptions only; others do not see them at all.
    const LIST = `{ notificationSubscriptions { id } }`;
    const ONE = `query($id: ID!) { notificationSubscription(id: $id) { id project } }`;
    const listed = async (as?: string) =>
      (
        await gqlOk<{ notificationSubscriptions: { id: string }[] }>(hub, LIST, {}, as)
      ).notificationSubscriptions.map((s) => s.id);
    expect(await listed(shopViewer)).toEqual([shop.id]);
    // The default project's admin sees the earlier tests' subscriptions to its applications (web,
    // api), neither the shop's nor the fleet-wide ones.
    const seenByOther = await listed(otherAdmin);
    expect(seenByOther).not.toContain(shop.id);
    expect(seenByOther).not.toContain(all.id);
    expect(seenByOther.length).toBeGreaterThan(0);
    expect(await listed()).toEqual(expect.arrayContaining([shop.id, all.id]));
    const one = async (id: string, as?: string) =>
      (await gqlOk<{ notificationSubscription: { id: string } | null }>(hub, ONE, { id }, as))
        .notificationSubscription;
    expect(await one(shop.id, shopViewer)).toEqual({ id: shop.id, project: 'shop' });
    expect(await one(shop.id, otherAdmin)).toBeNull();
    expect(await one(all.id, shopViewer)).toBeNull();
    expect(await one('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(await one('not-a-uuid')).toBeNull();

    for (const [name, labels] of [
      ['notify-shop-1', { team: 'shop', region: 'eu' }],
      ['notify-plain-1', { team: 'plain', region: 'eu' }],
    ] as const) {
      const agent = new SimAgent({
        hubUrl: hub.url,
        identity: await registerCluster(hub, name, labels),
        reports: producerSink(producer),
      });
      agent.start();
      agents.push(agent);
    }
    const rollouts = hub.app.get(RolloutsService);
    const admin = { name: 'test-admin', role: 'admin' } as const;
    const shopRollout = await rollouts.start(admin, 'shop-web', shopCommit);
    const plainRollout = await rollouts.start(admin, 'plain-web', plainCommit);
    await rolloutIn(hub, shopRollout.id);
    await rolloutIn(hub, plainRollout.id);
    // The fleet-wide subscription heard both successes, so both events were planned for every
    // subscription (planning is per event, for all subscriptions at once): the project's heard one.
    await waitFor(
      () =>
        [shopRollout.id, plainRollout.id].every((id) =>
          receiver.at('/all-succeeded').some((r) => r.body.includes(id)),
        ),
      { description: 'the fleet-wide subscription to hear of both successes', timeoutMs: 30_000 },
    );
    const shopReceived = await waitFor(() => receiver.at('/shop').length > 0 && receiver.at('/shop'), {
      description: "the project's subscription to hear of its application's success",
      timeoutMs: 30_000,
    });
    expect(shopReceived.map((r) => JSON.parse(r.body))).toEqual([
      { text: `Fleetwave: rollout ${shopRollout.id} of shop-web succeeded` },
    ]);
    expect((await subscription(shop.id)).deliveries.map((d) => d.kind)).toEqual(['rolloutSucceeded']);

    // The project's trail records the subscription; its members read it there.
    const trail = await gqlOk<{ events: { edges: { node: { action: string; target: { id: string } } }[] } }>(
      hub,
      `{ events(project: "shop", action: "notificationSubscription.") { edges { node { action target { id } } } } }`,
      {},
      shopViewer,
    );
    expect(trail.events.edges.map((e) => [e.node.action, e.node.target.id])).toEqual([
      ['notificationSubscription.created', shop.id],
    ]);

    const DELETE = `mutation($id: ID!) { deleteNotificationSubscription(id: $id) { id } }`;
    expect(codes(await gql(hub, DELETE, { id: shop.id }, otherAdmin))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(hub, DELETE, { id: shop.id }, shopViewer))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(hub, DELETE, { id: all.id }, shopAdmin))).toEqual(['NOT_FOUND']);
    expect((await gql(hub, DELETE, { id: shop.id }, shopAdmin)).errors).toBeUndefined();
    expect(await listed(shopViewer)).toEqual([]);
  });

  it('never hands a delivery still being sent to another sender when the hub clock jumps', async () => {
    const slow = new Receiver();
    await slow.up();
    const release = slow.hold();
    try {
      const sub = await subscribe({ kinds: ['clusterOffline'], url: slow.url('/slow'), secret: SECRET });
      const clusterId = await clusterGoesOffline();
      await waitFor(() => slow.at('/slow').some((r) => r.body.includes(clusterId)), {
        description: 'the send to reach the receiver, which holds its answer',
        timeoutMs: 30_000,
      });
      // Ten minutes on by the hub clock, far past the claim: the delivery is still being sent, so
      // neither a claim by another replica nor this one's next pass takes it.
      clock.set(new Date(clock.now().getTime() + 600_000));
      const claimed = await hub.app.get(NotificationsRepository).claimDue(clock.now(), CLAIM_MS, 100);
      expect(claimed.map((c) => c.url)).not.toContain(slow.url('/slow'));
      const worker = hub.app.get(DeliveryWorker);
      worker.kick();

      release();
      await waitFor(
        async () => (await subscription(sub.id)).deliveries.some((d) => d.status === 'delivered'),
        { description: 'the held send to be recorded as delivered', timeoutMs: 20_000 },
      );
      expect(slow.at('/slow').filter((r) => r.body.includes(clusterId))).toHaveLength(1);
      // What the other "replica" claimed goes back to the queue for the real worker.
      for (const c of claimed)
        await hub.app.get(NotificationsRepository).recordAttempt(c.id, {
          ok: false,
          statusCode: null,
          error: 'claimed by the test',
          at: clock.now(),
          retryAt: clock.now(),
        });
    } finally {
      release();
      await slow.down();
    }
  });
});
