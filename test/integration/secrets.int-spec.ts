import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENT_API_PATHS, type RegisterResponse, TOPICS } from '@fleetwave/contracts';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { createRepo, type GitServer, startGitServer } from '../harness/git-server.js';
import { pushEventBody, sendPushWebhook, signedWebhookHeaders } from '../harness/git-push.js';
import { type HubProcess, startHubProcess } from '../harness/hub-process.js';
import {
  type OidcTokens,
  signTestJwt,
  startOidcProvider,
  type TestOidcProvider,
  testOidcEnv,
} from '../harness/oidc-provider.js';
import { connectReportProducer, producerSink } from '../harness/report-sinks.js';
import { registerAgent, SimAgent } from '../harness/sim-agent.js';
import { waitFor } from '../harness/wait-for.js';
import { createTestDatabase, kafkaBrokers } from './support/backing-services.js';
import { Receiver } from './support/receiver.js';

const hex = () => randomBytes(12).toString('hex');
/** Secrets the test chooses; those the hub issues (tokens, credentials, signing keys) join them as they come. */
const ADMIN_TOKEN = `secrets-admin-${hex()}`;
const WEBHOOK_SECRET = `secrets-webhook-${hex()}`;
const GIT_USER = 'fleet-reader';
const GIT_PASSWORD = `git-password-${hex()}`;
const WRONG_GIT_PASSWORD = `wrong-git-password-${hex()}`;
const NOTIFY_SECRET = `notify-hmac-${hex()}`;
const SLACK_PATH = `/services/T0/B0/${hex()}`;
const DOWN_PATH = `/down/${hex()}`;
const WRONG_TOKEN = `fwa_${hex()}${hex()}`;
const WRONG_ADMIN = `not-the-admin-${hex()}`;
/** Where the provider sends the signed-in browser back (never followed: the harness takes the code). */
const SSO_REDIRECT = 'http://127.0.0.1:9/signed-in';

const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web
  namespace: demo
data:
  greeting: hello
