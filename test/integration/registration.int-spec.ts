import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { startTestHub, type TestHub } from './support/hub.js';

const admin = { name: 'test-admin', role: 'admin' as const };

describe('agent registration against a real hub, PostgreSQL and Kafka', () => {
  let hub: TestHub;
  let registration: RegistrationService;
  let db: pg.Client;

  beforeAll(async () => {
    hub = await startTestHub();
    registration = hub.app.get(RegistrationService);
    db = new pg.Client({ connectionString: hub.config.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await hub.close();
  });

  async function token(options: Parameters<RegistrationService['createToken']>[1] = {}) {
    return (await registration.createToken(admin, options)).secret;
  }

  function registerBody(overrides: Record<string, unknown> = {}) {
    return {
      token: 'set-me',
      clusterName: `c-${randomUUID().slice(0, 8)}`,
      kubeSystemUid: randomUUID(),
      labels: { env: 'staging' },
      facts: { kubernetesVersion: 'v1.33.5', nodeCount: 1 },
      agentVersion: '0.1.0',
      ...overrides,
    };
  }

  const register = (json: unknown) => hub.request('POST', '/agent/v1/register', { json });
  const self = (credential: string) =>
    hub.request('GET', '/agent/v1/cluster', { headers: { authorization: `Bearer ${credential}` } });

  it('exchanges a token for a credential and signing key that identify only this cluster', async () => {
    const body = registerBody({
      token: await token({ defaultLabels: { fleet: 'demo', env: 'dev' } }),
      labels: { env: 'staging', team: 'web' },
    });

    const response = await register(body);

    expect(response.status).toBe(200);
    const result = response.body as Record<string, string>;
    expect(result).toEqual({
      clusterId: expect.any(String),
      clusterName: body.clusterName,
      credential: expect.stringMatching(/^fwc_/),
      signingKey: expect.any(String),
      reportsTopic: `${hub.config.kafka.topicPrefix}fleetwave.reports.v1`,
      heartbeatIntervalSeconds: 30,
      credentialIssuedAt: expect.any(String),
      credentialExpiresAt: expect.any(String),
    });
    // The credential lives HUB_CLUSTER_CREDENTIAL_TTL_SECONDS (30 days by default).
    expect(Date.parse(result.credentialExpiresAt!) - Date.parse(result.credentialIssuedAt!)).toBe(
      30 * 86_400_000,
    );
    const me = await self(result.credential!);
    expect(me.status).toBe(200);
    // The token's labels win over the agent's; the agent's fill only the keys the token leaves open.
    expect(me.body).toEqual({
      clusterId: result.clusterId,
      clusterName: body.clusterName,
      // …and the agent's facts are read-only labels under fleetwave.io/.
      labels: {
        fleet: 'demo',
        env: 'dev',
        team: 'web',
        'fleetwave.io/kubernetes-version': '1.33',
        'fleetwave.io/node-count': '1',
      },
      cordoned: false,
      credentialExpiresAt: result.credentialExpiresAt,
    });
    const row = await db.query('SELECT credential_hash, status FROM cluster WHERE id = $1', [
      result.clusterId,
    ]);
    expect(row.rows[0].credential_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.rows[0].credential_hash).not.toContain(result.credential);
    expect(row.rows[0].status).toBe('Pending');
    const events = await db.query(`SELECT actor, action FROM event WHERE target_id = $1`, [result.clusterId]);
    expect(events.rows).toEqual([
      { actor: expect.stringMatching(/^registration-token:/), action: 'cluster.registered' },
    ]);
  });

  it('returns the same cluster when the same kube-system UID registers again, and rotates the credential', async () => {
    const secret = await token();
    const body = registerBody({ token: secret });
    const first = (await register(body)).body as Record<string, string>;

    const second = await register({ ...body, agentVersion: '0.2.0' });

    expect(second.status).toBe(200);
    const again = second.body as Record<string, string>;
    expect(again.clusterId).toBe(first.clusterId);
    expect(again.credential).not.toBe(first.credential);
    expect(again.signingKey).not.toBe(first.signingKey);
    expect((await self(first.credential!)).status).toBe(401);
    expect((await self(again.credential!)).status).toBe(200);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM cluster WHERE kube_system_uid = $1', [
      body.kubeSystemUid,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it("keeps a re-registering cluster's labels, whatever the new token and the agent now send", async () => {
    const body = registerBody({
      token: await token({ defaultLabels: { fleet: 'a' } }),
      labels: { env: 'staging' },
    });
    const first = (await register(body)).body as Record<string, string>;
    await hub.app.get(ClustersService).setLabels(admin, body.clusterName, { owner: 'alice', env: 'prod' });

    const again = await register({
      ...body,
      token: await token({ defaultLabels: { fleet: 'b', env: 'dev' } }),
      labels: { env: 'test', extra: 'x' },
    });

    expect(again.status).toBe(200);
    const me = await self((again.body as Record<string, string>).credential!);
    expect(me.body).toMatchObject({
      clusterId: first.clusterId,
      labels: { fleet: 'a', env: 'prod', owner: 'alice' },
    });
  });

  it('replaces the fact labels with the facts a re-registration sends; operator labels stay', async () => {
    const body = registerBody({
      token: await token(),
      facts: { kubernetesVersion: 'v1.33.5', nodeCount: 1, provider: 'kind', region: 'local' },
    });
    await register(body);
    await hub.app.get(ClustersService).setLabels(admin, body.clusterName, { owner: 'alice' });

    const again = await register({
      ...body,
      token: await token(),
      facts: { kubernetesVersion: 'v1.34.1', nodeCount: 4, provider: 'kind' },
    });

    expect(again.status).toBe(200);
    const me = await self((again.body as Record<string, string>).credential!);
    expect((me.body as { labels: unknown }).labels).toEqual({
      env: 'staging',
      owner: 'alice',
      'fleetwave.io/kubernetes-version': '1.34',
      'fleetwave.io/node-count': '4',
      'fleetwave.io/provider': 'kind',
    });
  });

  it('refuses a name already taken by a different cluster', async () => {
    const secret = await token();
    const taken = registerBody({ token: secret });
    expect((await register(taken)).status).toBe(200);

    const clash = await register(registerBody({ token: secret, clusterName: taken.clusterName }));

    expect(clash.status).toBe(409);
    expect(clash.body).toEqual({
      code: 'CONFLICT',
      message: expect.stringContaining(`cluster name "${taken.clusterName}" is already registered`),
    });
  });

  it.each([
    ['an unknown token', () => Promise.resolve('fwr_unknown'), 'not valid'],
    [
      'a revoked token',
      async () => {
        const created = await registration.createToken(admin, {});
        await registration.revokeToken(admin, created.token.id);
        return created.secret;
      },
      'revoked',
    ],
  ])('refuses %s', async (_case, makeToken, reason) => {
    const response = await register(registerBody({ token: await makeToken() }));
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ code: 'UNAUTHENTICATED', message: expect.stringContaining(reason) });
  });

  it('refuses an expired token', async () => {
    const created = await registration.createToken(admin, { expiresAt: new Date(Date.now() + 60_000) });
    await db.query(`UPDATE registration_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      created.token.id,
    ]);

    const response = await register(registerBody({ token: created.secret }));

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('expired at'),
    });
  });

  it('counts uses under concurrency: a single-use token registers exactly one of five racing clusters', async () => {
    const secret = await token({ maxUses: 1 });

    const results = await Promise.all(
      Array.from({ length: 5 }, () => register(registerBody({ token: secret }))),
    );

    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    const refused = results.find((r) => r.status === 401)!;
    expect(refused.body).toEqual({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('used 1 of 1 times'),
    });
  });

  it.each([
    ['an invalid cluster name', { clusterName: 'Not_A_DNS_Name' }, 'clusterName'],
    ['an invalid label key', { labels: { 'bad key': 'x' } }, 'invalid labels'],
    ['an invalid label value', { labels: { env: 'prod!' } }, 'invalid labels'],
    [
      'a label under the fact prefix',
      { labels: { env: 'prod', 'fleetwave.io/region': 'eu-west-1' } },
      '"fleetwave.io/region": the "fleetwave.io/" prefix is reserved for facts the agent reports',
    ],
    ['a missing kube-system UID', { kubeSystemUid: undefined }, 'kubeSystemUid'],
    ['unknown facts', { facts: { favouriteColour: 'blue' } }, 'facts'],
  ])(
    'refuses %s with INVALID_ARGUMENT naming the field, and creates nothing',
    async (_case, override, field) => {
      const body = registerBody({ token: await token(), ...override });

      const response = await register(body);

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(field) });
      const { rows } = await db.query('SELECT count(*)::int AS n FROM cluster WHERE name = $1', [
        String(body.clusterName),
      ]);
      expect(rows[0].n).toBe(0);
    },
  );

  it('answers malformed JSON and oversized bodies with clear errors', async () => {
    const malformed = await hub.request('POST', '/agent/v1/register', {
      body: '{"token": ',
      headers: { 'content-type': 'application/json' },
    });
    const oversized = await register(registerBody({ token: await token(), padding: 'x'.repeat(300 * 1024) }));

    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('JSON') });
    expect(oversized.status).toBe(413);
    expect(oversized.body).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });
  });

  it('serves agent endpoints to a valid cluster credential only', async () => {
    const noCredential = await hub.request('GET', '/agent/v1/cluster');
    const forged = await self('fwc_forged');
    const registrationTokenInstead = await self(await token());

    for (const response of [noCredential, forged, registrationTokenInstead]) {
      expect(response.status).toBe(401);
      expect((response.body as { code: string }).code).toBe('UNAUTHENTICATED');
    }
  });
});
