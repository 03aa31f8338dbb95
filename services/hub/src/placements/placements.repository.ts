import { Inject, Injectable } from '@nestjs/common';
import { type FailingResource } from '@fleetwave/contracts';
import { parseSelector, type Selector } from '@fleetwave/labels';
import { selectorToSql } from '../clusters/selector-sql.js';
import { Transactions } from '../database/transactions.js';
import { ACTIVE_STATES, FLEET_KINDS, type JoinPolicy, type ClusterStatus } from '../rollouts/engine/index.js';
import { FAILING_PLACEMENT_PHASES, type PlacementPhase } from './placement-status.js';

/** An application as the matrix reads it (one statement for all of them). */
export interface MatrixApplication {
  id: string;
  name: string;
  targetSelector: string;
  joinPolicy: JoinPolicy;
  latestCommit: string | null;
  /** Newest Succeeded rollout or rollback. */
  settledCommit: string | null;
  /** Its unfinished rollout or rollback, if any (what clusters join with join policy `wave`). */
  inProgress: { id: string; commit: string; kind: string } | null;
  /** Any unfinished rollout of it, catch-ups included. */
  anyInProgress: boolean;
  headVetoed: boolean;
}

/** One (cluster, application) pair with everything the matrix shows. */
export interface PlacementRow {
  applicationId: string;
  application: string;
  clusterId: string;
  clusterName: string;
  clusterStatus: ClusterStatus;
  /** In the application's placement (target selector, not cordoned); false: it only has an assignment. */
  placed: boolean;
  desiredCommit: string | null;
  desiredDigest: string | null;
  /** What the cluster is assigned now (cluster_assignment), and when. */
  assignedCommit: string | null;
  assignedAt: Date | null;
  reportedCommit: string | null;
  reportedDigest: string | null;
  phase: PlacementPhase;
  ready: number | null;
  total: number | null;
  failing: FailingResource[];
  driftCorrections: number;
  driftCorrectionsLastHour: number;
  lastDriftAt: Date | null;
  lastAppliedAt: Date | null;
  lastReportAt: Date | null;
  maintenance: { reason: string; since: Date } | null;
  behind: boolean;
  /** The unfinished rollout (any kind) the cluster is a member of. */
  activeRolloutId: string | null;
  /** A catch-up to the settled commit already tried the cluster. */
  tried: boolean;
}

export interface PlacementQuery {
  applications: readonly MatrixApplication[];
  clusterSelector?: Selector | undefined;
  clusterIds?: readonly string[] | undefined;
  phases?: readonly PlacementPhase[] | undefined;
  drifted?: boolean | undefined;
  behind?: boolean | undefined;
  /** Exclusive: the (application name, cluster name) the previous page ended with. */
  after?: { application: string; cluster: string } | undefined;
  limit?: number | undefined;
  now: Date;
}

export interface SyncCounts {
  placed: number;
  atDesired: number;
  behind: number;
  drifted: number;
  failing: number;
}

/**
 * The fleet status matrix: a read model over clusters, applications, assignments, reported bundle
 * statuses, rollouts and drift counts, so a page is one statement (plus one for the applications)
 * whatever its size. It writes nothing; each table stays owned (written) by its feature.
 */