`;

interface Captured {
  where: string;
  text: string;
}

/**
 * Secrets stay secret, over a full scenario against a hub running as its own process (built
 * services/hub/dist: `npm run build` first) on real PostgreSQL, Kafka and a git server that wants
 * basic auth: a repository read with HUB_GIT_CREDENTIALS_FILE credentials (and refused with wrong
 * ones), a registration token, a registered simulated agent that takes a rollout, its credential
 * rotated, an API token created and used, failing logins, signed and badly signed push webhooks,
 * notification subscriptions with an HMAC key and credential-bearing URL paths (one delivered, one
 * failing), single sign-on through the real OpenID Provider (`oidc-provider`, its own process): a
 * user signed in through its pages calls the API with the ID token, refreshes, calls again, and
 * expired, tampered and wrong SSO tokens are refused (the clients are public: there is no OIDC
 * client secret to keep). Every hub log line, every GraphQL and agent API answer (less the one field that hands a
 * secret over), every audit event (GraphQL and the events topic), the simulated agent's errors and
 * the notification deliveries' errors are searched for every secret, as written and in base64
 * (standard and URL-safe), and for the basic-auth header value: none may be there.
 */
describe('secrets stay secret: logs, GraphQL answers, events and errors of a full scenario', () => {
  let work: string;
  let git: GitServer;
  let hub: HubProcess;
  let producer: Producer;
  let consumer: Consumer;
  let agent: SimAgent | undefined;
  let oidc: TestOidcProvider;
  const receiver = new Receiver();
  const secrets = new Map<string, string>([
    ['bootstrap admin token', ADMIN_TOKEN],
    ['git webhook secret', WEBHOOK_SECRET],
    ['git repository password', GIT_PASSWORD],
    ['wrong git repository password', WRONG_GIT_PASSWORD],
    ['notification HMAC key', NOTIFY_SECRET],
    ['slack incoming-webhook path', SLACK_PATH],
    ['failing receiver path', DOWN_PATH],
    ['a wrong API token', WRONG_TOKEN],
    ['a wrong admin token', WRONG_ADMIN],
  ]);
  const captured: Captured[] = [];
  const topicEvents: string[] = [];
  const prefix = `it-${randomBytes(4).toString('hex')}.`;

  /** POST /graphql, the answer kept; `handsOver` names the one field whose value is meant to be a secret. */
  async function graphql<T>(
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = ADMIN_TOKEN,
    handsOver?: (data: T) => string,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
    const response = await fetch(`${hub.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: T; errors?: { message: string }[] };
    const handed = body.data && handsOver ? handsOver(body.data) : undefined;
    captured.push({
      where: `GraphQL ${query.slice(0, 60)}`,
      text: handed ? text.replace(handed, '<handed over>') : text,
    });
    return body;
  }

  async function graphqlOk<T>(
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = ADMIN_TOKEN,
    handsOver?: (data: T) => string,
  ): Promise<T> {
    const body = await graphql<T>(query, variables, token, handsOver);
    if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data;
  }

  /** An agent API call, its answer kept (less the credential and signing key it hands over). */
  async function agentApi(
    method: string,
    route: string,
    credential: string,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${hub.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${credential}` },
    });
    let text = await response.text();
    const body = text === '' ? null : (JSON.parse(text) as unknown);
    const issued = body as Partial<RegisterResponse> | null;
    if (issued?.credential) text = text.replace(issued.credential, '<handed over>');
    if (issued?.signingKey) text = text.replace(issued.signingKey, '<handed over>');
    captured.push({ where: `agent API ${method} ${route}`, text });
    return { status: response.status, body };
  }

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'fleetwave-secrets-'));
    git = await startGitServer({
      root: path.join(work, 'git'),
      auth: { username: GIT_USER, password: GIT_PASSWORD },
    });
    const repo = await createRepo(path.join(work, 'git'), 'private');
    await repo.commit({ 'deploy/web.yaml': CONFIG_MAP }, 'web');
    const credentialsFile = path.join(work, 'git-credentials.json');
    await writeFile(
      credentialsFile,
      JSON.stringify({
        private: { username: GIT_USER, password: GIT_PASSWORD },
        stale: { username: GIT_USER, password: WRONG_GIT_PASSWORD },
      }),
    );
    await receiver.up();
    oidc = await startOidcProvider({
      users: { root: { name: 'Root', groups: ['fleet-admins'] } },
      dashboardRedirectUris: [SSO_REDIRECT],
    });
    hub = await startHubProcess({
      databaseUrl: await createTestDatabase('fleetwave_secrets'),
      brokers: kafkaBrokers(),
      logFile: path.join(work, 'hub.log'),
      env: {
        HUB_KAFKA_TOPIC_PREFIX: prefix,
        HUB_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
        HUB_GIT_DIR: path.join(work, 'mirrors'),
        HUB_GIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        HUB_GIT_CREDENTIALS_FILE: credentialsFile,
        HUB_ROLLOUT_PASS_INTERVAL_SECONDS: '1',
        HUB_HEARTBEAT_INTERVAL_SECONDS: '3600',
        HUB_DASHBOARD_DIR: '',
        ...testOidcEnv(oidc.issuer),
        // Everything the hub would say at its most talkative.
        LOG_LEVEL: 'trace',
      },
    });
    await hub.ready(120_000);
    producer = await connectReportProducer(kafkaBrokers(), 'it-secrets');
    const kafka = new Kafka({ clientId: 'it-secrets', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    consumer = kafka.consumer({ groupId: `it-secrets-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: `${prefix}${TOPICS.events}`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        topicEvents.push(message.value?.toString('utf8') ?? '');
      },
    });
  }, 180_000);

  afterAll(async () => {
    await agent?.stop();
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await hub?.stop();
    await receiver.down();
    await oidc?.stop();
    await git?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  it('leaks none of them', async () => {
    // A repository behind basic auth: read with the referenced credentials, refused with stale ones.
    for (const [name, ref] of [
      ['web', 'private'],
      ['stale', 'stale'],
    ]) {
      await graphqlOk(
        `mutation C($input: CreateApplicationInput!) { createApplication(input: $input) { name } }`,
        {
          input: {
            name,
            repoUrl: git.url('private'),
            credentialsRef: ref,
            ref: 'main',
            path: 'deploy',
            targetSelector: 'env=prod',
            syncPolicy: 'manual',
            pollIntervalSeconds: 3600,
          },
        },
      );
    }
    const synced = await graphqlOk<{ syncApplication: { commit: string | null; error: string | null } }>(
      `mutation { syncApplication(name: "web") { commit error } }`,
    );
    expect(synced.syncApplication.commit).toMatch(/^[0-9a-f]{40}$/);
    const stale = await graphqlOk<{ syncApplication: { error: string | null } }>(
      `mutation { syncApplication(name: "stale") { commit error } }`,
    );
    expect(stale.syncApplication.error).toEqual(expect.any(String));
    const commit = synced.syncApplication.commit!;

    // A push webhook signed with the secret, and one signed with another.
    const pushed = await sendPushWebhook({
      hubUrl: hub.url,
      secret: WEBHOOK_SECRET,
      repoUrl: git.url('private'),
      commit,
    });
    captured.push({ where: 'webhook answer', text: JSON.stringify(pushed) });
    expect(pushed.status).toBeLessThan(300);
    const body = pushEventBody(git.url('private'), commit);
    const forged = await fetch(`${hub.url}/webhooks/git`, {
      method: 'POST',
      headers: signedWebhookHeaders(body, `forged-${WEBHOOK_SECRET}`),
      body,
    });
    captured.push({ where: 'forged webhook answer', text: await forged.text() });
    expect(forged.status).toBe(401);

    // A registration token, a cluster registered with it, a simulated agent taking a rollout.
    const registration = await graphqlOk<{ createRegistrationToken: { secret: string } }>(
      `mutation { createRegistrationToken(input: { description: "secrets", maxUses: 1 }) { secret } }`,
      {},
      ADMIN_TOKEN,
      (d) => d.createRegistrationToken.secret,
    );
    secrets.set('registration token', registration.createRegistrationToken.secret);
    const identity = await registerAgent(hub.url, {
      token: registration.createRegistrationToken.secret,
      clusterName: 'prod-1',
      kubeSystemUid: randomUUID(),
      labels: { env: 'prod' },
      facts: {},
      agentVersion: '0.1.0',
    });
    secrets.set('cluster credential', identity.credential);
    secrets.set('report signing key', identity.signingKey);
    const reused = await fetch(`${hub.url}${AGENT_API_PATHS.register}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: registration.createRegistrationToken.secret,
        clusterName: 'prod-2',
        kubeSystemUid: randomUUID(),
        labels: {},
        facts: {},
        agentVersion: '0.1.0',
      }),
    });
    captured.push({ where: 'reused registration token answer', text: await reused.text() });
    expect(reused.ok).toBe(false);

    // Notification subscriptions: a signed webhook, a Slack URL whose path is the credential, and a
    // receiver that is down (its deliveries fail, with an error).
    const SUBSCRIBE = `mutation S($input: CreateNotificationSubscriptionInput!) {
      createNotificationSubscription(input: $input) { id targetOrigin signed }
    }`;
    await graphqlOk(SUBSCRIBE, {
      input: { kinds: ['rolloutSucceeded'], url: receiver.url('/hook'), secret: NOTIFY_SECRET },
    });
    await graphqlOk(SUBSCRIBE, {
      input: { kinds: ['rolloutSucceeded'], format: 'slack', url: receiver.url(SLACK_PATH) },
    });
    const down = new Receiver();
    await down.up();
    await down.down();
    await graphqlOk(SUBSCRIBE, {
      input: { kinds: ['rolloutSucceeded'], url: down.url(DOWN_PATH), secret: NOTIFY_SECRET },
    });

    agent = new SimAgent({ hubUrl: hub.url, identity, reports: producerSink(producer) });
    agent.start();
    const started = await graphqlOk<{ startRollout: { id: string } }>(
      `mutation { startRollout(application: "web") { id } }`,
    );
    await waitFor(
      async () =>
        (
          await graphqlOk<{ rollout: { state: string } }>(
            `query R($id: ID!) { rollout(id: $id) { state } }`,
            {
              id: started.startRollout.id,
            },
          )
        ).rollout.state === 'Succeeded' || undefined,
      { timeoutMs: 60_000, description: 'the rollout succeeded on prod-1' },
    );
    await waitFor(async () => receiver.at(SLACK_PATH).length > 0 || undefined, {
      timeoutMs: 30_000,
      description: 'the Slack notification delivered',
    });

    // The credential rotated: the new one works, the answer hands it over once.
    const rotated = await agentApi('POST', AGENT_API_PATHS.rotateCredential, identity.credential);
    expect(rotated.status).toBe(200);
    const renewed = rotated.body as RegisterResponse;
    secrets.set('rotated cluster credential', renewed.credential);
    secrets.set('rotated report signing key', renewed.signingKey);
    expect((await agentApi('GET', '/agent/v1/cluster', renewed.credential)).status).toBe(200);
    expect((await agentApi('GET', '/agent/v1/cluster', `${renewed.credential}x`)).status).toBe(401);

    // An API token created and used; logins with wrong tokens fail.
    const created = await graphqlOk<{ createApiToken: { secret: string } }>(
      `mutation { createApiToken(name: "ci", role: operator, expiresIn: 3600) { secret token { id name } } }`,
      {},
      ADMIN_TOKEN,
      (d) => d.createApiToken.secret,
    );
    secrets.set('API token', created.createApiToken.secret);
    await graphqlOk(`{ applications { totalCount } }`, {}, created.createApiToken.secret);
    for (const wrong of [WRONG_TOKEN, WRONG_ADMIN, `${created.createApiToken.secret}0`]) {
      const refused = await graphql(
        `
          {
            applications {
              totalCount
            }
          }
        `,
        {},
        wrong,
      );
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    secrets.set('a near-miss API token', `${created.createApiToken.secret}0`);

    // Single sign-on: signed in through the provider's pages, the API called with the ID token,
    // the tokens refreshed, the API called with the new one.
    const ssoSecrets = new Map<string, string>();
    const keepTokens = (when: string, tokens: OidcTokens) => {
      ssoSecrets.set(`${when} ID token`, tokens.id_token);
      // Its signature alone is what makes it a credential: a log of a truncated token would show it.
      ssoSecrets.set(`${when} ID token signature`, tokens.id_token.split('.')[2]!);
      ssoSecrets.set(`${when} access token`, tokens.access_token);
      ssoSecrets.set(`${when} refresh token`, tokens.refresh_token!);
    };
    const signedIn = await oidc.signIn('root', SSO_REDIRECT, { offline: true });
    expect(signedIn.refresh_token).toEqual(expect.any(String));
    keepTokens('signed-in', signedIn);
    const VIEWER = `{ viewer { name roles } applications { totalCount } }`;
    expect(await graphqlOk(VIEWER, {}, signedIn.id_token)).toMatchObject({ viewer: { name: 'user:root' } });
    // An audited edit by the signed-in user: the trail names it (checked below) and is searched.
    await graphqlOk(
      `mutation { updateApplication(name: "web", input: { pollIntervalSeconds: 1800 }) { name } }`,
      {},
      signedIn.id_token,
    );
    const refreshed = await oidc.refresh(signedIn.refresh_token!);
    keepTokens('refreshed', refreshed);
    expect(refreshed.refresh_token).not.toBe(signedIn.refresh_token);
    expect(await graphqlOk(VIEWER, {}, refreshed.id_token)).toMatchObject({ viewer: { name: 'user:root' } });
    // The check below finds these tokens where they are meant to be: the provider's token answers.
    expect(
      leaks([{ where: 'token endpoint answers', text: JSON.stringify([signedIn, refreshed]) }], ssoSecrets),
    ).toEqual([...ssoSecrets.keys()].map((name) => `${name} in token endpoint answers`));
    // Bad SSO tokens are refused, with a reason that does not repeat them.
    const now = Math.floor(Date.now() / 1000);
    const expired = signTestJwt(oidc.signingKey, {
      iss: oidc.issuer,
      aud: 'fleetctl',
      sub: 'root',
      preferred_username: 'root',
      groups: ['fleet-admins'],
      iat: now - 7200,
      exp: now - 3600,
    });
    ssoSecrets.set('an expired SSO token', expired);
    const [head, payload, signature] = refreshed.id_token.split('.');
    const tampered = `${head}.${payload}.${signature!.slice(0, -8)}${signature!.slice(-8).split('').reverse().join('')}`;
    ssoSecrets.set('a tampered SSO token', tampered);
    for (const [token, reason] of [
      [expired, 'the SSO token has expired'],
      [tampered, "the SSO token's signature does not verify"],
      // The provider's opaque access token is no API credential here.
      [refreshed.access_token, 'the API token is not valid (unknown)'],
    ] as const) {
      const refused = await graphql(VIEWER, {}, token);
      expect(refused.errors?.[0]).toMatchObject({ message: reason, extensions: { code: 'UNAUTHENTICATED' } });
    }
    for (const [name, value] of ssoSecrets) secrets.set(name, value);

    // The failing subscription has tried, and said why.
    await waitFor(
      async () => {
        const { notificationSubscriptions } = await graphqlOk<{
          notificationSubscriptions: { targetOrigin: string; deliveries: { lastError: string | null }[] }[];
        }>(`{ notificationSubscriptions { targetOrigin deliveries { lastError } } }`);
        return (
          notificationSubscriptions.some((s) => s.deliveries.some((d) => d.lastError !== null)) || undefined
        );
      },
      { timeoutMs: 30_000, description: 'a failed delivery recorded' },
    );

    // Read back everything a caller can see.
    await graphqlOk(`{
      applications { edges { node { name repoUrl credentialsRef lastSyncError latestCommit } } }
      clusters { edges { node { name labels } } }
      apiTokens { id name role createdBy }
      registrationTokens { id description }
      notificationSubscriptions { id targetOrigin signed deliveries { status lastError lastStatusCode } }
      rollouts { edges { node { id state } } }
    }`);
    let after: string | null = null;
    let events = 0;
    for (;;) {
      const page: {
        events: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
      } = await graphqlOk(
        `query E($after: String) { events(first: 500, after: $after) {
            edges { node { id actor action target { kind id } project before after } }
            pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      events += page.events.edges.length;
      if (!page.events.pageInfo.hasNextPage) break;
      after = page.events.pageInfo.endCursor;
    }
    expect(events).toBeGreaterThan(10);
    expect(
      captured.some((c) => c.where.startsWith('GraphQL query E') && c.text.includes('"actor":"user:root"')),
    ).toBe(true);
    await waitFor(async () => topicEvents.length >= events || undefined, {
      timeoutMs: 30_000,
      description: 'every event on the events topic',
    });

    await agent.stop();
    if (agent.lastError) captured.push({ where: 'simulated agent', text: agent.lastError });
    agent = undefined;
    captured.push({ where: 'events topic', text: topicEvents.join('\n') });
    captured.push({ where: 'notification bodies', text: receiver.received.map((r) => r.body).join('\n') });
    await hub.stop();
    const log = await readFile(path.join(work, 'hub.log'), 'utf8');
    // The log is really there and talkative: the scenario's failures are in it.
    expect(log.split('\n').length).toBeGreaterThan(50);
    expect(log).toContain('"application":"stale"');
    expect(log).toContain('notification delivery failed');
    captured.push({ where: 'hub log', text: log });

    expect(leaks(captured, secrets)).toEqual([]);
  }, 240_000);
});

describe('the leak search', () => {
  it('finds a secret planted as written, in base64 and in base64url', () => {
    // "???" encodes to "Pz8/" and "Pz8_": the two base64 forms differ.
    const planted = `???planted-${hex()}`;
    const secrets = new Map([['planted secret', planted]]);
    const places = [
      { where: 'plain', text: `x ${planted} y` },
      { where: 'base64', text: `"${Buffer.from(planted).toString('base64')}"` },
      { where: 'base64url', text: Buffer.from(planted).toString('base64url') },
      { where: 'clean', text: `x ${planted.slice(0, -1)} y` },
    ];
    expect(leaks(places, secrets)).toEqual([
      'planted secret in plain',
      'planted secret (base64) in base64',
      'planted secret (base64url) in base64url',
    ]);
  });
});

/** Every (place, secret) where the secret appears as written or encoded. */
function leaks(places: readonly Captured[], secrets: ReadonlyMap<string, string>): string[] {
  const forms: [string, string][] = [];
  for (const [name, value] of secrets) {
    forms.push([name, value]);
    forms.push([`${name} (base64)`, Buffer.from(value).toString('base64').replace(/=+$/, '')]);
    forms.push([`${name} (base64url)`, Buffer.from(value).toString('base64url')]);
  }
  forms.push(['git basic-auth header', Buffer.from(`${GIT_USER}:${GIT_PASSWORD}`).toString('base64')]);
  forms.push(['git credentials in a URL', `${GIT_USER}:${GIT_PASSWORD}@`]);
  const found: string[] = [];
  for (const place of places) {
    for (const [name, form] of forms) {
      if (place.text.includes(form)) found.push(`${name} in ${place.where}`);
    }
  }
  return found;
}
