import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type ClusterFacts } from '@fleetwave/contracts';
import { matchesSelector, parseSelector } from '@fleetwave/labels';
import { codes, gql, gqlOk, registerCluster } from './support/graphql.js';
import { startTestHub, TEST_ADMIN_TOKEN, type TestHub } from './support/hub.js';

interface Page {
  clusters: {
    edges: { cursor: string; node: { name: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  };
}

const PAGE_QUERY = `
  query Page($selector: String, $status: ClusterStatus, $first: Int, $after: String) {
    clusters(selector: $selector, status: $status, first: $first, after: $after) {
      edges { cursor node { name } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }`;

/** Five clusters whose labels exercise every selector operator. */
const FLEET: Record<string, Record<string, string>> = {
  'prod-eu': { env: 'prod', region: 'eu' },
  'prod-us': { env: 'prod', region: 'us' },
  'staging-eu': { env: 'staging', region: 'eu', canary: 'true' },
  'dev-1': { env: 'dev' },
  'bare-1': { team: 'platform' },
};
/** The facts FLEET's agents report at registration (the others report none). */
const FLEET_FACTS: Record<string, ClusterFacts> = {
  'prod-eu': { kubernetesVersion: 'v1.33.5', nodeCount: 3, region: 'eu-west-1' },
};

describe('GraphQL API over HTTP against a real hub, PostgreSQL and Kafka', () => {
  let hub: TestHub;
  let db: pg.Client;
  let viewer: string;
  let operator: string;

  async function apiToken(name: string, role: string, token = TEST_ADMIN_TOKEN): Promise<string> {
    const data = await gqlOk<{ createApiToken: { secret: string } }>(
      hub,
      `mutation($name: String!, $role: Role!) { createApiToken(name: $name, role: $role) { secret } }`,
      { name, role },
      token,
    );
    return data.createApiToken.secret;
  }

  async function names(selector: string | undefined, status?: string): Promise<string[]> {
    const data = await gqlOk<Page>(hub, PAGE_QUERY, { selector, status, first: 500 }, viewer);
    return data.clusters.edges.map((e) => e.node.name);
  }

  beforeAll(async () => {
    hub = await startTestHub();
    db = new pg.Client({ connectionString: hub.config.database.url });
    await db.connect();
    viewer = await apiToken('viewer-bot', 'viewer');
    operator = await apiToken('ops', 'operator');
    for (const [name, labels] of Object.entries(FLEET)) {
      await registerCluster(hub, name, labels, FLEET_FACTS[name]);
    }
  });
  afterAll(async () => {
    await db?.end();
    await hub?.close();
  });

  describe('clusters query', () => {
    it.each([
      ['Equals', 'env=prod', ['prod-eu', 'prod-us']],
      ['Equals (==)', 'env==staging', ['staging-eu']],
      ['NotEquals (also matches clusters without the key)', 'env!=prod', ['bare-1', 'dev-1', 'staging-eu']],
      ['In', 'region in (eu,us)', ['prod-eu', 'prod-us', 'staging-eu']],
      ['NotIn (also matches clusters without the key)', 'region notin (eu)', ['bare-1', 'dev-1', 'prod-us']],
      ['Exists', 'canary', ['staging-eu']],
      ['DoesNotExist', '!region', ['bare-1', 'dev-1']],
      ['several requirements (AND)', 'env in (prod,staging),region=eu', ['prod-eu', 'staging-eu']],
      ['the empty selector', '', ['bare-1', 'dev-1', 'prod-eu', 'prod-us', 'staging-eu']],
      ['a qualified key and a value nobody has', 'example.com/owner=nobody', []],
    ])('filters by %s', async (_operator, selector, expected) => {
      expect(await names(selector)).toEqual(expected);
    });

    it('filters by status', async () => {
      expect(await names(undefined, 'Pending')).toHaveLength(5);
      expect(await names('env=prod', 'Ready')).toEqual([]);
    });

    it('pages forward in name order with opaque cursors, totalCount and hasNextPage', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      const pages: Page['clusters'][] = [];
      do {
        const data: Page = await gqlOk<Page>(hub, PAGE_QUERY, { first: 2, after }, viewer);
        pages.push(data.clusters);
        seen.push(...data.clusters.edges.map((e) => e.node.name));
        after = data.clusters.pageInfo.endCursor;
        if (!data.clusters.pageInfo.hasNextPage) break;
      } while (pages.length < 10);

      expect(seen).toEqual(['bare-1', 'dev-1', 'prod-eu', 'prod-us', 'staging-eu']);
      expect(pages.map((p) => p.edges.length)).toEqual([2, 2, 1]);
      expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, false]);
      expect(pages.every((p) => p.totalCount === 5)).toBe(true);
      expect(pages[0]!.pageInfo.endCursor).toBe(pages[0]!.edges[1]!.cursor);
      expect(pages[0]!.pageInfo.endCursor).not.toContain('dev-1'); // opaque, not the name itself
    });

    it('counts only what the selector matches, whatever the page', async () => {
      const first = await gqlOk<Page>(hub, PAGE_QUERY, { selector: 'env', first: 1 }, viewer);
      const rest = await gqlOk<Page>(
        hub,
        PAGE_QUERY,
        { selector: 'env', first: 10, after: first.clusters.pageInfo.endCursor },
        viewer,
      );

      expect(first.clusters).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
      expect(rest.clusters.edges.map((e) => e.node.name)).toEqual(['prod-eu', 'prod-us', 'staging-eu']);
      expect(rest.clusters).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: false } });
    });

    it('defaults to 50 per page and refuses more than 500', async () => {
      const defaulted = await gqlOk<Page>(
        hub,
        `{ clusters { edges { node { name } } totalCount } }`,
        {},
        viewer,
      );
      const tooMany = await gql(hub, PAGE_QUERY, { first: 501 }, viewer);
      const badCursor = await gql(hub, PAGE_QUERY, { after: 'not a cursor!' }, viewer);

      expect(defaulted.clusters.edges).toHaveLength(5);
      expect(codes(tooMany)).toEqual(['INVALID_ARGUMENT']);
      expect(tooMany.errors![0]!.message).toContain('500');
      expect(codes(badCursor)).toEqual(['INVALID_ARGUMENT']);
    });

    it('answers an invalid selector with INVALID_ARGUMENT naming the position and the reason', async () => {
      const response = await gql(hub, PAGE_QUERY, { selector: 'env in (prod' }, viewer);

      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(['INVALID_ARGUMENT']);
      expect(response.errors![0]!.message).toMatch(/^selector: at position \d+: .+/);
      expect(response.errors![0]!.path).toEqual(['clusters']);
    });

    it('returns one cluster by name with labels (fact labels too) as a JSON object and its facts; null for an unknown name', async () => {
      const data = await gqlOk<{ cluster: Record<string, unknown>; missing: unknown }>(
        hub,
        `{ cluster(name: "prod-eu") { id name labels status cordoned agentVersion lastHeartbeatAt createdAt
             facts { kubernetesVersion nodeCount provider region } }
           missing: cluster(name: "nope") { id } }`,
        {},
        viewer,
      );

      expect(data.cluster).toEqual({
        id: expect.any(String),
        name: 'prod-eu',
        labels: {
          env: 'prod',
          region: 'eu',
          'fleetwave.io/kubernetes-version': '1.33',
          'fleetwave.io/node-count': '3',
          'fleetwave.io/region': 'eu-west-1',
        },
        status: 'Pending',
        cordoned: false,
        agentVersion: '0.1.0',
        lastHeartbeatAt: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        facts: { kubernetesVersion: 'v1.33.5', nodeCount: 3, provider: null, region: 'eu-west-1' },
      });
      expect(data.missing).toBeNull();
    });
  });

  describe('authentication and roles', () => {
    const READ = `{ clusters { totalCount } }`;
    const LABEL = `mutation { setClusterLabels(name: "dev-1", labels: { owner: "alice" }) { labels } }`;

    it('refuses requests without a valid token with UNAUTHENTICATED', async () => {
      const anonymous = await gql(hub, READ, {}, null);
      const unknown = await gql(hub, READ, {}, 'fwa_forged');
      const notApiToken = await gql(hub, READ, {}, 'fwr_a-registration-token-is-no-api-token');
      const malformed = await gql(hub, READ, {}, '');

      for (const response of [anonymous, unknown, notApiToken, malformed]) {
        expect(codes(response)).toEqual(['UNAUTHENTICATED']);
        expect(response.data).toBeNull();
      }
    });

    it('lets a viewer read but not change anything (FORBIDDEN)', async () => {
      const read = await gql(hub, READ, {}, viewer);
      const write = await gql(hub, LABEL, {}, viewer);
      const token = await gql(hub, `mutation { createRegistrationToken(input: {}) { secret } }`, {}, viewer);

      expect(read.errors).toBeUndefined();
      expect(codes(write)).toEqual(['FORBIDDEN']);
      expect(write.errors![0]!.message).toContain('operator');
      expect(codes(token)).toEqual(['FORBIDDEN']);
    });

    it('lets an operator label and cordon clusters, but not manage API tokens', async () => {
      const labelled = await gqlOk<{ setClusterLabels: { labels: Record<string, string> } }>(
        hub,
        LABEL,
        {},
        operator,
      );
      const cordoned = await gqlOk<{ cordonCluster: { cordoned: boolean } }>(
        hub,
        `mutation { cordonCluster(name: "dev-1") { cordoned } }`,
        {},
        operator,
      );
      const createToken = await gql(
        hub,
        `mutation { createApiToken(name: "x", role: viewer) { secret } }`,
        {},
        operator,
      );

      expect(labelled.setClusterLabels.labels).toEqual({ env: 'dev', owner: 'alice' });
      expect(cordoned.cordonCluster.cordoned).toBe(true);
      expect(codes(createToken)).toEqual(['FORBIDDEN']);
    });

    it('lets only an admin create API tokens, shows the secret once, and a revoked token stops working', async () => {
      const created = await gqlOk<{
        createApiToken: { token: { id: string; name: string; role: string }; secret: string };
      }>(
        hub,
        `mutation { createApiToken(name: "short-lived", role: admin) { token { id name role createdBy revokedAt } secret } }`,
      );
      const { id } = created.createApiToken.token;
      const secret = created.createApiToken.secret;
      const asNewAdmin = await gql(hub, READ, {}, secret);
      const sameName = await gql(
        hub,
        `mutation { createApiToken(name: "short-lived", role: viewer) { secret } }`,
      );
      await gqlOk(hub, `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`, { id }, secret);
      const afterRevoke = await gql(hub, READ, {}, secret);
      const listed = await gqlOk<{ apiTokens: { name: string; revokedAt: string | null }[] }>(
        hub,
        `{ apiTokens { name role createdBy createdAt revokedAt } }`,
      );

      expect(secret).toMatch(/^fwa_/);
      expect(created.createApiToken.token).toMatchObject({ name: 'short-lived', role: 'admin' });
      expect(asNewAdmin.errors).toBeUndefined();
      expect(codes(sameName)).toEqual(['CONFLICT']);
      expect(codes(afterRevoke)).toEqual(['UNAUTHENTICATED']);
      expect(listed.apiTokens.find((t) => t.name === 'short-lived')!.revokedAt).toEqual(expect.any(String));
    });
  });

  describe('mutations', () => {
    async function eventsFor(targetId: string, action: string) {
      const { rows } = await db.query(
        'SELECT actor, action, before, after FROM event WHERE target_id = $1 AND action = $2 ORDER BY id',
        [targetId, action],
      );
      return rows as { actor: string; action: string; before: unknown; after: unknown }[];
    }

    it('write an audit event with the actor for every change to a cluster', async () => {
      const { clusterId, credential } = await registerCluster(hub, 'audited', { env: 'qa', tier: 'gold' });
      const run = (mutation: string) => gqlOk(hub, `mutation { ${mutation} }`, {}, operator);

      await run(`setClusterLabels(name: "audited", labels: { env: "prod", zone: "a" }) { name }`);
      await run(`removeClusterLabels(name: "audited", keys: ["tier", "absent"]) { name }`);
      await run(`cordonCluster(name: "audited") { name }`);
      await run(`uncordonCluster(name: "audited") { name }`);
      const deregistered = await gqlOk<{
        deregisterCluster: { name: string; labels: Record<string, string> };
      }>(hub, `mutation { deregisterCluster(name: "audited") { name labels } }`, {}, operator);

      expect(await eventsFor(clusterId, 'cluster.labelsChanged')).toEqual([
        {
          actor: 'token:ops',
          action: 'cluster.labelsChanged',
          before: { name: 'audited', labels: { env: 'qa', tier: 'gold' } },
          after: { name: 'audited', labels: { env: 'prod', tier: 'gold', zone: 'a' } },
        },
        {
          actor: 'token:ops',
          action: 'cluster.labelsChanged',
          before: { name: 'audited', labels: { env: 'prod', tier: 'gold', zone: 'a' } },
          after: { name: 'audited', labels: { env: 'prod', zone: 'a' } },
        },
      ]);
      expect(await eventsFor(clusterId, 'cluster.cordoned')).toEqual([
        expect.objectContaining({ actor: 'token:ops', before: { name: 'audited', cordoned: false } }),
      ]);
      expect(await eventsFor(clusterId, 'cluster.uncordoned')).toEqual([
        expect.objectContaining({ actor: 'token:ops', after: { name: 'audited', cordoned: false } }),
      ]);
      const [gone] = await eventsFor(clusterId, 'cluster.deregistered');
      expect(gone).toMatchObject({
        actor: 'token:ops',
        before: { id: clusterId, name: 'audited' },
        // Nothing assigned, nothing to confirm: deleted at once.
        after: { deletionPolicy: 'prune', force: false },
      });
      expect(JSON.stringify(gone)).not.toMatch(/credential|signing/i);
      expect(deregistered.deregisterCluster).toEqual({ name: 'audited', labels: { env: 'prod', zone: 'a' } });
      // The row is gone, and with it the agent's credential.
      const self = await hub.request('GET', '/agent/v1/cluster', {
        headers: { authorization: `Bearer ${credential}` },
      });
      expect(self.status).toBe(401);
      expect((await gqlOk<{ cluster: null }>(hub, `{ cluster(name: "audited") { id } }`)).cluster).toBeNull();
    });

    it('write no event for a change that changes nothing', async () => {
      const { clusterId } = await registerCluster(hub, 'steady', { env: 'qa' });

      await gqlOk(hub, `mutation { setClusterLabels(name: "steady", labels: { env: "qa" }) { name } }`);
      await gqlOk(hub, `mutation { uncordonCluster(name: "steady") { name } }`);

      const { rows } = await db.query(`SELECT action FROM event WHERE target_id = $1 ORDER BY id`, [
        clusterId,
      ]);
      expect(rows).toEqual([{ action: 'cluster.registered' }]);
    });

    it('write audit events for registration and API tokens', async () => {
      const created = await gqlOk<{ createRegistrationToken: { token: { id: string } } }>(
        hub,
        `mutation { createRegistrationToken(input: { description: "ci", maxUses: 3, defaultLabels: { fleet: "x" },
                                                     expiresAt: "2999-01-01T00:00:00Z" }) { token { id } secret } }`,
        {},
        operator,
      );
      const tokenId = created.createRegistrationToken.token.id;
      await gqlOk(
        hub,
        `mutation($id: ID!) { revokeRegistrationToken(id: $id) { revokedAt } }`,
        { id: tokenId },
        operator,
      );
      const api = await gqlOk<{ createApiToken: { token: { id: string } } }>(
        hub,
        `mutation { createApiToken(name: "audit-me", role: operator) { token { id } secret } }`,
      );
      const apiId = api.createApiToken.token.id;
      await gqlOk(hub, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: apiId });

      expect(await eventsFor(tokenId, 'registrationToken.created')).toEqual([
        expect.objectContaining({ actor: 'token:ops' }),
      ]);
      expect(await eventsFor(tokenId, 'registrationToken.revoked')).toEqual([
        expect.objectContaining({ actor: 'token:ops' }),
      ]);
      expect(await eventsFor(apiId, 'apiToken.created')).toEqual([
        {
          actor: 'bootstrap-admin',
          action: 'apiToken.created',
          before: null,
          after: { name: 'audit-me', role: 'operator', expiresAt: expect.any(String) },
        },
      ]);
      expect(await eventsFor(apiId, 'apiToken.revoked')).toEqual([
        expect.objectContaining({
          actor: 'bootstrap-admin',
          before: expect.objectContaining({ revokedAt: null }),
          after: expect.objectContaining({ revokedAt: expect.any(String) }),
        }),
      ]);
    });

    it('refuse invalid label keys given as variables, naming every problem', async () => {
      const response = await gql(
        hub,
        `mutation($labels: Labels!) { setClusterLabels(name: "prod-eu", labels: $labels) { name } }`,
        { labels: { 'bad key': 'x', env: 'ok', 'example.com/x': '-' } },
      );

      expect(codes(response)).toEqual(['INVALID_ARGUMENT']);
      expect(response.errors![0]!.message).toMatch(/label key "bad key".*label value "-"/);
    });

    it.each([
      [
        'setting a fact label',
        `mutation($labels: Labels!) { setClusterLabels(name: "prod-eu", labels: $labels) { name } }`,
        { labels: { env: 'prod', 'fleetwave.io/region': 'moon-1' } },
        'fleetwave.io/region',
      ],
      [
        'removing a fact label',
        `mutation { removeClusterLabels(name: "prod-eu", keys: ["env", "fleetwave.io/node-count"]) { name } }`,
        {},
        'fleetwave.io/node-count',
      ],
      [
        'a registration token with a fact label',
        `mutation($labels: Labels!) { createRegistrationToken(input: { defaultLabels: $labels }) { secret } }`,
        { labels: { 'fleetwave.io/provider': 'aws' } },
        'fleetwave.io/provider',
      ],
    ])('refuse %s: the prefix is reserved for facts', async (_case, mutation, variables, key) => {
      const before = await gqlOk<{ cluster: { labels: Record<string, string> } }>(
        hub,
        `{ cluster(name: "prod-eu") { labels } }`,
      );

      const response = await gql(hub, mutation, variables, operator);

      expect(codes(response)).toEqual(['INVALID_ARGUMENT']);
      expect(response.errors![0]!.message).toContain(
        `"${key}": the "fleetwave.io/" prefix is reserved for facts the agent reports`,
      );
      const after = await gqlOk<{ cluster: { labels: Record<string, string> } }>(
        hub,
        `{ cluster(name: "prod-eu") { labels } }`,
      );
      expect(after).toEqual(before);
      expect(before.cluster.labels['fleetwave.io/node-count']).toBe('3');
    });

    it('refuse labels that are not an object of strings before running anything', async () => {
      const response = await gql(
        hub,
        `mutation($labels: Labels!) { setClusterLabels(name: "prod-eu", labels: $labels) { name } }`,
        { labels: { env: 3 } },
      );

      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    });

    it.each([
      [
        'an invalid label value',
        `setClusterLabels(name: "prod-eu", labels: { env: "prod!" }) { name }`,
        'INVALID_ARGUMENT',
      ],
      ['an unknown cluster', `cordonCluster(name: "no-such-cluster") { name }`, 'NOT_FOUND'],
      ['an ID that is not a UUID', `revokeRegistrationToken(id: "42") { id }`, 'INVALID_ARGUMENT'],
      [
        'an unknown token',
        `revokeRegistrationToken(id: "00000000-0000-4000-8000-000000000000") { id }`,
        'NOT_FOUND',
      ],
      [
        'a date that is not one',
        `createRegistrationToken(input: { expiresAt: "soon" }) { secret }`,
        'INVALID_ARGUMENT',
      ],
      [
        'a past expiry',
        `createRegistrationToken(input: { expiresAt: "2001-01-01T00:00:00Z" }) { secret }`,
        'INVALID_ARGUMENT',
      ],
      [
        'an invalid API token name',
        `createApiToken(name: "Not Valid", role: viewer) { secret }`,
        'INVALID_ARGUMENT',
      ],
    ])('refuse %s with a stable code', async (_case, mutation, code) => {
      const response = await gql(hub, `mutation { ${mutation} }`);
      expect(codes(response)).toEqual([code]);
    });
  });

  describe('secrets', () => {
    it('never appear in queries: registration and API tokens expose neither hash nor secret', async () => {
      const created = await gqlOk<{ createRegistrationToken: { secret: string } }>(
        hub,
        `mutation { createRegistrationToken(input: { description: "secret check" }) { secret } }`,
      );
      const secret = created.createRegistrationToken.secret;
      const tokens = await gql(
        hub,
        `{ registrationTokens { id description defaultLabels expiresAt maxUses uses revokedAt createdBy createdAt }
           apiTokens { id name role createdBy createdAt revokedAt } }`,
        {},
        viewer,
      );
      const schema = await gqlOk<{
        reg: { fields: { name: string }[] };
        api: { fields: { name: string }[] };
      }>(
        hub,
        `{ reg: __type(name: "RegistrationToken") { fields { name } } api: __type(name: "ApiToken") { fields { name } } }`,
      );
      const hashes = await db.query<{ token_hash: string }>(
        'SELECT token_hash FROM registration_token UNION ALL SELECT token_hash FROM api_token',
      );

      expect(secret).toMatch(/^fwr_/);
      expect(tokens.errors).toBeUndefined();
      expect(tokens.text).toContain('secret check');
      expect(tokens.text).not.toContain(secret);
      for (const { token_hash } of hashes.rows) expect(tokens.text).not.toContain(token_hash);
      const fieldNames = [...schema.reg.fields, ...schema.api.fields].map((f) => f.name);
      expect(fieldNames.filter((n) => /hash|secret|credential/i.test(n))).toEqual([]);
    });
  });

  describe('limits and errors', () => {
    it('rejects a query nested deeper than the limit with QUERY_TOO_DEEP', async () => {
      const response = await gql(
        hub,
        `{ clusters { edges { node { facts { region { a { b { c { d { e } } } } } } } } } }`,
      );

      expect(response.status).toBe(400);
      expect(codes(response)).toContain('QUERY_TOO_DEEP');
      expect(response.data ?? null).toBeNull();
    });

    it('rejects a query that is too expensive with QUERY_TOO_COMPLEX, before running it', async () => {
      const fields = `edges { cursor node { id name labels status cordoned facts { region nodeCount } } }`;
      const aliases = Array.from({ length: 10 }, (_, i) => `c${i}: clusters(first: 500) { ${fields} }`).join(
        '\n',
      );

      const response = await gql(hub, `{ ${aliases} }`);

      expect(response.status).toBe(400);
      expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(response.errors![0]!.extensions).toMatchObject({ cost: expect.any(Number), maxCost: 20_000 });
    });

    it('still serves introspection, whose type chains are deep', async () => {
      const response = await gql(
        hub,
        `{ __schema { types { name fields { type { ofType { ofType { ofType { ofType { name } } } } } } } } }`,
      );
      expect(response.errors).toBeUndefined();
    });

    it('gives syntax and validation errors stable codes, and no stack traces', async () => {
      const syntax = await gql(hub, `{ clusters {`);
      const unknownField = await gql(hub, `{ clusters { nope } }`);
      const badVariable = await gql(hub, PAGE_QUERY, { first: 'many' });

      expect(codes(syntax)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(codes(unknownField)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(codes(badVariable)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      for (const response of [syntax, unknownField, badVariable]) {
        expect(response.status).toBe(400);
        expect(response.text).not.toMatch(/\bat .*\.(js|ts):\d+/);
      }
    });
  });

  // Last, so the clusters it adds change no count above.
  describe('selector SQL agrees with the in-memory matcher', () => {
    /**
     * Integer-ish and empty label values on top of FLEET (whose clusters have neither key). `many` and
     * the 20-digit value would make an unguarded `::bigint` cast fail the whole query.
     */
    const NUMBERED: Record<string, Record<string, string>> = {
      'num-two': { nodes: '2', tier: '' },
      'num-padded': { nodes: '0042', tier: 'web' },
      'num-word': { nodes: 'many' },
      'num-empty': { nodes: '', tier: '' },
      'num-max': { nodes: '9223372036854775807' },
      'num-huge': { nodes: '99999999999999999999' },
    };
    /** Clusters whose agents report facts, which become `fleetwave.io/` labels. */
    const REPORTING: Record<string, ClusterFacts> = {
      'fact-aws': { provider: 'aws', region: 'eu-west-1', nodeCount: 12, kubernetesVersion: 'v1.34.1' },
      'fact-gke': { provider: 'gcp', region: 'us-east1', nodeCount: 3, kubernetesVersion: 'v1.33.5-gke.1' },
      'fact-kind': { provider: 'kind', nodeCount: 1, kubernetesVersion: 'v1.34.0' },
    };
    let fleet: { name: string; labels: Record<string, string> }[];

    beforeAll(async () => {
      for (const [name, labels] of Object.entries(NUMBERED)) await registerCluster(hub, name, labels);
      for (const [name, facts] of Object.entries(REPORTING)) {
        await registerCluster(hub, name, { env: 'prod' }, facts);
      }
      const data = await gqlOk<{ clusters: { edges: { node: (typeof fleet)[number] }[] } }>(
        hub,
        `{ clusters(first: 500) { edges { node { name labels } } } }`,
        {},
        viewer,
      );
      fleet = data.clusters.edges.map((e) => e.node);
    });

    it.each<[string, string[]]>([
      // selector, which of NUMBERED match (FLEET's clusters are compared too, but have no such keys)
      ['nodes>2', ['num-max', 'num-padded']],
      ['nodes>1', ['num-max', 'num-padded', 'num-two']],
      ['nodes<42', ['num-two']],
      ['nodes<43', ['num-padded', 'num-two']],
      ['nodes>0041,nodes<0043', ['num-padded']],
      ['nodes>9223372036854775806', ['num-max']],
      ['nodes<9223372036854775807', ['num-padded', 'num-two']],
      ['nodes>0,tier', ['num-padded', 'num-two']],
      ['tier in ()', ['num-empty', 'num-two']],
      ['tier notin ()', ['num-huge', 'num-max', 'num-padded', 'num-word']],
      ['nodes in ()', ['num-empty']],
      ['nodes notin (),nodes', ['num-huge', 'num-max', 'num-padded', 'num-two', 'num-word']],
      ['tier in (,web)', ['num-empty', 'num-padded', 'num-two']],
    ])('%s', async (selector, expected) => {
      const parsed = parseSelector(selector);
      const inMemory = fleet.filter((c) => matchesSelector(parsed, c.labels)).map((c) => c.name);

      const fromSql = await names(selector);

      expect(fromSql).toEqual(inMemory);
      expect(fromSql.filter((name) => Object.hasOwn(NUMBERED, name))).toEqual(expected);
    });

    it.each<[string, string[]]>([
      // selector, which of REPORTING match (prod-eu of FLEET reports facts too)
      ['fleetwave.io/node-count>3', ['fact-aws']],
      ['fleetwave.io/node-count>2', ['fact-aws', 'fact-gke', 'prod-eu']],
      ['fleetwave.io/node-count<3', ['fact-kind']],
      ['fleetwave.io/provider in (aws,gcp)', ['fact-aws', 'fact-gke']],
      ['fleetwave.io/kubernetes-version=1.34', ['fact-aws', 'fact-kind']],
      ['fleetwave.io/kubernetes-version notin (1.34),fleetwave.io/node-count', ['fact-gke', 'prod-eu']],
      ['fleetwave.io/region', ['fact-aws', 'fact-gke', 'prod-eu']],
      ['!fleetwave.io/region,env=prod', ['fact-kind']],
      ['env=prod,fleetwave.io/region=eu-west-1', ['fact-aws', 'prod-eu']],
    ])('fact labels: %s', async (selector, expected) => {
      const parsed = parseSelector(selector);
      const inMemory = fleet.filter((c) => matchesSelector(parsed, c.labels)).map((c) => c.name);

      const fromSql = await names(selector);

      expect(fromSql).toEqual(inMemory);
      expect(fromSql.filter((name) => Object.hasOwn(REPORTING, name) || name === 'prod-eu')).toEqual(
        expected,
      );
    });
  });
});