@Injectable()
export class PlacementsRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  /** Applications by name (all when `names` is undefined), in name order, with their rollout state. */
  async applications(names?: readonly string[]): Promise<MatrixApplication[]> {
    return this.readApplications(names === undefined ? null : { names: [...names] });
  }

  async applicationsById(ids: readonly string[]): Promise<MatrixApplication[]> {
    return this.readApplications({ ids: [...ids] });
  }

  private async readApplications(
    only: { names: string[] } | { ids: string[] } | null,
  ): Promise<MatrixApplication[]> {
    const rows = await this.transactions.manager.query<
      {
        id: string;
        name: string;
        target_selector: string;
        join_policy: JoinPolicy;
        latest_commit: string | null;
        settled_commit: string | null;
        in_progress: { id: string; commit: string; kind: string } | null;
        any_in_progress: boolean;
        head_vetoed: boolean;
      }[]
    >(
      `SELECT a.id, a.name, a.target_selector, a.join_policy, a.latest_commit,
              (SELECT r.commit FROM rollout r
                WHERE r.application_id = a.id AND r.state = 'Succeeded' AND r.kind = ANY($3::text[])
                ORDER BY r.created_at DESC, r.id DESC LIMIT 1) AS settled_commit,
              (SELECT json_build_object('id', r.id, 'commit', r.commit, 'kind', r.kind) FROM rollout r
                WHERE r.application_id = a.id AND r.kind = ANY($3::text[]) AND r.state = ANY($4::text[])
                ORDER BY r.created_at DESC, r.id DESC LIMIT 1) AS in_progress,
              EXISTS (SELECT 1 FROM rollout r WHERE r.application_id = a.id AND r.state = ANY($4::text[]))
                AS any_in_progress,
              EXISTS (SELECT 1 FROM revision_veto v WHERE v.application_id = a.id AND v.commit = a.latest_commit)
                AS head_vetoed
         FROM application a
        WHERE ($1::text[] IS NULL OR a.name = ANY($1::text[])) AND ($2::uuid[] IS NULL OR a.id = ANY($2::uuid[]))
        ORDER BY a.name`,
      [
        only && 'names' in only ? only.names : null,
        only && 'ids' in only ? only.ids : null,
        FLEET_KINDS,
        ACTIVE_STATES,
      ],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      targetSelector: r.target_selector,
      joinPolicy: r.join_policy,
      latestCommit: r.latest_commit?.trim() ?? null,
      settledCommit: r.settled_commit?.trim() ?? null,
      inProgress: r.in_progress ? { ...r.in_progress, commit: r.in_progress.commit.trim() } : null,
      anyInProgress: r.any_in_progress,
      headVetoed: r.head_vetoed,
    }));
  }

  /** One page of pairs in (application name, cluster name) order: one statement. */
  async page(query: PlacementQuery): Promise<PlacementRow[]> {
    if (query.applications.length === 0) return [];
    const { sql, params } = this.pairsSql(query);
    const where: string[] = [];
    if (query.phases !== undefined) where.push('phase = ANY(CAST(:phases AS text[]))');
    if (query.drifted !== undefined) where.push(`(drift_hour > 0) = :drifted`);
    if (query.behind !== undefined) where.push('behind = :behind');
    if (query.after !== undefined)
      where.push(
        '(application COLLATE "C", cluster_name COLLATE "C") > ' +
          '(CAST(:afterApplication AS text) COLLATE "C", CAST(:afterCluster AS text) COLLATE "C")',
      );
    const text = `${sql}
      SELECT * FROM computed ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY application COLLATE "C", cluster_name COLLATE "C"
       ${query.limit !== undefined ? 'LIMIT :limit' : ''}`;
    const rows = await this.run<RawRow>(text, {
      ...params,
      phases: query.phases,
      drifted: query.drifted,
      behind: query.behind,
      afterApplication: query.after?.application,
      afterCluster: query.after?.cluster,
      limit: query.limit,
    });
    return rows.map(toRow);
  }

  /** Counts per application over all its pairs (Application.sync): one statement for all of them. */
  async syncCounts(applications: readonly MatrixApplication[], now: Date): Promise<Map<string, SyncCounts>> {
    const counts = new Map<string, SyncCounts>(
      applications.map((a) => [a.id, { placed: 0, atDesired: 0, behind: 0, drifted: 0, failing: 0 }]),
    );
    if (applications.length === 0) return counts;
    const { sql, params } = this.pairsSql({ applications, now });
    const rows = await this.run<{
      application_id: string;
      placed: string;
      at_desired: string;
      behind: string;
      drifted: string;
      failing: string;
    }>(
      `${sql}
       SELECT application_id,
              count(*) FILTER (WHERE placed) AS placed,
              count(*) FILTER (WHERE placed AND NOT behind AND desired_commit IS NOT NULL) AS at_desired,
              count(*) FILTER (WHERE placed AND behind) AS behind,
              count(*) FILTER (WHERE drift_hour > 0) AS drifted,
              count(*) FILTER (WHERE phase = ANY(CAST(:failingPhases AS text[]))) AS failing
         FROM computed GROUP BY application_id`,
      { ...params, failingPhases: FAILING_PLACEMENT_PHASES },
    );
    for (const r of rows)
      counts.set(r.application_id, {
        placed: Number(r.placed),
        atDesired: Number(r.at_desired),
        behind: Number(r.behind),
        drifted: Number(r.drifted),
        failing: Number(r.failing),
      });
    return counts;
  }

  /**
   * The pairs of the given applications as CTEs ending in `computed`: each application's placement
   * (its target selector over clusters not cordoned, translated to SQL like every selector), and the
   * clusters it is assigned to outside it. The desired revision is the target of an unfinished
   * rollout the cluster is a member of, else the settled revision for a placed cluster (with the
   * assigned digest when it already has that commit: a catch-up renders the digest when it starts),
   * else the assignment.
   */
  private pairsSql(query: PlacementQuery): { sql: string; params: Record<string, unknown> } {
    const params: Record<string, unknown> = {
      appIds: query.applications.map((a) => a.id),
      activeStates: ACTIVE_STATES,
      fleetKinds: FLEET_KINDS,
      now: query.now,
    };
    const placed = query.applications.map((app, i) => {
      const target = selectorToSql(parseSelector(app.targetSelector), 'c.labels', `t${i}_`);
      Object.assign(params, target.params, { [`app${i}`]: app.id });
      return `SELECT CAST(:app${i} AS uuid) AS application_id, c.id AS cluster_id FROM cluster c
               WHERE NOT c.cordoned${target.clause ? ` AND ${target.clause}` : ''}`;
    });
    const clusterFilters: string[] = [];
    if (query.clusterSelector !== undefined) {
      const filter = selectorToSql(query.clusterSelector, 'c.labels', 'f_');
      if (filter.clause) clusterFilters.push(filter.clause);
      Object.assign(params, filter.params);
    }
    if (query.clusterIds !== undefined) {
      clusterFilters.push('c.id = ANY(CAST(:clusterIds AS uuid[]))');
      params.clusterIds = query.clusterIds;
    }
    const sql = `
      WITH app AS (
        SELECT a.id, a.name,
               (SELECT r.commit FROM rollout r
                 WHERE r.application_id = a.id AND r.state = 'Succeeded' AND r.kind = ANY(CAST(:fleetKinds AS text[]))
                 ORDER BY r.created_at DESC, r.id DESC LIMIT 1) AS settled_commit
          FROM application a WHERE a.id = ANY(CAST(:appIds AS uuid[]))),
      placed AS (${placed.join(' UNION ALL ')}),
      pair AS (
        SELECT application_id, cluster_id, true AS placed, false AS removing FROM placed
        UNION ALL
        SELECT ca.application_id, ca.cluster_id, false, false FROM cluster_assignment ca
         WHERE ca.application_id = ANY(CAST(:appIds AS uuid[]))
           AND NOT EXISTS (SELECT 1 FROM placed p
                            WHERE p.application_id = ca.application_id AND p.cluster_id = ca.cluster_id)
        UNION ALL
        -- Withdrawn and not confirmed yet (Removing); a cluster back in the placement shows as placed.
        SELECT w.application_id, w.cluster_id, false, true FROM placement_withdrawal w
         WHERE w.application_id = ANY(CAST(:appIds AS uuid[]))
           AND NOT EXISTS (SELECT 1 FROM placed p
                            WHERE p.application_id = w.application_id AND p.cluster_id = w.cluster_id)
           AND NOT EXISTS (SELECT 1 FROM cluster_assignment ca
                            WHERE ca.application_id = w.application_id AND ca.cluster_id = w.cluster_id)
      ),
      -- Per pair, joined by hash rather than looked up row by row: drift corrections in the last hour,
      -- the newest unfinished rollout (any kind) it is a member of, whether a catch-up to the settled
      -- commit already tried it (assigned, or found it did not render for it).
      last_hour AS (
        SELECT dm.cluster_id, dm.application, sum(dm.corrections) AS corrections
          FROM placement_drift_minute dm JOIN app a ON a.name = dm.application
         WHERE dm.minute > CAST(:now AS timestamptz) - interval '1 hour'
         GROUP BY dm.cluster_id, dm.application),
      active AS (
        SELECT DISTINCT ON (r.application_id, rc.cluster_id)
               r.application_id, rc.cluster_id, r.id AS rollout_id, rc.target_commit, rc.target_digest
          FROM rollout r JOIN rollout_cluster rc ON rc.rollout_id = r.id
         WHERE r.application_id = ANY(CAST(:appIds AS uuid[])) AND r.state = ANY(CAST(:activeStates AS text[]))
         ORDER BY r.application_id, rc.cluster_id, r.created_at DESC),
      tried AS (
        SELECT DISTINCT r.application_id, rc.cluster_id
          FROM rollout r JOIN app a ON a.id = r.application_id AND r.commit = a.settled_commit
          JOIN rollout_cluster rc ON rc.rollout_id = r.id
         WHERE r.kind = 'catchup' AND (rc.digest_assigned IS NOT NULL OR rc.target_digest IS NULL)),
      joined AS (
        SELECT a.id AS application_id, a.name AS application, a.settled_commit,
               c.id AS cluster_id, c.name AS cluster_name, c.status AS cluster_status,
               c.maintenance_reason, c.maintenance_since, c.last_heartbeat_at, p.placed, p.removing,
               ca.commit AS assigned_commit, ca.digest AS assigned_digest, ca.assigned_at,
               ar.rollout_id AS active_rollout_id, ar.target_commit AS member_commit,
               ar.target_digest AS member_digest,
               s.commit AS reported_commit, s.digest AS reported_digest, s.phase AS reported_phase,
               s.ready, s.total, s.failing, s.observed_at,
               coalesce(d.total, 0) AS drift_total, d.last_at AS drift_last_at,
               coalesce(m.corrections, 0) AS drift_hour, t.cluster_id IS NOT NULL AS tried
          FROM pair p
          JOIN app a ON a.id = p.application_id
          JOIN cluster c ON c.id = p.cluster_id
          LEFT JOIN cluster_assignment ca ON ca.cluster_id = c.id AND ca.application_id = a.id
          LEFT JOIN cluster_bundle_status s ON s.cluster_id = c.id AND s.application = a.name
          LEFT JOIN placement_drift d ON d.cluster_id = c.id AND d.application = a.name
          LEFT JOIN last_hour m ON m.cluster_id = c.id AND m.application = a.name
          LEFT JOIN active ar ON ar.application_id = a.id AND ar.cluster_id = c.id
          LEFT JOIN tried t ON t.application_id = a.id AND t.cluster_id = c.id
         ${clusterFilters.length > 0 ? `WHERE ${clusterFilters.join(' AND ')}` : ''}),
      desired AS (
        SELECT j.*,
               CASE WHEN j.removing THEN NULL
                    WHEN j.active_rollout_id IS NOT NULL THEN coalesce(j.member_commit, j.assigned_commit)
                    WHEN j.placed AND j.settled_commit IS NOT NULL THEN j.settled_commit
                    ELSE j.assigned_commit END AS desired_commit,
               CASE WHEN j.removing THEN NULL
                    WHEN j.active_rollout_id IS NOT NULL THEN coalesce(j.member_digest, j.assigned_digest)
                    WHEN j.placed AND j.settled_commit IS NOT NULL
                      THEN CASE WHEN j.assigned_commit = j.settled_commit THEN j.assigned_digest END
                    ELSE j.assigned_digest END AS desired_digest
          FROM joined j),
      computed AS (
        SELECT d.*,
               CASE WHEN d.removing THEN 'Removing' ELSE coalesce(d.reported_phase, 'Missing') END AS phase,
               (d.desired_commit IS NOT NULL AND (d.reported_commit IS DISTINCT FROM d.desired_commit
                 OR (d.desired_digest IS NOT NULL AND d.reported_digest IS DISTINCT FROM d.desired_digest)))
                 AS behind
          FROM desired d)`;
    return { sql, params };
  }

  /** Named parameters (`:name`, as selector-sql makes them) → the driver's positional ones. */
  private async run<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
    const manager = this.transactions.manager;
    const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, defined);
    return manager.query<T[]>(text, values);
  }
}

