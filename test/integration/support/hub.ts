import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHubApp } from '../../../services/hub/src/app.factory.js';
import { type Clock } from '../../../services/hub/src/common/clock.js';
import { type HubConfig } from '../../../services/hub/src/config/hub-config.js';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { hubTopics } from '../../../services/hub/src/kafka/topic-names.js';
import { responseBody } from '../../harness/http.js';
import { hubConfigFor, type HubConfigOverrides } from '../../harness/hub-config.js';
import { waitFor } from '../../harness/wait-for.js';
import { createTestDatabase, kafkaBrokers } from './backing-services.js';

export interface TestHub {
  app: NestFastifyApplication;
  config: HubConfig;
  url: string;
  /** Plain HTTP to the running hub; the body is parsed JSON (or the raw text when it is not JSON). */
  request(
    method: string,
    path: string,
    options?: { json?: unknown; body?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** The git webhook secret of every test hub. */
export const TEST_WEBHOOK_SECRET = 'test-webhook-secret-0123456789';

/** A bootstrap admin token every test hub accepts. */
export const TEST_ADMIN_TOKEN = 'test-bootstrap-admin-token-0123456789abcdef';

/** A fresh database, topics and mirror directory of its own; faster ticks than production. */
/** A fresh database, topics and mirror directory of its own; faster ticks than production. */
export async function testHubConfig(overrides: HubConfigOverrides = {}): Promise<HubConfig> {
  return hubConfigFor(
    {
      databaseUrl: await createTestDatabase('fleetwave_hub'),
      brokers: kafkaBrokers(),
      gitDir: await mkdtemp(join(tmpdir(), 'fleetwave-git-')),
    },
    {
      database: { poolSize: 4 },
      // Each test hub (and the replicas sharing its config) gets topics and groups of its own.
      kafka: { topicPrefix: `it-${randomBytes(4).toString('hex')}.` },
      auth: { bootstrapAdminToken: TEST_ADMIN_TOKEN },
      // The sweeper runs when a test calls it.
      reports: { partitions: 3, sweepIntervalSeconds: 3600 },
      git: { webhookSecret: TEST_WEBHOOK_SECRET, syncTickSeconds: 1 },
      rollouts: { passIntervalSeconds: 1 },
    },
    overrides,
  );
}

/**
 * A hub clock a test moves: the system clock plus an offset, so time still passes (timers a pass
 * sets fire) while the test puts the hub at another moment (just before a window opens).
 */
export class TestClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** From now on the hub reads `at` (and onwards, as real time passes). */
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}

/** Boots a real hub (its own fresh database, the run's Kafka) listening on a free port. */
export async function startTestHub(config?: HubConfig, options: { clock?: Clock } = {}): Promise<TestHub> {
  const resolved = config ?? (await testHubConfig());
  const app = await createHubApp(resolved, options);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = await app.getUrl();
  const inFlight = new Set<ServerResponse>();
  (app.getHttpServer() as Server).on('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    response.on('close', () => inFlight.delete(response));
  });
  if (resolved.kafka.brokers.join() === kafkaBrokers().join()) await topicsCreated(resolved);
  return {
    app,
    config: resolved,
    url,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body = options.body;
      if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.json);
      }
      const response = await fetch(new URL(path, url), { method, headers, body });
      return { status: response.status, body: await responseBody(response) };
    },
    close: async () => {
      // Node's server.close() ends idle keep-alive connections once, when it starts: one whose
      // request (a poll the shutdown released, say) finishes after that would hold the close for
      // the keep-alive timeout. Test hubs close often, so they keep ending the idle ones.
      const server = app.getHttpServer() as Server;
      // A socket whose client went away mid-poll (an aborted fetch) can stay open with no request
      // on it, which Node does not count as idle: once no request is in flight, every connection
      // is closed, since none carries anything that could be lost.
      const sweep = setInterval(
        () => (inFlight.size === 0 ? server.closeAllConnections() : server.closeIdleConnections()),
        100,
      );
      // A request still open after that (a stopped agent's poll the hub has not answered) is cut.
      const cut = setTimeout(() => server.closeAllConnections(), 5_000);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
        clearTimeout(cut);
      }
    },
  };
}

/**
 * The hub creates its topics in the background at start-up; tests produce only after that. `client`:
 * how to reach a broker that needs TLS or SASL (the run's own needs neither).
 */
export async function topicsCreated(
  config: HubConfig,
  client: Pick<KafkaConfig, 'ssl' | 'sasl'> = {},
): Promise<void> {
  const admin = new Kafka({
    clientId: 'fleetwave-it',
    brokers: config.kafka.brokers,
    ...client,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = hubTopics(config);
    await waitFor(
      async () => {
        const existing = new Set(await admin.listTopics());
        return [topics.reports, topics.reportsDeadLetter, topics.events].every((t) => existing.has(t));
      },
      { description: "the hub's topics", timeoutMs: 30_000 },
    );
  } finally {
    await admin.disconnect();
  }
}
