import { afterEach, describe, expect, it } from '@jest/globals';
import { createHubApp } from '../../services/hub/src/app.factory.js';
import { freePort } from '../harness/net.js';
import { startTestHub, type TestHub, testHubConfig } from './support/hub.js';

describe('hub start-up and health against real PostgreSQL and Kafka', () => {
  const hubs: TestHub[] = [];
  afterEach(async () => {
    await Promise.all(hubs.splice(0).map((hub) => hub.close()));
  });

  it('migrates its database at start-up and reports live and ready', async () => {
    const hub = await startTestHub();
    hubs.push(hub);

    const live = await hub.request('GET', '/healthz');
    const ready = await hub.request('GET', '/readyz');

    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ ready: true, checks: { postgres: { ok: true }, kafka: { ok: true } } });
  });

  it('stays live but not ready while Kafka is unreachable', async () => {
    const deadBroker = `127.0.0.1:${await freePort()}`;
    const hub = await startTestHub(
      await testHubConfig({ kafka: { brokers: [deadBroker], topicPrefix: '' } }),
    );
    hubs.push(hub);

    const live = await hub.request('GET', '/healthz');
    const ready = await hub.request('GET', '/readyz');

    expect(live.status).toBe(200);
    expect(ready.status).toBe(503);
    const body = ready.body as { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.ready).toBe(false);
    expect(body.checks.postgres).toEqual({ ok: true });
    expect(body.checks.kafka!.ok).toBe(false);
    expect(body.checks.kafka!.error).toEqual(expect.any(String));
  });

  it('refuses to start with a clear error when PostgreSQL is unreachable, without leaking the password', async () => {
    const port = await freePort();
    const config = await testHubConfig({
      database: { url: `postgres://fleet:hunter2@127.0.0.1:${port}/x`, poolSize: 1 },
    });

    const failure = createHubApp(config);

    await expect(failure).rejects.toThrow(/ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(/hunter2/);
  });
});
