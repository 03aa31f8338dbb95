import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { type QueryName, QUERIES, queryVariables, seedFleet, statementsOf } from '../../bench/graphql.js';
import { matchesSelector } from '@fleetwave/labels';
import { type ClusterStatus } from '../../services/hub/src/clusters/cluster.entity.js';
import { ClustersRepository } from '../../services/hub/src/clusters/clusters.repository.js';
import { CLUSTER_VIEW_PROPERTIES } from '../../services/hub/src/clusters/page-sql.js';
import { parseSelectorArgument } from '../../services/hub/src/clusters/clusters.service.js';
import { CatchupLane } from '../../services/hub/src/rollouts/catchup-lane.js';
import { RolloutsRepository } from '../../services/hub/src/rollouts/rollouts.repository.js';
import { codes, gql, gqlOk } from './support/graphql.js';
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
        // The budget of a read computed afresh: nothing kept from the last one (a kept rollout
        // detail and token row cost less; rollout-read-cache.int-spec.ts counts that).
        reads: { cacheMs: 0 },
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
    // A token's first request in a minute also records its use (one UPDATE; measured below): used
    // once now, the reads below cost what they cost every other time.
    await gqlOk(hub, '{ apiTokens { id } }', {}, viewer);
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

  it("pages a rollout's clusters (first, after, phase) through the same order as the whole list, in 3 statements", async () => {
    const page = `query RolloutClusterPage($id: ID!, $first: Int, $after: String, $phase: [AssignmentPhase!]) {
      rollout(id: $id) { clusters(first: $first, after: $after, phase: $phase) { name phase } }
    }`;
    type Page = { rollout: { clusters: { name: string; phase: string }[] } };
    const id = variables.RolloutDetail['id'];
    const all = (await gqlOk<Page>(hub, page, { id })).rollout.clusters;
    expect(all.length).toBeGreaterThanOrEqual(FLEET.rolloutClusters);
    // Page by page, 100 at a time: every cluster once, in the unpaged order, the last page short.
    const paged: { name: string; phase: string }[] = [];
    const sizes: number[] = [];
    for (let after: string | undefined; ;) {
      const { data, statements } = await measured<Page>('RolloutClusterPage', {
        query: page,
        vars: { id, first: 100, after },
      });
      expect({ statements }).toEqual({ statements: BUDGET });
      const clusters = data.rollout.clusters;
      paged.push(...clusters);
      sizes.push(clusters.length);
      if (clusters.length < 100) break;
      after = clusters.at(-1)!.name;
    }
    expect(sizes.slice(0, -1).every((n) => n === 100) && sizes.at(-1)! < 100).toBe(true);
    expect(paged).toEqual(all);
    // Only failed or progressing clusters, first 5, then the ones after the third.
    const phase = ['Failed', 'Progressing'];
    const moving = all.filter((c) => phase.includes(c.phase));
    expect(moving.length).toBeGreaterThan(5);
    const firstMoving = await gqlOk<Page>(hub, page, { id, first: 5, phase });
    expect(firstMoving.rollout.clusters).toEqual(moving.slice(0, 5));
    const afterThird = await gqlOk<Page>(hub, page, { id, after: moving[2]!.name, phase });
    expect(afterThird.rollout.clusters).toEqual(moving.slice(3));
    // Bad input: a clear error, nothing else.
    for (const vars of [{ first: -1 }, { first: 1001 }, { after: 'no-such-cluster' }]) {
      const response = await gql(hub, page, { id, ...vars });
      expect(codes(response)).toEqual(['INVALID_ARGUMENT']);
    }
  });

  it("reads a page's members (one JSON array per rollout) exactly as one rollout's members are read", async () => {
    // Every kind of value a member carries: reports and failures (seeded), maintenance, a retry.
    const rolloutId = variables.RolloutDetail['id'] as string;
    await db.query(
      `UPDATE cluster SET maintenance_reason = 'kernel upgrade', maintenance_since = now(), cordoned = true
        WHERE name = 'cluster-00003'`,
    );
    await db.query(
      `UPDATE rollout_cluster SET retried_at = now(), skipped = true
        WHERE rollout_id = $1 AND cluster_name = 'cluster-00004'`,
      [rolloutId],
    );
    // Nothing joins the rollout between the two reads (a catch-up sweep may be under way).
    await hub.app.get(CatchupLane).idle();
    const repository = hub.app.get(RolloutsRepository);
    const rollout = await repository.findById(rolloutId);
    const one = await repository.clusters(rollout!);
    const batched = await repository.clustersOf([rolloutId, '00000000-0000-4000-8000-000000000000']);
    expect(batched.get(rolloutId)).toEqual(one);
    expect(batched.get('00000000-0000-4000-8000-000000000000')).toEqual([]);
    expect(one.length).toBeGreaterThanOrEqual(FLEET.rolloutClusters);
    const changed = one.filter((m) => m.maintenance !== null || m.retriedAt !== null);
    expect(changed.map((m) => m.name)).toEqual(['cluster-00003', 'cluster-00004']);
    expect(one.some((m) => m.reported !== null && m.failing.length > 0)).toBe(true);
  });
  it('the bootstrap admin token costs no statement: the same rollout is then 2', async () => {
    const { statements } = await measured<RolloutDetail>('RolloutDetail', { token: TEST_ADMIN_TOKEN });
    expect({ statements }).toEqual({ statements: BUDGET - 1 });
  });

  it("a token's first request in a minute also records its use: one statement more, once", async () => {
    const created = await gqlOk<{ createApiToken: { secret: string } }>(
      hub,
      `mutation { createApiToken(name: "budget-fresh", role: viewer) { secret } }`,
    );
    const token = created.createApiToken.secret;
    const first = await measured<RolloutDetail>('RolloutDetail', { token });
    const second = await measured<RolloutDetail>('RolloutDetail', { token });
    expect([first.statements, second.statements]).toEqual([BUDGET + 1, BUDGET]);
  });

  it('clusters(selector, first: 100) with totalCount over 800 clusters: 2 (token, page with its count)', async () => {
    const { data, statements } = await measured<ClusterPage>('ClusterPage');
    expect({ statements }).toEqual({ statements: 2 });
    expect(data.clusters.edges).toHaveLength(100);
    expect(data.clusters.totalCount).toBe(600);
    expect(data.clusters.pageInfo.hasNextPage).toBe(true);
    // A total asked for through a fragment is counted too (the count is left out only when the
    // query certainly does not select it).
    const fragment = await gqlOk<{ clusters: { totalCount: number; edges: unknown[] } }>(
      hub,
      `query { clusters(selector: "env in (prod,staging)", first: 3) { edges { cursor } ...total } }
       fragment total on ClusterConnection { totalCount }`,
      {},
      viewer,
    );
    expect(fragment.clusters).toMatchObject({ totalCount: 600, edges: [{}, {}, {}] });
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

  it('finished rollouts wait for nothing: their blocking reasons read no member clusters (2: token, page)', async () => {
    const { data, statements } = await measured<RolloutList>('FinishedRollouts', {
      query: `query FinishedRollouts {
        rollouts(first: 20, state: [Succeeded, Superseded]) {
          totalCount pageInfo { hasNextPage } edges { node { id revision { author } blocking { kind message } } }
        }
      }`,
      vars: {},
    });
    expect({ statements }).toEqual({ statements: BUDGET - 1 });
    expect(data.rollouts.edges).toHaveLength(20);
    expect(data.rollouts.edges.every((e) => e.node.blocking === null)).toBe(true);
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
  it('reads a page of clusters (one JSON array per row) exactly as TypeORM reads those clusters', async () => {
    await db.query(
      `UPDATE cluster SET deregistration_requested_at = now(), deregistration_requested_by = 'token:ops',
              deregistration_policy = 'orphan', maintenance_reason = 'disk', maintenance_since = now(),
              credential_expires_at = now() + interval '1 day', credential_revoked_at = now(),
              previous_valid_until = now() - interval '1 second', last_seq = 9007199254740993
        WHERE name = 'cluster-00002'`,
    );
    const repository = hub.app.get(ClustersRepository);
    const page = await repository.page({
      selector: parseSelectorArgument('env in (prod,staging)'),
      afterName: 'cluster-00001',
      limit: 50,
    });
    expect(page.rows).toHaveLength(50);
    expect(page.total).toBe(600);
    expect(page.hasMore).toBe(true);
    const typeorm = await repository.findByIds(page.rows.map((c) => c.id));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    const view = (cluster: object) =>
      Object.fromEntries(CLUSTER_VIEW_PROPERTIES.map((p) => [p, (cluster as Record<string, unknown>)[p]]));
    expect(page.rows.map(view)).toEqual(typeorm.sort(byName).map(view));
    expect(page.rows[0]).toMatchObject({ name: 'cluster-00002', deregistrationPolicy: 'orphan' });
    expect(page.rows[0]!.deregistrationRequestedAt).toBeInstanceOf(Date);
    expect(page.rows[0]!.previousValidUntil).toBeInstanceOf(Date);
    // Only what the API shows is read: never the credential, signing keys or sequence.
    expect(Object.keys(page.rows[0]!).sort()).toEqual([...CLUSTER_VIEW_PROPERTIES].sort());
  });

  /** Every cluster the filter matches, in the table's name order, judged by the labels library. */
  async function expectedNames(selector: string, status?: ClusterStatus): Promise<string[]> {
    const { rows } = await db.query<{ name: string; labels: Record<string, string>; status: string }>(
      'SELECT name, labels, status FROM cluster ORDER BY name',
    );
    const parsed = parseSelectorArgument(selector);
    return rows
      .filter((c) => matchesSelector(parsed, c.labels) && (status === undefined || c.status === status))
      .map((c) => c.name);
  }

  it.each<[string, string, ClusterStatus | undefined, number]>([
    ['everything, pages of 250 (the last one short)', '', undefined, 250],
    ['a set selector, pages of 100', 'env in (prod,staging)', undefined, 100],
    ['equality and negation, pages of 37', 'tier=web,region!=eu', undefined, 37],
    ['a selector and a status', 'env=prod', 'Ready', 64],
    ['a status on its own, the exact size of the match', '', 'NotReady', 19],
    ['notin and a missing key', 'env notin (prod),!missing', undefined, 90],
    ['nothing matches', 'env=nowhere', undefined, 10],
  ])('pages through %s with the right total on every page', async (_case, selector, status, limit) => {
    const repository = hub.app.get(ClustersRepository);
    const expected = await expectedNames(selector, status);
    const names: string[] = [];
    let afterName: string | undefined;
    for (;;) {
      const page = await repository.page({
        selector: parseSelectorArgument(selector),
        status,
        afterName,
        limit,
      });
      expect(page.total).toBe(expected.length);
      expect(page.rows.length).toBeLessThanOrEqual(limit);
      names.push(...page.rows.map((c) => c.name));
      if (!page.hasMore) {
        // The last page holds the rest: never a trailing empty page (unless nothing matches).
        if (expected.length > 0) expect(page.rows.length).toBeGreaterThan(0);
        break;
      }
      expect(page.rows).toHaveLength(limit);
      afterName = page.rows.at(-1)!.name;
    }
    expect(names).toEqual(expected);
    // Past the last cluster: an empty page, still with the whole total.
    const past = await repository.page({
      selector: parseSelectorArgument(selector),
      status,
      afterName: 'zzzz',
      limit,
    });
    expect(past).toEqual({ rows: [], hasMore: false, total: expected.length });
    // Not counted when the caller does not show it; the page is the same.
    const uncounted = await repository.page({
      selector: parseSelectorArgument(selector),
      status,
      limit,
      count: false,
    });
    expect(uncounted.rows.map((c) => c.name)).toEqual(expected.slice(0, limit));
    expect(uncounted.total).toBe(0);
  });

  it('first: 0 reads no cluster but says whether there is one', async () => {
    const repository = hub.app.get(ClustersRepository);
    const selector = parseSelectorArgument('env=prod');
    expect(await repository.page({ selector, limit: 0 })).toMatchObject({ rows: [], hasMore: true });
    const none = parseSelectorArgument('env=nowhere');
    expect(await repository.page({ selector: none, limit: 0 })).toEqual({
      rows: [],
      hasMore: false,
      total: 0,
    });
  });
});
