/**
 * Kafka as production runs it: a broker whose only client listener is SASL_SSL (SCRAM-SHA-512, a
 * certificate from a CA of this run) with ACLs. The agent's principal may only write (and describe)
 * the reports topic; the hub's may use its own topics and groups. A real hub and the agent's real
 * reporter connect with their own configuration code (variables → references → kafkajs options).
 * One broker for the whole file, apart from the run's plaintext one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RegisterResponse } from '@fleetwave/contracts';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type Admin,
  Kafka,
  type KafkaJSError,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import pg from 'pg';
import { pino } from 'pino';
import { loadAgentConfig } from '../../services/agent/src/config/agent-config.js';
import { SequenceNumbers } from '../../services/agent/src/identity/sequence.js';
import { createAgentKafka } from '../../services/agent/src/report/kafka-client.js';
import { Reporter } from '../../services/agent/src/report/reporter.js';
import { ConfigError, loadHubConfig } from '../../services/hub/src/config/hub-config.js';
import { startHubProcess } from '../harness/hub-process.js';
import { SECURE_KAFKA_MECHANISM, type SecureKafkaServer, startSecureKafka } from '../harness/kafka-secure.js';
import { waitFor } from '../harness/wait-for.js';
import { createTestDatabase } from './support/backing-services.js';
import { registerCluster } from './support/graphql.js';
import { startTestHub, type TestHub, testHubConfig, topicsCreated } from './support/hub.js';

describe('Kafka over SASL_SSL with ACLs: the hub and the agent as production runs them', () => {
  let kafka: SecureKafkaServer;
  let admin: Admin;
  let hub: TestHub;
  let db: pg.Client;
  let secrets: string;
  const prefix = `it-sec-${randomBytes(4).toString('hex')}.`;
  const WRONG_PASSWORD = `wrong-${randomBytes(12).toString('base64url')}`;

  /** A file holding `content`, as a mounted Secret would. */
  async function secretFile(name: string, content: string): Promise<string> {
    const file = path.join(secrets, name);
    await writeFile(file, content, { mode: 0o600 });
    return file;
  }

  /** The agent's environment as its chart sets it: TLS with the run's CA, SCRAM, password by file. */
  async function agentEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
    return {
      AGENT_HUB_URL: hub.url,
      AGENT_KAFKA_BROKERS: kafka.brokers.join(','),
      AGENT_CLUSTER_NAME: 'secure-1',
      AGENT_KAFKA_TLS: 'true',
      AGENT_KAFKA_TLS_CA_FILE: kafka.caFile,
      AGENT_KAFKA_SASL_MECHANISM: SECURE_KAFKA_MECHANISM,
      AGENT_KAFKA_SASL_USERNAME: 'agent',
      AGENT_KAFKA_SASL_PASSWORD_FILE: await secretFile('agent-password', `${kafka.passwords.agent}\n`),
      ...overrides,
    };
  }

  /**
   * A test hub's config whose Kafka settings come from variables, as a hub process reads them: TLS
   * with the run's CA, SCRAM as `hub`, and `env` on top (the password file, say).
   */
  async function hubConfigWithKafka(env: Record<string, string>) {
    const { security } = loadHubConfig({
      HUB_DATABASE_URL: 'postgres://unused@localhost/unused',
      HUB_KAFKA_BROKERS: kafka.brokers.join(','),
      HUB_KAFKA_TLS: 'true',
      HUB_KAFKA_TLS_CA_FILE: kafka.caFile,
      HUB_KAFKA_SASL_MECHANISM: SECURE_KAFKA_MECHANISM,
      HUB_KAFKA_SASL_USERNAME: 'hub',
      ...env,
    }).kafka;
    return testHubConfig({ kafka: { brokers: kafka.brokers, topicPrefix: prefix, security } });
  }

  /** Log lines the agent's reporter writes, kept to search for secrets. */
  const agentLogs: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void agentLogs.push(line) });

  function reporterFor(client: Kafka, identity: RegisterResponse): Reporter {
    return new Reporter(client, identity, new SequenceNumbers(async () => 0), '0.1.0', logger, 10);
  }

  /** What an operation of a kafkajs client rejected with. */
  async function failure(operation: Promise<unknown>): Promise<KafkaJSError> {
    try {
      await operation;
    } catch (error) {
      return error as KafkaJSError;
    }
    throw new Error('expected the operation to fail');
  }

  /** No password of this run in `text`. */
  function expectNoSecret(text: string): void {
    for (const secret of [...Object.values(kafka.passwords), WRONG_PASSWORD]) {
      expect(text).not.toContain(secret);
    }
  }

  beforeAll(async () => {
    kafka = await startSecureKafka({ users: ['hub', 'agent'] });
    secrets = await mkdtemp(path.join(tmpdir(), 'fleetwave-kafka-secrets-'));
    admin = new Kafka({
      clientId: 'fleetwave-it-admin',
      ...kafka.adminClient,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();

    const allow = (
      principal: string,
      resourceType: AclResourceTypes,
      resourceName: string,
      resourcePatternType: ResourcePatternTypes,
      operation: AclOperationTypes,
    ) => ({
      principal,
      resourceType,
      resourceName,
      resourcePatternType,
      operation,
      host: '*',
      permissionType: AclPermissionTypes.ALLOW,
    });
    const reportsTopic = `${prefix}fleetwave.reports.v1`;
    await admin.createAcls({
      acl: [
        // The hub: its own topics (it creates them) and consumer groups, by prefix.
        allow(
          'User:hub',
          AclResourceTypes.TOPIC,
          prefix,
          ResourcePatternTypes.PREFIXED,
          AclOperationTypes.ALL,
        ),
        allow(
          'User:hub',
          AclResourceTypes.GROUP,
          prefix,
          ResourcePatternTypes.PREFIXED,
          AclOperationTypes.ALL,
        ),
        // The agent: write the reports topic, nothing else.
        allow(
          'User:agent',
          AclResourceTypes.TOPIC,
          reportsTopic,
          ResourcePatternTypes.LITERAL,
          AclOperationTypes.WRITE,
        ),
        allow(
          'User:agent',
          AclResourceTypes.TOPIC,
          reportsTopic,
          ResourcePatternTypes.LITERAL,
          AclOperationTypes.DESCRIBE,
        ),
        // A consumer group of its own (as a careless grant might give it), so that reading the
        // reports topic is refused for the topic itself, not for want of a group.
        allow(
          'User:agent',
          AclResourceTypes.GROUP,
          `${prefix}agent-snoop`,
          ResourcePatternTypes.LITERAL,
          AclOperationTypes.READ,
        ),
      ],
    });

    const config = await hubConfigWithKafka({
      HUB_KAFKA_SASL_PASSWORD_FILE: await secretFile('hub-password', kafka.passwords.hub!),
    });
    hub = await startTestHub(config);
    await topicsCreated(config, kafka.adminClient);
    db = new pg.Client({ connectionString: config.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await hub?.close();
    await admin?.disconnect();
    await kafka?.stop();
  });

  it("carries the agent reporter's report to the hub, which ingests it", async () => {
    const identity = await registerCluster(hub, `secure-${randomUUID().slice(0, 8)}`, {});
    expect(identity.reportsTopic).toBe(`${prefix}fleetwave.reports.v1`);
    const reporter = reporterFor(createAgentKafka(loadAgentConfig(await agentEnv())), identity);
    try {
      await reporter.heartbeat('Ready', { facts: { kubernetesVersion: 'v1.33.5', nodeCount: 2 } });
      await reporter.flush();
      expect(reporter.sent).toBe(1);
    } finally {
      await reporter.close();
    }

    const row = await waitFor(
      async () => {
        const { rows } = await db.query<{ status: string; last_seq: number; facts: object }>(
          'SELECT status, last_seq::int AS last_seq, facts FROM cluster WHERE id = $1',
          [identity.clusterId],
        );
        return rows[0]?.last_seq === 0 && rows[0];
      },
      { description: 'the hub to ingest the report', timeoutMs: 30_000 },
    );
    expect(row).toEqual({
      status: 'Ready',
      last_seq: 0,
      facts: { kubernetesVersion: 'v1.33.5', nodeCount: 2 },
    });
  });

  it("refuses the agent's principal any other topic, and reading the reports topic", async () => {
    const client = createAgentKafka(loadAgentConfig(await agentEnv()));
    const producer = client.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      const denied = await failure(
        producer.send({ topic: `${prefix}fleetwave.events.v1`, messages: [{ value: 'forged event' }] }),
      );
      expect(denied.message).toMatch(/not authorized to access topics/i);
    } finally {
      await producer.disconnect();
    }

    const consumer = client.consumer({
      groupId: `${prefix}agent-snoop`,
      retry: { retries: 0, restartOnFailure: async () => false },
    });
    const crashed = new Promise<Error>((resolve) =>
      consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error)),
    );
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: `${prefix}fleetwave.reports.v1`, fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      const error = await crashed;
      expect(error.message).toMatch(/not authorized to access topics/i);
    } finally {
      await consumer.disconnect();
    }
  });

  it('fails a wrong password with a clear authentication error that holds no password, in errors or logs', async () => {
    const env = await agentEnv({
      AGENT_KAFKA_SASL_PASSWORD_FILE: await secretFile('wrong-password', WRONG_PASSWORD),
    });
    const client = createAgentKafka(loadAgentConfig(env));
    const producer = client.producer({ retry: { retries: 0 } });
    const error = await failure(producer.connect());
    expect(error.name).toBe('KafkaJSSASLAuthenticationError');
    expect(error.message).toMatch(/SASL SCRAM SHA512 authentication failed.*invalid credentials/i);
    expectNoSecret(`${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}`);

    // Through the reporter: the report stays buffered and the warning says why, without the secret.
    const identity = await registerCluster(hub, `secure-${randomUUID().slice(0, 8)}`, {});
    const reporter = reporterFor(client, identity);
    agentLogs.length = 0;
    await reporter.heartbeat('Ready');
    await reporter.flush();
    expect(reporter.sent).toBe(0);
    expect(reporter.pending).toBe(1);
    const logged = agentLogs.join('\n');
    expect(logged).toMatch(/authentication failed/i);
    expectNoSecret(logged);
    await reporter.close();
  });

  it('fails a broker certificate from a CA the client does not trust with a clear TLS error', async () => {
    const client = createAgentKafka(
      loadAgentConfig(await agentEnv({ AGENT_KAFKA_TLS_CA_FILE: kafka.otherCaFile })),
    );
    const producer = client.producer({ retry: { retries: 0 } });
    const error = await failure(producer.connect());
    // kafkajs gives up after its connection retries, with the TLS reason.
    expect(error.message).toBe('Connection error: unable to verify the first certificate');
    expectNoSecret(error.message);
  });

  it('keeps a hub with a wrong password up but not ready, saying why without the password', async () => {
    const config = await hubConfigWithKafka({
      HUB_KAFKA_SASL_PASSWORD_FILE: await secretFile('hub-wrong-password', WRONG_PASSWORD),
    });
    const wrong = await startTestHub(config);
    try {
      const readiness = await wrong.request('GET', '/readyz');
      expect(readiness.status).toBe(503);
      const body = JSON.stringify(readiness.body);
      expect(body).toMatch(/SASL SCRAM SHA512 authentication failed/);
      expectNoSecret(body);
    } finally {
      await wrong.close();
    }
  });

  it('a hub process logs the broker refusing a wrong password (given as a variable), never the password', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'fleetwave-hub-process-'));
    const hubProcess = await startHubProcess({
      databaseUrl: await createTestDatabase('fleetwave_hub'),
      brokers: kafka.brokers,
      logFile: path.join(work, 'hub.log'),
      env: {
        LOG_LEVEL: 'debug',
        HUB_GIT_DIR: path.join(work, 'git'),
        HUB_KAFKA_TOPIC_PREFIX: prefix,
        HUB_KAFKA_TLS: 'true',
        HUB_KAFKA_TLS_CA_FILE: kafka.caFile,
        HUB_KAFKA_SASL_MECHANISM: SECURE_KAFKA_MECHANISM,
        HUB_KAFKA_SASL_USERNAME: 'hub',
        HUB_KAFKA_SASL_PASSWORD: WRONG_PASSWORD,
      },
    });
    try {
      const log = await waitFor(
        async () => {
          const text = await readFile(hubProcess.process.logFile, 'utf8').catch(() => '');
          return /SASL SCRAM SHA512 authentication failed/.test(text) && text;
        },
        { description: "the hub's log to show the refused login", timeoutMs: 30_000 },
      );
      expectNoSecret(log);
    } finally {
      await hubProcess.stop();
    }
    expectNoSecret(await readFile(hubProcess.process.logFile, 'utf8'));
  });

  it('a hub process whose CA file is missing exits at once, naming the variable and the path', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'fleetwave-hub-process-'));
    const missing = path.join(work, 'no-such-ca.crt');
    const hubProcess = await startHubProcess({
      databaseUrl: await createTestDatabase('fleetwave_hub'),
      brokers: kafka.brokers,
      logFile: path.join(work, 'hub.log'),
      env: { HUB_GIT_DIR: path.join(work, 'git'), HUB_KAFKA_TLS: 'true', HUB_KAFKA_TLS_CA_FILE: missing },
    });
    await hubProcess.process.exited();
    expect(hubProcess.process.child.exitCode).toBe(1);
    expect(await readFile(hubProcess.process.logFile, 'utf8')).toContain(
      `fleetwave-hub: invalid hub configuration:\n  - HUB_KAFKA_TLS_CA_FILE names ${missing}, which cannot be read (ENOENT)`,
    );
  });

  it('stops a hub whose password file is missing at start-up, naming the variable and the path', async () => {
    const missing = path.join(secrets, 'no-such-password');
    const config = await hubConfigWithKafka({ HUB_KAFKA_SASL_PASSWORD_FILE: missing });
    const error = await failure(startTestHub(config));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as unknown as ConfigError).problems).toEqual([
      `HUB_KAFKA_SASL_PASSWORD_FILE names ${missing}, which cannot be read (ENOENT)`,
    ]);
  });
});
