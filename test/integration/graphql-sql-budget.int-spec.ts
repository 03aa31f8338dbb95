import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type QueryName, QUERIES, queryVariables, seedFleet, statementsOf } from '../../bench/graphql.js';
import { gqlOk } from './support/graphql.js';
import { startTestHub, TEST_ADMIN_TOKEN, type TestHub, testHubConfig } from './support/hub.js';

/**
 * Big enough that one query per rollout, cluster or application would show many times over: a
 * rollout of 240 clusters over three waves, 25 rollouts, 800 clusters (600 match the selector).
 */
const FLEET = {
  clusters: 800,
  rolloutClusters: 240,
  rollouts: 25,
  smallRolloutClusters: 30,
  applications: 6,
};

/** Every read below costs at most this many statements, the API token lookup included. */
const BUDGET = 3;

interface Blocking {
  kind: string;
  message: string;
}

interface RolloutDetail {
  rollout: {
    id: string;
    application: { name: string };
    revision: { author: string };
    blocking: Blocking | null;
    waves: { name: string; size: number; blocking: Blocking | null }[];
    clusters: { name: string; wave: string; phase: string; failing: unknown[] }[];
  };
}

interface RolloutList {
  rollouts: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean };
    edges: { node: { id: string; revision: { author: string } | null; blocking: Blocking | null } }[];
  };
}

interface ApplicationList {
  applications: {
    totalCount: number;
    edges: {
      node: {
        name: string;
        latestRevision: { message: string } | null;
        rollouts: { totalCount: number; edges: { node: { revision: { author: string } | null } }[] };
      };
    }[];
  };
}

interface ClusterPage {
  clusters: { totalCount: number; pageInfo: { hasNextPage: boolean }; edges: unknown[] };
}

