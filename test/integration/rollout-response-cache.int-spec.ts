import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { responseCacheOf, statementsOf } from '../../bench/graphql.js';
import { RolloutScheduler } from '../../services/hub/src/rollouts/rollout-scheduler.js';
import { codes, gql, gqlOk } from './support/graphql.js';
import { type TestHub } from './support/hub.js';
import { type ReadCacheFleet, startReadCacheFleet } from './support/read-cache-fleet.js';

/** Long enough that a read shown afresh at once cannot be the bound running out. */
const BOUND_MS = 5_000;

const DETAIL = `query RolloutRead($id: ID!) {
  rollout(id: $id) {
    id state paused
    blocking { kind }
    waves { name counts { healthy progressing skipped } }
    clusters { name wave phase }
  }
}`;

interface Read {
  rollout: {
    id: string;
    state: string;
    paused: boolean;
    blocking: { kind: string } | null;
    clusters: { name: string; phase: string }[];
  } | null;
}

describe('rollout(id) answers served from memory (graphql/response-caching.ts, real hub and PostgreSQL)', () => {
  let hub: TestHub;
  let db: pg.Client;
  let rolloutId: string;
  let otherRolloutId: string;
  let viewer: string;
  let operator: string;
  let admin: string;
  let outsider: string;
  let member: string;

  const metrics = async () => (await hub.request('GET', '/metrics')).body as string;
  const counted = async () => responseCacheOf(await metrics());
  const read = (token = viewer, id = rolloutId) => gqlOk<Read>(hub, DETAIL, { id }, token);
  /** What one request did: its answer and the cache's results it added. */
  async function measured<T>(request: () => Promise<T>) {
    const before = await counted();
    const answer = await request();
    const after = await counted();
    return {
      answer,
      hit: after.hit - before.hit,
      miss: after.miss - before.miss,
      pass: after.pass - before.pass,
    };
  }

  beforeAll(async () => {
    let token: ReadCacheFleet['token'];
    ({ hub, db, rolloutId, token } = await startReadCacheFleet(BOUND_MS, {
      clusters: 60,
      rolloutClusters: 30,
    }));
    const others = await db.query<{ id: string }>(`SELECT id FROM rollout WHERE id <> $1 LIMIT 1`, [
      rolloutId,
    ]);
    otherRolloutId = others.rows[0]!.id;
    viewer = await token('resp-viewer', 'viewer');
    operator = await token('resp-operator', 'operator');
    admin = await token('resp-admin', 'admin');
    outsider = await token('resp-other', 'viewer', 'other');
    member = await token('resp-payments', 'viewer', 'payments');
  });

  afterAll(async () => {
    await db?.end();
    await hub?.close();
  });

  it('serves the second identical read from memory: the rollout row read and the caller judged, nothing else', async () => {
    const first = await measured(() => read());
    const statementsBefore = statementsOf(await metrics(), 'RolloutRead');
    const second = await measured(() => read());
    const statementsAfter = statementsOf(await metrics(), 'RolloutRead');
    expect(first).toMatchObject({ miss: 1, hit: 0 });
    expect(second).toMatchObject({ hit: 1, miss: 0 });
    expect(second.answer).toEqual(first.answer);
    expect(statementsAfter.sum - statementsBefore.sum).toBe(1);
  });

  it('shows a change on the rollout on the very next read (pause, resume)', async () => {
    await read();
    expect((await measured(() => read())).hit).toBe(1);
    await gqlOk(hub, `mutation P($id: ID!) { pauseRollout(id: $id) { id } }`, { id: rolloutId }, operator);
    const paused = await measured(() => read());
    expect(paused.answer.rollout!.paused).toBe(true);
    expect(paused.miss).toBe(1);
    await gqlOk(hub, `mutation R($id: ID!) { resumeRollout(id: $id) { id } }`, { id: rolloutId }, operator);
    const resumed = await measured(() => read());
    expect(resumed.answer.rollout!.paused).toBe(false);
    expect(resumed.miss).toBe(1);
  });

  it('shows a skipped cluster on the very next read', async () => {
    const before = (await read()).rollout!;
    const pending = before.clusters.find((c) => c.phase === 'Pending')!;
    await gqlOk(
      hub,
      `mutation S($id: ID!, $cluster: String!) { skipCluster(id: $id, cluster: $cluster) { id } }`,
      { id: rolloutId, cluster: pending.name },
      operator,
    );
    const after = (await read()).rollout!;
    expect(after.clusters.find((c) => c.name === pending.name)!.phase).toBe('Skipped');
  });

  it("never serves one query's or variables' answer for another", async () => {
    await hub.app.get(RolloutScheduler).idle();
    await read();
    expect((await measured(() => read())).hit).toBe(1);
    const other = await measured(() => read(viewer, otherRolloutId));
    expect(other.answer.rollout!.id).toBe(otherRolloutId);
    expect(other.miss).toBe(1);
    const smaller = await measured(() =>
      gqlOk<{ rollout: Record<string, unknown> }>(
        hub,
        `query RolloutRead($id: ID!) { rollout(id: $id) { id state } }`,
        { id: rolloutId },
        viewer,
      ),
    );
    expect(Object.keys(smaller.answer.rollout).sort()).toEqual(['id', 'state']);
    expect(smaller.miss).toBe(1);
    // The same document and rollout, other variables: a page of 2 clusters, then of 3.
    const PAGE = `query RolloutRead($id: ID!, $first: Int) { rollout(id: $id) { clusters(first: $first) { name } } }`;
    const page = (first: number) =>
      measured(() =>
        gqlOk<{ rollout: { clusters: unknown[] } }>(hub, PAGE, { id: rolloutId, first }, viewer),
      );
    expect((await page(2)).answer.rollout.clusters).toHaveLength(2);
    expect((await page(2)).hit).toBe(1);
    const three = await page(3);
    expect(three.answer.rollout.clusters).toHaveLength(3);
    expect(three.miss).toBe(1);
    // Two root fields: the normal path, never kept.
    const two = await measured(() =>
      gqlOk<{ rollout: { id: string }; viewer: { name: string } }>(
        hub,
        `query Two($id: ID!) { rollout(id: $id) { id } viewer { name } }`,
        { id: rolloutId },
        viewer,
      ),
    );
    expect(two.answer.viewer.name).toBe('token:resp-viewer');
    expect(two).toMatchObject({ pass: 1, hit: 0, miss: 0 });
  });

  it('judges every caller on every request: another project gets null, a revoked token is refused, never from memory', async () => {
    expect((await read(member)).rollout?.id).toBe(rolloutId);
    expect((await measured(() => read(member))).hit).toBe(1);
    const refused = await measured(() => read(outsider));
    expect(refused.answer.rollout).toBeNull();
    expect(refused).toMatchObject({ hit: 0, miss: 0 });

    // The project moves: the member no longer sees it on the very next read, though its answer is kept.
    await db.query(`UPDATE application SET project = 'other' WHERE name = 'app-01'`);
    try {
      const moved = await measured(() => read(member));
      expect(moved.answer.rollout).toBeNull();
      expect(moved.hit).toBe(0);
    } finally {
      await db.query(`UPDATE application SET project = 'payments' WHERE name = 'app-01'`);
    }

    expect((await measured(() => read(member))).hit).toBe(1);
    const tokens = await gqlOk<{ apiTokens: { id: string; name: string }[] }>(
      hub,
      `{ apiTokens { id name } }`,
    );
    const id = tokens.apiTokens.find((t) => t.name === 'resp-payments')!.id;
    await gqlOk(hub, `mutation R($id: ID!) { revokeApiToken(id: $id) { id } }`, { id });
    const revoked = await measured(() => gql(hub, DETAIL, { id: rolloutId }, member));
    expect(codes(revoked.answer)).toEqual(['UNAUTHENTICATED']);
    expect(revoked.hit).toBe(0);
  });

  it("keeps each caller's answer apart: a viewer's kept answer is not an admin's", async () => {
    await hub.app.get(RolloutScheduler).idle();
    await read(viewer);
    expect((await measured(() => read(viewer))).hit).toBe(1);
    const forAdmin = await measured(() => read(admin));
    expect(forAdmin.miss).toBe(1);
    expect(forAdmin.answer).toEqual(await read(viewer));
    expect((await measured(() => read(admin))).hit).toBe(1);
  });

  it('answers If-None-Match with 304 when the kept answer is unchanged, and 200 after a change', async () => {
    await read();
    const path = `/graphql?query=${encodeURIComponent(DETAIL)}&variables=${encodeURIComponent(
      JSON.stringify({ id: rolloutId }),
    )}`;
    const get = async (etag?: string) => {
      const response = await fetch(new URL(path, hub.url), {
        headers: { authorization: `Bearer ${viewer}`, ...(etag && { 'if-none-match': etag }) },
      });
      await response.arrayBuffer();
      return { status: response.status, etag: response.headers.get('etag') };
    };
    const first = await get();
    expect(first.status).toBe(200);
    const etag = first.etag!;
    expect(etag).toMatch(/^".+"$/);
    expect((await get(etag)).status).toBe(304);
    await gqlOk(hub, `mutation P($id: ID!) { pauseRollout(id: $id) { id } }`, { id: rolloutId }, operator);
    const changed = await get(etag);
    expect(changed.status).toBe(200);
    expect(changed.etag).not.toBe(etag);
    await gqlOk(hub, `mutation R($id: ID!) { resumeRollout(id: $id) { id } }`, { id: rolloutId }, operator);
  });
});
