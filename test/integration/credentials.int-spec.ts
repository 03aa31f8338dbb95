import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type DeadLetter, encodeHubEvent, type RegisterResponse } from '@fleetwave/contracts';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import pg from 'pg';
import { registerAgent, type SimAgent } from '../harness/sim-agent.js';
import { connectReportProducer } from '../harness/report-sinks.js';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers } from './support/backing-services.js';
import { codes, gql, gqlOk } from './support/graphql.js';
import { startTestHub, TestClock, type TestHub, testHubConfig } from './support/hub.js';
import { type DeadLetterReader, readDeadLetters } from './support/dead-letters.js';
import { simAgentOf } from './support/sim-agents.js';
import { type HubConfig } from '../../services/hub/src/config/hub-config.js';
import { hubTopics } from '../../services/hub/src/kafka/topic-names.js';
import { ClusterChangesFeed } from '../../services/hub/src/clusters/graphql/cluster-changes.feed.js';
import { HubClient } from '../../services/agent/src/hub/hub-client.js';
import { CredentialRotator } from '../../services/agent/src/identity/rotation.js';
import { SequenceNumbers } from '../../services/agent/src/identity/sequence.js';
import { Reporter } from '../../services/agent/src/report/reporter.js';
import { pino } from 'pino';

const GRACE_SECONDS = 600;
/** Longer than any test here: a refusal seen in time came from an invalidation, not the cache's TTL. */
const CREDENTIAL_CACHE_SECONDS = 300;
const HOUR = 3_600_000;

/**
 * Scoped, expiring credentials against a real hub, PostgreSQL and Kafka, time moved by the hub
 * clock: API tokens that expire and are listed and revoked; cluster credentials rotated while a
 * simulated agent keeps reporting (no report lost, the replaced key accepted within the grace and
 * refused after), and revoked without deregistering the cluster.
 */