describe('SQL statements per GraphQL request (real hub and PostgreSQL, counted by the hub)', () => {
  let hub: TestHub;
  let db: pg.Client;
  let viewer: string;
  let variables: ReturnType<typeof queryVariables>;

  const metrics = async () => (await hub.request('GET', '/metrics')).body as string;

  /** One request and the statements it cost, from the hub's histogram (labelled by operation name). */
  async function measured<T>(
    name: string,
    {
      token = viewer,
      query = QUERIES[name as QueryName] as string,
      vars = variables[name as QueryName] as Record<string, unknown>,
    } = {},
  ): Promise<{ data: T; statements: number }> {
    const before = statementsOf(await metrics(), name);
    const data = await gqlOk<T>(hub, query, vars, token);
    const after = statementsOf(await metrics(), name);
    expect(after.count - before.count).toBe(1);
    return { data, statements: after.sum - before.sum };
  }

  beforeAll(async () => {
    // No periodic engine pass: the seeded rollout stays as seeded (passes never count towards a request anyway).
    hub = await startTestHub(
      await testHubConfig({
        rollouts: { passIntervalSeconds: 3600, assignmentsPollTimeoutSeconds: 30 },
        // Per-request counts are off unless asked for (they cost async hooks process-wide).
        database: { statementsPerRequest: true },
      }),
    );
    db = new pg.Client({ connectionString: hub.config.database.url });
    await db.connect();
    const { rolloutId } = await seedFleet(db, FLEET);
    variables = queryVariables(rolloutId);
    const created = await gqlOk<{ createApiToken: { secret: string } }>(
      hub,
      `mutation { createApiToken(name: "budget-viewer", role: viewer) { secret } }`,
    );
    viewer = created.createApiToken.secret;
  });

  afterAll(async () => {
    await db?.end();
    await hub?.close();
  });

  it('rollout(id) of 240 clusters in three waves, with application, commit, blocking: 3 (token, rollout, members)', async () => {
    const { data, statements } = await measured<RolloutDetail>('RolloutDetail');
    expect({ statements }).toEqual({ statements: BUDGET });
    const rollout = data.rollout;
    expect(rollout.application.name).toBe('app-01');
    expect(rollout.revision.author).toBe('Ada Lovelace');
    expect(rollout.waves.map((w) => [w.name, w.size])).toEqual([
      ['canary', 60],
      ['prod-eu', 40],
      ['rest', 140],
    ]);
    expect(rollout.clusters).toHaveLength(240);
    expect(new Set(rollout.clusters.map((c) => c.phase))).toEqual(
      new Set(['Healthy', 'Failed', 'Progressing', 'Pending']),
    );
    expect(rollout.clusters.some((c) => c.failing.length > 0)).toBe(true);
    expect(rollout.blocking).not.toBeNull();
  });

  it('the bootstrap admin token costs no statement: the same rollout is then 2', async () => {
    const { statements } = await measured<RolloutDetail>('RolloutDetail', { token: TEST_ADMIN_TOKEN });
    expect({ statements }).toEqual({ statements: BUDGET - 1 });
  });

  it('clusters(selector, first: 100) with totalCount over 800 clusters: 3 (token, page, count)', async () => {
    const { data, statements } = await measured<ClusterPage>('ClusterPage');
    expect({ statements }).toEqual({ statements: BUDGET });
    expect(data.clusters.edges).toHaveLength(100);
    expect(data.clusters.totalCount).toBe(600);
    expect(data.clusters.pageInfo.hasNextPage).toBe(true);
  });

  it('rollouts(first: 20) with commit metadata and blocking reasons: 3 (token, page, members), as rollout(id) says', async () => {
    const { data, statements } = await measured<RolloutList>('RolloutList');
    expect({ statements }).toEqual({ statements: BUDGET });
    expect(data.rollouts.totalCount).toBe(25);
    expect(data.rollouts.edges).toHaveLength(20);
    expect(data.rollouts.pageInfo.hasNextPage).toBe(true);
    expect(data.rollouts.edges.every((e) => e.node.revision?.author === 'Ada Lovelace')).toBe(true);
    // Newest first: the big rollout, with the blocking reason it has on its own.
    const single = await gqlOk<RolloutDetail>(hub, QUERIES.RolloutDetail, variables.RolloutDetail, viewer);
    expect(data.rollouts.edges[0]!.node.id).toBe(single.rollout.id);
    expect(data.rollouts.edges[0]!.node.blocking).toEqual(single.rollout.blocking);
  });

  it('applications with their latest commit and rollouts: 3 (token, applications, rollouts)', async () => {
    const { data, statements } = await measured<ApplicationList>('ApplicationList');
    expect({ statements }).toEqual({ statements: BUDGET });
    const apps = data.applications.edges.map((e) => e.node);
    expect(apps).toHaveLength(FLEET.applications);
    expect(apps.reduce((n, app) => n + app.rollouts.totalCount, 0)).toBe(FLEET.rollouts);
    expect(apps.every((app) => app.latestRevision?.message === `${app.name}: change 1`)).toBe(true);
    expect(
      apps.flatMap((app) => app.rollouts.edges).every((e) => e.node.revision?.author === 'Ada Lovelace'),
    ).toBe(true);
  });

  it("applications with revisions and their rollouts' blocking reasons: one more statement per kind (5)", async () => {
    const { data, statements } = await measured<{
      applications: {
        edges: { node: { revisions: unknown[]; rollouts: { edges: { node: { blocking: unknown } }[] } } }[];
      };
    }>('ApplicationListDeep', {
      query: `query ApplicationListDeep {
        applications(first: 20) { edges { node {
          name revisions(first: 2) { commit message }
          rollouts(first: 5) { edges { node { id blocking { kind } waves { name } } } }
        } } }
      }`,
      vars: {},
    });
    // token, applications, their rollouts, those rollouts' member clusters, the revisions
    expect({ statements }).toEqual({ statements: 5 });
    const apps = data.applications.edges.map((e) => e.node);
    expect(apps.every((app) => app.revisions.length === 2)).toBe(true);
    expect(apps.flatMap((app) => app.rollouts.edges)).toHaveLength(FLEET.rollouts);
  });

  it("applications with their vetoes, heldAt and the latest revision's veto: one more statement per kind (4)", async () => {
    const { applications } = await gqlOk<{
      applications: { edges: { node: { name: string; latestCommit: string } }[] };
    }>(hub, `{ applications(first: 1) { edges { node { name latestCommit } } } }`);
    const vetoed = applications.edges[0]!.node;
    await gqlOk(
      hub,
      `mutation V($a: String!, $c: String!) { vetoRevision(application: $a, commit: $c, reason: "budget") { commit } }`,
      { a: vetoed.name, c: vetoed.latestCommit },
    );
    const { data, statements } = await measured<{
      applications: {
        edges: {
          node: {
            name: string;
            heldAt: string | null;
            vetoes: { commit: string }[];
            latestRevision: { veto: { reason: string } | null } | null;
          };
        }[];
      };
    }>('ApplicationVetoes', {
      query: `query ApplicationVetoes {
        applications(first: 20) { edges { node {
          name heldAt vetoes { commit reason } latestRevision { commit veto { reason } }
        } } }
      }`,
      vars: {},
    });
    // token, applications (with their latest revisions), the vetoes, the settled commits
    expect({ statements }).toEqual({ statements: 4 });
    const apps = data.applications.edges.map((e) => e.node);
    expect(apps).toHaveLength(FLEET.applications);
    const [first, ...others] = apps;
    expect(first!.vetoes).toEqual([{ commit: vetoed.latestCommit, reason: 'budget' }]);
    expect(first!.latestRevision?.veto).toEqual({ reason: 'budget' });
    expect(others.every((app) => app.vetoes.length === 0 && app.heldAt === null)).toBe(true);
  });

  it('counts every statement of the hub in fleetwave_hub_sql_statements_total', async () => {
    const total = async () =>
      Number(/^fleetwave_hub_sql_statements_total (\d+)$/m.exec(await metrics())?.[1]);
    const before = await total();
    await measured('RolloutDetail');
    // The request's own statements at least (background loops may add more meanwhile).
    expect((await total()) - before).toBeGreaterThanOrEqual(BUDGET);
  });
});
