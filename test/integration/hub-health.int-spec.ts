import { afterEach, describe, expect, it } from '@jest/globals';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHubApp } from '../../services/hub/src/app.factory.js';
import { type HubConfig } from '../../services/hub/src/config/hub-config.js';
import { freePort } from '../harness/net.js';
import { createTestDatabase, kafkaBrokers } from './support/backing-services.js';

async function hubConfig(overrides: Partial<HubConfig> = {}): Promise<HubConfig> {
  return {
    database: { url: await createTestDatabase('fleetwave_hub'), poolSize: 2 },
    kafka: { brokers: kafkaBrokers() },
    http: { host: '127.0.0.1', port: 0 },
    logLevel: 'silent',
    ...overrides,
  };
}

describe('hub start-up and health against real PostgreSQL and Kafka', () => {
  const apps: NestFastifyApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  /** Boots a hub listening on a real port; returns a GET helper speaking HTTP to it. */
  async function boot(config: HubConfig) {
    const app = await createHubApp(config);
    apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = await app.getUrl();
    return async (path: string) => {
      const response = await fetch(new URL(path, base));
      return { statusCode: response.status, body: (await response.json()) as unknown };
    };
  }

  it('migrates its database at start-up and reports live and ready', async () => {
    const get = await boot(await hubConfig());

    const live = await get('/healthz');
    const ready = await get('/readyz');

    expect(live.statusCode).toBe(200);
    expect(ready.statusCode).toBe(200);
    expect(ready.body).toEqual({ ready: true, checks: { postgres: { ok: true }, kafka: { ok: true } } });
  });

  it('stays live but not ready while Kafka is unreachable', async () => {
    const deadBroker = `127.0.0.1:${await freePort()}`;
    const get = await boot(await hubConfig({ kafka: { brokers: [deadBroker] } }));

    const live = await get('/healthz');
    const ready = await get('/readyz');

    expect(live.statusCode).toBe(200);
    expect(ready.statusCode).toBe(503);
    const body = ready.body as { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.ready).toBe(false);
    expect(body.checks.postgres).toEqual({ ok: true });
    expect(body.checks.kafka!.ok).toBe(false);
    expect(body.checks.kafka!.error).toEqual(expect.any(String));
  });

  it('refuses to start with a clear error when PostgreSQL is unreachable, without leaking the password', async () => {
    const port = await freePort();
    const config = await hubConfig({
      database: { url: `postgres://fleet:hunter2@127.0.0.1:${port}/x`, poolSize: 1 },
    });

    const failure = createHubApp(config);

    await expect(failure).rejects.toThrow(/ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });
});