describe('expiring API tokens and cluster credentials', () => {
  const kafka = new Kafka({
    clientId: 'fleetwave-it-creds',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  const clock = new TestClock();
  let hub: TestHub;
  let config: HubConfig;
  let producer: Producer;
  let dlq: DeadLetterReader;
  let db: pg.Client;
  let deadLetters: DeadLetter[] = [];

  beforeAll(async () => {
    config = await testHubConfig({
      auth: {
        credentialGraceSeconds: GRACE_SECONDS,
        apiTokenDefaultTtlSeconds: 7200,
        apiTokenMaxTtlSeconds: 86_400,
        agentCredentialCacheSeconds: CREDENTIAL_CACHE_SECONDS,
      },
    });
    hub = await startTestHub(config, { clock });
    producer = await connectReportProducer(kafkaBrokers(), 'fleetwave-it-creds');
    db = new pg.Client({ connectionString: config.database.url });
    await db.connect();
    dlq = await readDeadLetters(config);
    deadLetters = dlq.letters;
  });
  afterAll(async () => {
    await dlq.stop();
    await producer.disconnect();
    await db.end();
    await hub.close();
  });

  /** Moves the hub clock forward by `ms` from what it reads now. */
  const advance = (ms: number) => clock.set(new Date(clock.now().getTime() + ms));

  describe('API tokens', () => {
    const TOKEN_FIELDS = 'id name role createdAt expiresAt lastUsedAt revokedAt';
    async function createToken(name: string, expiresIn?: number) {
      const { createApiToken } = await gqlOk<{
        createApiToken: { secret: string; token: { id: string; expiresAt: string } };
      }>(
        hub,
        `mutation($name: String!, $expiresIn: Int) {
           createApiToken(name: $name, role: viewer, expiresIn: $expiresIn) { secret token { ${TOKEN_FIELDS} } } }`,
        { name, expiresIn },
      );
      return createApiToken;
    }
    const listTokens = async () =>
      (await gqlOk<{ apiTokens: Record<string, unknown>[] }>(hub, `{ apiTokens { ${TOKEN_FIELDS} } }`))
        .apiTokens;

    it('expire: working until expiresAt by the hub clock, then UNAUTHENTICATED saying when', async () => {
      const created = await createToken('expiring', 3600);
      const issuedAt = clock.now().getTime();
      expect(Date.parse(created.token.expiresAt) - issuedAt).toBeGreaterThan(3600_000 - 60_000);
      expect(Date.parse(created.token.expiresAt) - issuedAt).toBeLessThanOrEqual(3600_000);

      expect((await gql(hub, '{ apiTokens { id } }', {}, created.secret)).errors).toBeUndefined();
      advance(HOUR);
      const refused = await gql(hub, '{ apiTokens { id } }', {}, created.secret);

      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(refused.errors?.[0]?.message).toContain(`the API token expired at ${created.token.expiresAt}`);
    });

    it('get the default lifetime without expiresIn, and refuse one longer than the maximum', async () => {
      const before = clock.now().getTime();
      const created = await createToken('defaulted');
      expect(Date.parse(created.token.expiresAt) - before).toBeGreaterThanOrEqual(7200_000 - 1000);
      expect(Date.parse(created.token.expiresAt) - before).toBeLessThanOrEqual(7200_000 + 60_000);

      const tooLong = await gql(
        hub,
        `mutation { createApiToken(name: "forever", role: admin, expiresIn: 86401) { secret } }`,
      );
      expect(codes(tooLong)).toEqual(['INVALID_ARGUMENT']);
      expect(tooLong.errors?.[0]?.message).toContain('HUB_API_TOKEN_MAX_TTL_SECONDS');
      expect((await listTokens()).map((t) => t['name'])).not.toContain('forever');
    });

    it('are listed without secrets (expiry, last use, revocation) and revoked with the reason', async () => {
      const created = await createToken('listed', 3600);
      await gqlOk(hub, '{ apiTokens { id } }', {}, created.secret);

      const listed = (await listTokens()).find((t) => t['id'] === created.token.id)!;
      expect(listed).toEqual({
        id: created.token.id,
        name: 'listed',
        role: 'viewer',
        createdAt: expect.any(String),
        expiresAt: created.token.expiresAt,
        lastUsedAt: expect.any(String),
        revokedAt: null,
      });
      expect(JSON.stringify(await listTokens())).not.toContain(created.secret);

      await gqlOk(hub, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: created.token.id });
      const refused = await gql(hub, '{ apiTokens { id } }', {}, created.secret);
      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
      expect(refused.errors?.[0]?.message).toContain('the API token was revoked at');
      expect((await listTokens()).find((t) => t['id'] === created.token.id)!['revokedAt']).toEqual(
        expect.any(String),
      );
    });
  });

  describe('cluster credentials', () => {
    const uid = randomUUID();
    const name = `rot-${uid.slice(0, 8)}`;
    let agent: SimAgent;
    let first: RegisterResponse;

    async function registrationToken(): Promise<string> {
      const { createRegistrationToken } = await gqlOk<{ createRegistrationToken: { secret: string } }>(
        hub,
        `mutation { createRegistrationToken(input: { maxUses: 1 }) { secret } }`,
      );
      return createRegistrationToken.secret;
    }
    const register = async () =>
      registerAgent(hub.url, {
        token: await registrationToken(),
        clusterName: name,
        kubeSystemUid: uid,
        agentVersion: '0.1.0',
      });
    const poll = (credential: string) =>
      hub.request('GET', '/agent/v1/cluster', { headers: { authorization: `Bearer ${credential}` } });
    const rotate = (credential: string) =>
      hub.request('POST', '/agent/v1/credentials/rotate', {
        headers: { authorization: `Bearer ${credential}` },
      });
    const lastSeq = async () =>
      Number(
        (await db.query('SELECT last_seq FROM cluster WHERE id = $1', [first.clusterId])).rows[0].last_seq,
      );
    const lettersOf = () => deadLetters.filter((l) => l.source.key === first.clusterId);
    /** Sends one heartbeat (signed with `key`, the agent's current one by default) and waits for the hub to read it. */
    async function heartbeat(key?: string): Promise<number> {
      const report = agent.heartbeat();
      const before = lettersOf().length;
      await agent.send(report, key);
      await waitFor(async () => (await lastSeq()) >= report.seq || lettersOf().length > before, {
        description: `heartbeat ${report.seq} accepted or dead-lettered`,
        timeoutMs: 30_000,
      });
      return report.seq;
    }
    const credentialOf = async () =>
      (
        await gqlOk<{
          cluster: { credential: { state: string; expiresAt: string; revokedAt: string | null } };
        }>(
          hub,
          `query($name: String!) { cluster(name: $name) { credential { state expiresAt revokedAt } } }`,
          { name },
        )
      ).cluster.credential;

    beforeAll(async () => {
      first = await register();
      agent = simAgentOf(hub, first, producer);
    });

    it('rotate while reports keep flowing: none lost, the sequence goes on', async () => {
      const before = await credentialOf();
      expect(before.state).toBe('Active');
      let stop = false;
      const flowing = (async () => {
        while (!stop) await agent.send(agent.heartbeat()); // each signed with the key current at that moment
      })();
      const identities = [];
      for (let i = 0; i < 3; i++) {
        identities.push(await agent.rotateCredential());
        // The hub keeps one replaced key: rotations are days apart, far more than the hub takes to
        // read what was signed before one. Reports keep flowing meanwhile.
        const signedBefore = agent.lastSeq;
        await waitFor(async () => (await lastSeq()) >= signedBefore, {
          description: `the reports signed before rotation ${i + 1} read`,
          timeoutMs: 30_000,
        });
      }
      stop = true;
      await flowing;
      await agent.send(agent.heartbeat());

      await waitFor(async () => (await lastSeq()) === agent.lastSeq, {
        description: `every report up to seq ${agent.lastSeq} accepted`,
        timeoutMs: 30_000,
      });
      expect(lettersOf()).toEqual([]);
      expect(new Set(identities.map((i) => i.signingKey)).size).toBe(3);
      expect(identities.every((i) => i.clusterId === first.clusterId && i.clusterName === name)).toBe(true);
      expect(Date.parse((await credentialOf()).expiresAt)).toBeGreaterThan(Date.parse(before.expiresAt) - 1);
      const events = await db.query(
        `SELECT actor FROM event WHERE target_id = $1 AND action = 'cluster.credentialRotated'`,
        [first.clusterId],
      );
      expect(events.rows).toEqual(Array.from({ length: 3 }, () => ({ actor: `cluster:${name}` })));
    });

    it('accepts the replaced credential and key within the grace, refuses them after with stable codes', async () => {
      const replaced = agent.identity;
      const current = await agent.rotateCredential();

      // A report signed with the replaced key just before the rotation, arriving after it.
      const inFlight = await heartbeat(replaced.signingKey);
      expect(await lastSeq()).toBe(inFlight);
      expect((await poll(replaced.credential)).status).toBe(200);

      advance(GRACE_SECONDS * 1000);
      const late = await heartbeat(replaced.signingKey);
      const letter = lettersOf().at(-1);
      expect(letter).toMatchObject({ reason: 'expired-signing-key' });
      expect(letter?.detail).toContain('grace period ended');
      expect(await lastSeq()).toBe(inFlight);
      expect(late).toBeGreaterThan(inFlight);
      expect(await poll(replaced.credential)).toEqual({
        status: 401,
        body: { code: 'CREDENTIAL_EXPIRED', message: expect.stringContaining('replaced by a rotation') },
      });

      // The current key is untouched by the end of the grace.
      const next = await heartbeat(current.signingKey);
      expect(await lastSeq()).toBe(next);
      expect((await poll(current.credential)).status).toBe(200);
    });

    it('survives a lost rotation answer: the agent rotates again with the credential it kept', async () => {
      const kept = agent.identity;
      const lost = (await rotate(kept.credential)).body as RegisterResponse; // the agent crashed before saving it
      const again = await rotate(kept.credential);

      expect(again.status).toBe(200);
      const saved = again.body as RegisterResponse;
      expect((await poll(saved.credential)).status).toBe(200);
      // The pair the lost answer carried never worked for anyone after that.
      expect((await poll(lost.credential)).body).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect((await poll(kept.credential)).status).toBe(200); // still within its grace
      agent = simAgentOf(hub, saved, producer, { firstSeq: agent.lastSeq + 1 });
      const seq = await heartbeat();
      expect(await lastSeq()).toBe(seq);
    });

    it('expires a credential not rotated in time', async () => {
      const expiresAt = Date.parse((await credentialOf()).expiresAt);
      advance(expiresAt - clock.now().getTime());

      expect((await credentialOf()).state).toBe('Expired');
      expect(await poll(agent.identity.credential)).toEqual({
        status: 401,
        body: { code: 'CREDENTIAL_EXPIRED', message: expect.stringContaining('expired at') },
      });
      expect((await rotate(agent.identity.credential)).status).toBe(401);
      const seqBefore = await lastSeq();
      await heartbeat();
      expect(lettersOf().at(-1)).toMatchObject({ reason: 'expired-signing-key' });
      expect(await lastSeq()).toBe(seqBefore);
    });

    it('revokes one credential without deregistering; registering again brings the same cluster back', async () => {
      const comeback = await register(); // a fresh credential after the expiry
      agent = simAgentOf(hub, comeback, producer);
      expect(comeback.clusterId).toBe(first.clusterId);
      await heartbeat();
      const accepted = await lastSeq();
      // Its lookup is now cached: the revocation below must take effect at once all the same.
      expect((await poll(comeback.credential)).status).toBe(200);

      const operator = await gqlOk<{ createApiToken: { secret: string } }>(
        hub,
        `mutation { createApiToken(name: "revoker", role: operator) { secret } }`,
      );
      const forbidden = await gql(
        hub,
        `mutation($name: String!) { revokeClusterCredential(name: $name) { name } }`,
        { name },
        operator.createApiToken.secret,
      );
      expect(codes(forbidden)).toEqual(['FORBIDDEN']);
      const { revokeClusterCredential } = await gqlOk<{
        revokeClusterCredential: {
          name: string;
          status: string;
          credential: { state: string; revokedAt: string };
        };
      }>(
        hub,
        `mutation($name: String!) { revokeClusterCredential(name: $name) { name status credential { state revokedAt } } }`,
        { name },
      );
      expect(revokeClusterCredential).toMatchObject({
        name,
        credential: { state: 'Revoked', revokedAt: expect.any(String) },
      });

      expect(await poll(comeback.credential)).toEqual({
        status: 401,
        body: { code: 'CREDENTIAL_REVOKED', message: expect.stringContaining('registers again') },
      });
      expect((await rotate(comeback.credential)).body).toMatchObject({ code: 'CREDENTIAL_REVOKED' });
      await heartbeat();
      expect(lettersOf().at(-1)).toMatchObject({ reason: 'revoked-credential' });
      expect(await lastSeq()).toBe(accepted);
      // The registry entry and its history stay.
      const { rows } = await db.query(`SELECT action FROM event WHERE target_id = $1 ORDER BY id`, [
        first.clusterId,
      ]);
      expect(rows.map((r: { action: string }) => r.action)).toEqual(
        expect.arrayContaining(['cluster.registered', 'cluster.credentialRevoked']),
      );

      const back = await register();
      expect(back.clusterId).toBe(first.clusterId);
      expect((await credentialOf()).state).toBe('Active');
      expect((await poll(back.credential)).status).toBe(200);
    });

    it("refuses a cached credential as soon as another replica's revocation event arrives", async () => {
      await hub.app.get(ClusterChangesFeed).whenJoined();
      const identity = await register();
      const pollNow = () => poll(identity.credential);
      expect((await pollNow()).status).toBe(200); // its lookup is cached now
      // Another replica revokes: the row changes in PostgreSQL, not through this replica…
      await db.query(`UPDATE cluster SET credential_revoked_at = now() WHERE id = $1`, [identity.clusterId]);
      // …so this one still serves its cached lookup (the TTL here is 300 s)…
      expect((await pollNow()).status).toBe(200);
      // …until that replica's audit event reaches it through Kafka.
      await producer.send({
        topic: hubTopics(config).events,
        messages: [
          {
            key: identity.clusterId,
            value: encodeHubEvent({
              v: 1,
              id: randomUUID(),
              occurredAt: new Date().toISOString(),
              actor: 'user:admin',
              action: 'cluster.credentialRevoked',
              target: { kind: 'cluster', id: identity.clusterId, name },
            }),
          },
        ],
      });
      await waitFor(async () => (await pollNow()).status === 401, {
        description: 'the revoked credential refused after the event',
        timeoutMs: 30_000,
      });
      expect(await pollNow()).toEqual({
        status: 401,
        body: { code: 'CREDENTIAL_REVOKED', message: expect.stringContaining('registers again') },
      });
    });

    it('refuses to revoke an unknown cluster', async () => {
      const response = await gql(
        hub,
        `mutation { revokeClusterCredential(name: "no-such-cluster") { name } }`,
      );
      expect(codes(response)).toEqual(['NOT_FOUND']);
    });
  });

  describe('the real agent code', () => {
    it('rotates at two thirds of the lifetime while its reporter keeps reporting: none lost', async () => {
      const identity = await registerAgent(hub.url, {
        token: (
          await gqlOk<{ createRegistrationToken: { secret: string } }>(
            hub,
            `mutation { createRegistrationToken(input: { maxUses: 1 }) { secret } }`,
          )
        ).createRegistrationToken.secret,
        clusterName: `agent-${randomUUID().slice(0, 8)}`,
        kubeSystemUid: randomUUID(),
        agentVersion: '0.1.0',
      });
      const logger = pino({ level: 'silent' });
      const hubClient = new HubClient(hub.url, identity.credential);
      const reporter = new Reporter(
        kafka,
        identity,
        new SequenceNumbers(async () => 0),
        '0.1.0',
        logger,
        100,
      );
      const saved: RegisterResponse[] = [];
      let agentNow = new Date(Date.parse(identity.credentialExpiresAt!) - 86_400_000 * 15); // half-way
      const rotator = new CredentialRotator(identity, {
        hub: hubClient,
        store: { save: async (next) => void saved.push(next) },
        reporter,
        now: () => agentNow,
        logger,
      });
      const seqOf = async () =>
        Number(
          (await db.query('SELECT last_seq FROM cluster WHERE id = $1', [identity.clusterId])).rows[0]
            .last_seq,
        );

      try {
        await reporter.heartbeat('Ready');
        expect(await rotator.rotateIfDue()).toBe('not-due');
        await reporter.heartbeat('Ready');
        agentNow = new Date(Date.parse(identity.credentialExpiresAt!) - 86_400_000 * 9); // past two thirds
        expect(await rotator.rotateIfDue()).toBe('rotated');
        await reporter.heartbeat('Ready');
        await reporter.status('Ready', []);
        await reporter.close();

        await waitFor(async () => (await seqOf()) === 3, {
          description: 'reports 0-3 accepted',
          timeoutMs: 30_000,
        });
        expect(deadLetters.filter((l) => l.source.key === identity.clusterId)).toEqual([]);
        expect(saved.map((s) => s.credential)).toEqual([rotator.current.credential]);
        expect(rotator.current.credential).not.toBe(identity.credential);
        // The client polls with the new credential.
        expect(await hubClient.pollAssignments(undefined)).toMatchObject({ changed: true });
        const state = await db.query('SELECT previous_valid_until FROM cluster WHERE id = $1', [
          identity.clusterId,
        ]);
        expect(state.rows[0].previous_valid_until).toEqual(expect.any(Date));
      } finally {
        await reporter.close();
      }
    });
  });
});