interface RawRow {
  application_id: string;
  application: string;
  cluster_id: string;
  cluster_name: string;
  cluster_status: ClusterStatus;
  placed: boolean;
  desired_commit: string | null;
  desired_digest: string | null;
  assigned_commit: string | null;
  assigned_at: Date | null;
  reported_commit: string | null;
  reported_digest: string | null;
  phase: PlacementPhase;
  ready: number | null;
  total: number | null;
  failing: FailingResource[] | null;
  drift_total: string;
  drift_hour: string;
  drift_last_at: Date | null;
  observed_at: Date | null;
  last_heartbeat_at: Date | null;
  maintenance_reason: string | null;
  maintenance_since: Date | null;
  behind: boolean;
  active_rollout_id: string | null;
  tried: boolean;
}

function toRow(r: RawRow): PlacementRow {
  return {
    applicationId: r.application_id,
    application: r.application,
    clusterId: r.cluster_id,
    clusterName: r.cluster_name,
    clusterStatus: r.cluster_status,
    placed: r.placed,
    desiredCommit: r.desired_commit?.trim() ?? null,
    desiredDigest: r.desired_digest,
    assignedCommit: r.assigned_commit?.trim() ?? null,
    assignedAt: r.assigned_at,
    reportedCommit: r.reported_commit?.trim() ?? null,
    reportedDigest: r.reported_digest,
    phase: r.phase,
    ready: r.ready,
    total: r.total,
    failing: r.failing ?? [],
    driftCorrections: Number(r.drift_total),
    driftCorrectionsLastHour: Number(r.drift_hour),
    lastDriftAt: r.drift_last_at,
    lastAppliedAt: r.observed_at,
    lastReportAt: r.last_heartbeat_at,
    maintenance:
      r.maintenance_reason !== null && r.maintenance_since !== null
        ? { reason: r.maintenance_reason, since: r.maintenance_since }
        : null,
    behind: r.behind,
    activeRolloutId: r.active_rollout_id,
    tried: r.tried,
  };
}
