import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { statementsOf } from '../../bench/graphql.js';
import { ClusterSignals } from '../../services/hub/src/reports/cluster-signals.js';
import { RolloutScheduler } from '../../services/hub/src/rollouts/rollout-scheduler.js';
import { waitFor } from '../harness/wait-for.js';
import { codes, gql, gqlOk } from './support/graphql.js';
import { type TestHub } from './support/hub.js';
import { type ReadCacheFleet, startReadCacheFleet } from './support/read-cache-fleet.js';

/** Engine passes this hub ran, whatever their result. */
function passes(metrics: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('fleetwave_hub_rollout_passes_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** Long enough that a read shown afresh at once cannot be the bound running out. */
const BOUND_MS = 3_000;

const DETAIL = `query RolloutRead($id: ID!) {
  rollout(id: $id) {
    id state paused
    blocking { kind }
    waves { name approvedBy blocking { kind } counts { healthy progressing skipped } }
    clusters { clusterId name wave phase }
  }
}`;

interface Read {
  rollout: {
    id: string;
    state: string;
    paused: boolean;
    blocking: { kind: string } | null;
    waves: {
      name: string;
      approvedBy: string | null;
      blocking: { kind: string } | null;
      counts: { healthy: number; progressing: number; skipped: number };
    }[];
    clusters: { clusterId: string; name: string; wave: string; phase: string }[];
  } | null;
}

describe('rollout reads served from memory (RolloutDetailCache, real hub and PostgreSQL)', () => {
  let hub: TestHub;
  let db: pg.Client;
  let rolloutId: string;
  let viewer: string;
  let operator: string;
  let outsider: string;
  let member: string;

  const metrics = async () => (await hub.request('GET', '/metrics')).body as string;
  const read = (token = viewer) => gqlOk<Read>(hub, DETAIL, { id: rolloutId }, token);
  const mutate = (name: string, args: string, variables: Record<string, unknown>) =>
    gqlOk(
      hub,
      `mutation M($id: ID!${args}) { ${name}(id: $id${Object.keys(variables)
        .filter((k) => k !== 'id')
        .map((k) => `, ${k}: $${k}`)
        .join('')}) { id } }`,
      { id: rolloutId, ...variables },
      operator,
    );

  beforeAll(async () => {
    let token: ReadCacheFleet['token'];
    ({ hub, db, rolloutId, token } = await startReadCacheFleet(BOUND_MS, {
      clusters: 80,
      rolloutClusters: 40,
    }));
    viewer = await token('cache-viewer', 'viewer');
    operator = await token('cache-operator', 'operator');
    outsider = await token('other-viewer', 'viewer', 'other');
    member = await token('payments-viewer', 'viewer', 'payments');
  });

  afterAll(async () => {
    await db?.end();
    await hub?.close();
  });

  it('serves a second read from memory: the rollout row only, no members read or decided again', async () => {
    const first = await read();
    const before = statementsOf(await metrics(), 'RolloutRead');
    const second = await read();
    const after = statementsOf(await metrics(), 'RolloutRead');
    expect(second).toEqual(first);
    // The token's row and the members come from memory; the rollout's row is read for every request.
    expect(after.sum - before.sum).toBe(1);
  });

  it('never answers a caller of another project from memory, and a revoked token at once', async () => {
    expect((await read(member)).rollout?.id).toBe(rolloutId);
    expect((await read(outsider)).rollout).toBeNull();
    const listed = await gqlOk<{ rollouts: { edges: { node: { id: string } }[] } }>(
      hub,
      `{ rollouts(first: 50) { edges { node { id blocking { kind } } } } }`,
      {},
      outsider,
    );
    expect(listed.rollouts.edges).toEqual([]);
    const tokens = await gqlOk<{ apiTokens: { id: string; name: string }[] }>(
      hub,
      `{ apiTokens { id name } }`,
    );
    const id = tokens.apiTokens.find((t) => t.name === 'payments-viewer')!.id;
    await gqlOk(hub, `mutation R($id: ID!) { revokeApiToken(id: $id) { id } }`, { id });
    expect(codes(await gql(hub, DETAIL, { id: rolloutId }, member))).toEqual(['UNAUTHENTICATED']);
  });

  it('shows a mutation on the next read: a cluster skipped, a pause, an approval', async () => {
    const pending = (await read()).rollout!.clusters.find((c) => c.phase === 'Pending')!;
    await mutate('skipCluster', ', $cluster: String!', { cluster: pending.name });
    const skipped = (await read()).rollout!;
    expect(skipped.clusters.find((c) => c.name === pending.name)!.phase).toBe('Skipped');

    await mutate('pauseRollout', '', {});
    expect((await read()).rollout!.blocking).toEqual({ kind: 'paused' });
    await mutate('resumeRollout', '', {});
    expect((await read()).rollout!.blocking).not.toEqual({ kind: 'paused' });

    // The wave's approval undone behind the hub's back (as another replica's write): shown within the bound.
    await hub.app.get(RolloutScheduler).idle();
    await db.query(
      `UPDATE rollout_wave SET approved_at = NULL, approved_by = NULL WHERE rollout_id = $1 AND name = 'prod-eu'`,
      [rolloutId],
    );
    await db.query(`UPDATE rollout SET current_wave = 1, state = 'AwaitingApproval' WHERE id = $1`, [
      rolloutId,
    ]);
    await waitFor(async () => (await read()).rollout!.waves[1]!.approvedBy === null, {
      description: 'the approval withdrawn shows within the bound',
      timeoutMs: BOUND_MS * 4,
    });
    await mutate('approveWave', ', $wave: String', { wave: 'prod-eu' });
    expect((await read()).rollout!.waves[1]!.approvedBy).toBe('token:cache-operator');
  });

  it("shows a member's new phase at once when signalled (as report ingestion does), else within the bound", async () => {
    await hub.app.get(RolloutScheduler).idle();
    const members = (await read()).rollout!.clusters.filter((c) => c.phase === 'Progressing');
    expect(members.length).toBeGreaterThanOrEqual(2);
    const [signalled, silent] = [members[0]!, members[1]!];
    const healthy = async (clusterId: string) =>
      db.query(`UPDATE cluster_bundle_status SET phase = 'Healthy', ready = total WHERE cluster_id = $1`, [
        clusterId,
      ]);

    // Not signalled (another replica ingested it): the read may be stale, for at most the bound.
    await healthy(silent.clusterId);
    await waitFor(
      async () => (await read()).rollout!.clusters.find((c) => c.name === silent.name)!.phase === 'Healthy',
      { description: 'the unsignalled phase shows within the bound', timeoutMs: BOUND_MS * 4 },
    );

    // Signalled: the pass it asks for invalidates the rollout's detail; the next read shows it.
    await read();
    await healthy(signalled.clusterId);
    const passesBefore = passes(await metrics());
    hub.app.get(ClusterSignals).emit({
      clusterIds: [],
      placements: [{ clusterId: signalled.clusterId, application: 'app-01' }],
    });
    await waitFor(async () => passes(await metrics()) > passesBefore, {
      description: 'the signalled pass ran',
      timeoutMs: 10_000,
    });
    const after = (await read()).rollout!;
    expect(after.clusters.find((c) => c.name === signalled.name)!.phase).toBe('Healthy');
  });
});
