import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  type ApplicationRecord,
  applicationColumnsAs,
  applicationFromRow,
  type RevisionInfo,
  revisionInfoColumnsAs,
  revisionInfoFromRow,
} from '../applications/applications.repository.js';
import { type ClusterStatus, maintenanceFrom } from '../clusters/cluster.entity.js';
import { dateFromJson } from '../common/json-date.js';
import { Transactions } from '../database/transactions.js';
import {
  ACTIVE_STATES,
  type AssignmentRecord,
  type BudgetLoad,
  type Degradation,
  FLEET_KINDS,
  type FleetLoad,
  type InProgress,
  GOOD_FINAL_STATES,
  isFinished,
  MOVABLE_STATES,
  type ReportedPhase,
  type RolloutKind,
  type RolloutState,
  type WavePlan,
  type WatchedCluster,
  type WaveTimestamps,
} from './engine/index.js';

export { type RolloutKind };

export interface WaveSummary {
  name: string;
  counts: Record<string, number>;
}

export interface RolloutRecord {
  id: string;
  applicationId: string;
  applicationName: string;
  commit: string;
  kind: RolloutKind;
  rollbackOf: string | null;
  rolledBackBy: string | null;
  state: RolloutState;
  paused: boolean;
  resumedAt: Date | null;
  currentWave: number;
  plan: WavePlan;
  createdBy: string;
  message: string | null;
  summary: WaveSummary[];
  /** The admin who let this rollout past a fleet freeze (null: it is held like any other). */
  freezeOverriddenBy: string | null;
  /** Clusters that degraded while the rollout was watched after success (oldest first). */
  watchDegraded: Degradation[];
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface RolloutWaveRecord extends WaveTimestamps {
  index: number;
  name: string;
  approvedBy: string | null;
}

/** An earlier, finished rollout as the ETA reads its pace: its plan and each wave's start, end and size. */
export interface PaceHistoryRollout {
  plan: WavePlan;
  waves: { index: number; startedAt: Date | null; healthyAt: Date | null; size: number }[];
}

/** A rollout as the API shows it, read in one statement: with its waves, application and commit metadata. */
export interface RolloutView {
  rollout: RolloutRecord;
  waves: RolloutWaveRecord[];
  application: ApplicationRecord;
  /** null when the hub has not fetched the commit (or no longer has it). */
  revision: RevisionInfo | null;
}

/** One member cluster of a rollout: the engine's record plus what the hub keeps around it. */
export interface RolloutClusterRecord extends AssignmentRecord {
  targetDigest: string | null;
  targetCommit: string | null;
  previousDigest: string | null;
  previousCommit: string | null;
  /** Latest report's failing objects, for visibility. */
  failing: { id: string; reason: string; message: string }[];
}

export interface NewRollout {
  applicationId: string;
  commit: string;
  kind: RolloutKind;
  rollbackOf: string | null;
  plan: WavePlan;
  createdBy: string;
  waves: { name: string }[];
  /** Per cluster: the bundle and commit it moves to (null digest: no bundle, the engine skips it). */
  clusters: {
    clusterId: string;
    name: string;
    wave: string;
    targetDigest: string | null;
    targetCommit: string | null;
  }[];
}

export interface DecisionWrite {
  rollout: RolloutRecord;
  now: Date;
  state: RolloutState;
  currentWave: number;
  summary: WaveSummary[];
  message: string | null;
  /** Clusters to assign now. */
  assign: { clusterId: string }[];
  markTimedOut: string[];
  markSkipped: string[];
  markOfflineFailed: string[];
  waveStamps: { wave: number; startedAt?: Date; healthyAt?: Date }[];
}

/** An application's rollouts as the catch-up lane sees them (see {@link RolloutsRepository.catchupState}). */
export interface CatchupRollouts {
  settledCommit: string | null;
  inProgress: InProgress | null;
  inActiveRollout: Set<string>;
  tried: Set<string>;
}

/** Whose rollouts a page lists: all, one application's by name, or each of several applications'. */
export type RolloutScope =
  { all: true } | { applicationName: string } | { applicationIds: readonly string[] };

export interface RolloutPageRequest {
  scope: RolloutScope;
  states?: readonly RolloutState[] | undefined;
  /** Exclusive: the rollout the previous page ended with (the cursor). */
  afterId?: string | undefined;
  limit: number;
  /** Only rollouts of these projects' applications (an application of the scope outside them has no page). */
  projects?: readonly string[] | undefined;
}

export interface RolloutPage {
  views: RolloutView[];
  hasMore: boolean;
  /** Rollouts in the scope matching `states`, whatever the cursor. */
  total: number;
}

interface RolloutRow {
  id: string;
  application_id: string;
  application_name: string;
  commit: string;
  kind: RolloutKind;
  rollback_of: string | null;
  rolled_back_by: string | null;
  state: RolloutState;
  paused: boolean;
  resumed_at: Date | null;
  current_wave: number;
  plan: WavePlan;
  created_by: string;
  message: string | null;
  summary: WaveSummary[];
  freeze_overridden_by: string | null;
  watch_degraded: { clusterId: string; cluster: string; reason: string; at: string }[];
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

const ROLLOUT_COLUMNS = `r.id, r.application_id, a.name AS application_name, r.commit, r.kind, r.rollback_of,
  r.rolled_back_by, r.state, r.paused, r.resumed_at, r.current_wave, r.plan, r.created_by, r.message, r.summary,
  r.freeze_overridden_by, r.watch_degraded, r.created_at, r.updated_at, r.finished_at`;

const ROLLOUT_SELECT = `SELECT ${ROLLOUT_COLUMNS} FROM rollout r JOIN application a ON a.id = r.application_id`;

/** A RolloutView per row: waves as JSON (a handful per rollout), application and revision joined. */
const VIEW_SELECT = `SELECT ${ROLLOUT_COLUMNS}, ${applicationColumnsAs('a', 'app_')}, ${revisionInfoColumnsAs('rv', 'rev_')},
  (SELECT coalesce(json_agg(json_build_object('index', w.index, 'name', w.name, 'started_at', w.started_at,
            'healthy_at', w.healthy_at, 'approved_at', w.approved_at, 'approved_by', w.approved_by) ORDER BY w.index),
          '[]'::json)
     FROM rollout_wave w WHERE w.rollout_id = r.id) AS waves
  FROM rollout r JOIN application a ON a.id = r.application_id
  LEFT JOIN revision rv ON rv.application_id = r.application_id AND rv.commit = r.commit`;

/** A RolloutClusterRecord per row; the query joins `cluster c` and `cluster_bundle_status s`. */
const MEMBER_COLUMNS = `rc.rollout_id, rc.cluster_id, rc.cluster_name, rc.wave, rc.target_digest, rc.target_commit,
  rc.digest_assigned, rc.assigned_at, rc.previous_digest, rc.previous_commit, rc.skipped, rc.timed_out,
  rc.offline_failed, rc.retried_at, c.status, c.cordoned, c.last_heartbeat_at, c.labels,
  c.maintenance_reason, c.maintenance_since,
  -- A finished rollout reads its members' reports as they were when it finished (see freezeReports).
  CASE WHEN rc.final_at IS NULL THEN s.digest ELSE rc.final_digest END AS reported_digest,
  CASE WHEN rc.final_at IS NULL THEN s.phase ELSE rc.final_phase END AS reported_phase,
  CASE WHEN rc.final_at IS NULL THEN s.updated_at ELSE rc.final_reported_at END AS reported_at,
  CASE WHEN rc.final_at IS NULL THEN s.failing ELSE rc.final_failing END AS failing`;

/** Reported phases that settle an assigned cluster (see classify): it no longer counts as changing. */
const SETTLED_REPORTS: readonly ReportedPhase[] = ['Healthy', 'Degraded', 'Failed', 'Stalled'];

/** Rollouts' members with their applications and latest reports (`r`, `a`, `rc`, `s`). */
const MEMBERS_FROM = `FROM rollout r
         JOIN application a ON a.id = r.application_id
         JOIN rollout_cluster rc ON rc.rollout_id = r.id
         LEFT JOIN cluster_bundle_status s ON s.cluster_id = rc.cluster_id AND s.application = a.name`;
/** A member still to be changed: not skipped, timed out or failed offline. */
const LIVE_MEMBER = `NOT rc.skipped AND NOT rc.timed_out AND NOT rc.offline_failed`;
/** A member assigned its target ... */
const ASSIGNED_TARGET = `rc.digest_assigned IS NOT NULL AND rc.digest_assigned = rc.target_digest`;
/** ... and reported in a final phase about it since the assignment or retry ($2: settled reports). */
const SETTLED_REPORT = `s.digest IS NOT DISTINCT FROM rc.target_digest AND s.phase = ANY($2::text[])
                   AND (rc.retried_at IS NULL OR s.updated_at > rc.retried_at)`;
/** A member changing now: assigned its target, not settled since. */
const CHANGING_MEMBER = `${ASSIGNED_TARGET} AND ${LIVE_MEMBER} AND NOT (${SETTLED_REPORT})`;
/**
 * Rollout members changing now ($1: active states, $2: settled reports): assigned by an unfinished
 * rollout or catch-up and not settled since the assignment (or retry). Ends in a WHERE clause.
 */
const CHANGING_FROM = `${MEMBERS_FROM}
        WHERE r.state = ANY($1::text[]) AND ${CHANGING_MEMBER}`;

/**
 * The fleet budget's count of clusters changing ({@link RolloutsRepository.fleetChanging}) as one
 * statement (row `n`): also what the fleet simulator samples to check the budget from the hub's view.
 */
export const FLEET_CHANGING = {
  sql: `SELECT count(DISTINCT rc.cluster_id)::int AS n ${CHANGING_FROM}`,
  params: [ACTIVE_STATES, SETTLED_REPORTS] as unknown[],
};

/** Members changing now per unfinished rollout: what each holds of the fleet budget (the simulator's trace). */
export const ROLLOUT_CHANGING = {
  sql: `SELECT r.id, count(*)::int AS n ${CHANGING_FROM} GROUP BY r.id`,
  params: [ACTIVE_STATES, SETTLED_REPORTS] as unknown[],
};

/** The only code that queries rollout, rollout_wave and rollout_cluster. */
@Injectable()
export class RolloutsRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  /** Locks the rollout row for one engine pass or one control mutation: passes on one rollout are serial. */
  async lock(tx: EntityManager, id: string): Promise<RolloutRecord | null> {
    const rows = await tx.query<RolloutRow[]>(`${ROLLOUT_SELECT} WHERE r.id = $1 FOR UPDATE OF r`, [id]);
    return rows[0] ? toRollout(rows[0]) : null;
  }

  async findById(id: string, tx: EntityManager = this.transactions.manager): Promise<RolloutRecord | null> {
    const rows = await tx.query<RolloutRow[]>(`${ROLLOUT_SELECT} WHERE r.id = $1`, [id]);
    return rows[0] ? toRollout(rows[0]) : null;
  }

  /** Rollouts with their waves, application and commit metadata, in one statement. */
  async views(ids: readonly string[]): Promise<RolloutView[]> {
    if (ids.length === 0) return [];
    const rows = await this.transactions.manager.query<ViewRow[]>(
      `${VIEW_SELECT} WHERE r.id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map(toView);
  }

  /**
   * A page of rollouts, newest first, for each application of the scope (or one for all), with
   * the number matching the filter: one statement however many applications. An application of
   * the scope that does not exist has no page. `cursorFound` is false when `afterId` names no rollout.
   */
  async pages(
    request: RolloutPageRequest,
  ): Promise<{ pages: Map<string | null, RolloutPage>; cursorFound: boolean }> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const { scope } = request;
    const where: string[] = [];
    let scopes = `SELECT NULL::uuid AS scope_id`;
    if (!('all' in scope)) {
      scopes =
        'applicationName' in scope
          ? // The application of that name, or, when none lives, the last one deleted (its history).
            `SELECT id AS scope_id FROM application WHERE name = ${param(scope.applicationName)}
              ${request.projects === undefined ? '' : `AND project = ANY(${param([...request.projects])}::text[])`}
              ORDER BY deleted_at DESC NULLS FIRST LIMIT 1`
          : `SELECT id AS scope_id FROM application WHERE id = ANY(${param(scope.applicationIds)}::uuid[])`;
      where.push('r.application_id = k.scope_id');
    }
    if (request.projects !== undefined) {
      where.push(
        `r.application_id IN (SELECT id FROM application WHERE project = ANY(${param([...request.projects])}::text[]))`,
      );
    }
    if (request.states !== undefined && request.states.length > 0) {
      where.push(`r.state = ANY(${param(request.states)}::text[])`);
    }
    const pageWhere = [...where];
    let cursorFound = 'true';
    if (request.afterId !== undefined) {
      const after = param(request.afterId);
      pageWhere.push(
        `(r.created_at, r.id) < (SELECT c.created_at, c.id FROM rollout c WHERE c.id = ${after})`,
      );
      cursorFound = `EXISTS (SELECT 1 FROM rollout c WHERE c.id = ${after})`;
    }
    const clause = (conditions: string[]) =>
      conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = await this.transactions.manager.query<(ViewRow & PageRow)[]>(
      `SELECT k.scope_id, t.total, ${cursorFound} AS cursor_found, p.*
         FROM (${scopes}) k
        CROSS JOIN LATERAL (SELECT count(*)::int AS total FROM rollout r ${clause(where)}) t
         LEFT JOIN LATERAL (${VIEW_SELECT} ${clause(pageWhere)}
                             ORDER BY r.created_at DESC, r.id DESC LIMIT ${param(request.limit + 1)}) p ON true
        ORDER BY k.scope_id, p.created_at DESC, p.id DESC`,
      params,
    );
    const pages = new Map<string | null, RolloutPage>();
    for (const row of rows) {
      let page = pages.get(row.scope_id);
      if (page === undefined)
        pages.set(row.scope_id, (page = { views: [], hasMore: false, total: row.total }));
      if (row.id === null) continue; // the scope's count row: no rollout on this page
      if (page.views.length < request.limit) page.views.push(toView(row));
      else page.hasMore = true;
    }
    return { pages, cursorFound: rows[0]?.cursor_found ?? true };
  }

  /** Rollouts of the application that have not finished, locked (for supersede), oldest first. */
  async lockActiveOfApplication(tx: EntityManager, applicationId: string): Promise<RolloutRecord[]> {
    const rows = await tx.query<RolloutRow[]>(
      `${ROLLOUT_SELECT} WHERE r.application_id = $1 AND r.state = ANY($2::text[])
       ORDER BY r.created_at FOR UPDATE OF r`,
      [applicationId, ACTIVE_STATES],
    );
    return rows.map(toRollout);
  }

  /** Ids of rollouts that can move on their own (not paused, not finished). */
  async movableIds(limit: number): Promise<string[]> {
    const rows = await this.transactions.manager.query<{ id: string }[]>(
      `SELECT id FROM rollout WHERE state = ANY($2::text[])
        ORDER BY updated_at LIMIT $1`,
      [limit, MOVABLE_STATES],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Movable rollouts in which any of `clusterIds` take part, or that belong to the application of one
   * of `placements` and have its cluster as a member (after their reports were ingested).
   */
  async movableIdsFor(
    clusterIds: readonly string[],
    placements: readonly { clusterId: string; application: string }[],
  ): Promise<string[]> {
    if (clusterIds.length === 0 && placements.length === 0) return [];
    const rows = await this.transactions.manager.query<{ id: string }[]>(
      `SELECT r.id FROM rollout r JOIN rollout_cluster rc ON rc.rollout_id = r.id
        WHERE rc.cluster_id = ANY($1::uuid[]) AND r.state = ANY($2::text[])
       UNION
       SELECT r.id FROM unnest($3::uuid[], $4::text[]) AS p(cluster_id, application)
         JOIN application a ON a.name = p.application
         JOIN rollout r ON r.application_id = a.id AND r.state = ANY($2::text[])
         JOIN rollout_cluster rc ON rc.rollout_id = r.id AND rc.cluster_id = p.cluster_id`,
      [clusterIds, MOVABLE_STATES, placements.map((p) => p.clusterId), placements.map((p) => p.application)],
    );
    return rows.map((r) => r.id);
  }

  /** The commit of the newest Succeeded rollout of the application created before `before`. */
  async lastGoodCommit(tx: EntityManager, applicationId: string, before: Date): Promise<string | null> {
    const rows = await tx.query<{ commit: string }[]>(
      `SELECT commit FROM rollout WHERE application_id = $1 AND state = ANY($3::text[])
          AND kind = 'rollout' AND created_at < $2
        ORDER BY created_at DESC LIMIT 1`,
      [applicationId, before, GOOD_FINAL_STATES],
    );
    return rows[0]?.commit ?? null;
  }

  /**
   * Per application, its newest `perApplication` Succeeded rollouts (and reconfigures) with each
   * wave's start, end and size: what the ETA reads an application's earlier pace from. One statement.
   */
  async paceHistory(
    applicationIds: readonly string[],
    perApplication: number,
  ): Promise<Map<string, PaceHistoryRollout[]>> {
    const found = new Map<string, PaceHistoryRollout[]>(applicationIds.map((id) => [id, []]));
    if (applicationIds.length === 0) return found;
    const rows = await this.transactions.manager.query<
      {
        application_id: string;
        plan: WavePlan;
        waves: { index: number; started_at: string | null; healthy_at: string | null; size: number }[];
      }[]
    >(
      `SELECT r.application_id, r.plan,
              (SELECT coalesce(json_agg(json_build_object(
                        'index', w.index, 'started_at', w.started_at, 'healthy_at', w.healthy_at,
                        'size', (SELECT count(*) FROM rollout_cluster rc WHERE rc.rollout_id = r.id AND rc.wave = w.name))
                      ORDER BY w.index), '[]')
                 FROM rollout_wave w WHERE w.rollout_id = r.id) AS waves
         FROM (SELECT id, application_id, plan,
                      row_number() OVER (PARTITION BY application_id ORDER BY finished_at DESC NULLS LAST, created_at DESC) AS n
                 FROM rollout
                WHERE application_id = ANY($1::uuid[]) AND state = 'Succeeded' AND kind = ANY($2::text[])) r
        WHERE r.n <= $3
        ORDER BY r.application_id, r.n`,
      [applicationIds, ['rollout', 'reconfigure'], perApplication],
    );
    for (const row of rows) {
      found.get(row.application_id)?.push({
        plan: row.plan,
        waves: row.waves.map((w) => ({
          index: w.index,
          startedAt: dateFromJson(w.started_at),
          healthyAt: dateFromJson(w.healthy_at),
          size: Number(w.size),
        })),
      });
    }
    return found;
  }

  /**
   * Ids of applications (not being deleted) with a settled revision (a Succeeded rollout or
   * rollback) or an unfinished rollout: the catch-up lane's work (catch-ups, and joins to running
   * rollouts).
   */
  async laneApplicationIds(): Promise<string[]> {
    const rows = await this.transactions.manager.query<{ application_id: string }[]>(
      `SELECT DISTINCT r.application_id FROM rollout r JOIN application a ON a.id = r.application_id
        WHERE a.deletion_requested_at IS NULL AND r.kind = ANY($1::text[])
          AND (r.state = 'Succeeded' OR (r.kind = 'rollout' AND r.state = ANY($2::text[])))`,
      [FLEET_KINDS, ACTIVE_STATES],
    );
    return rows.map((r) => r.application_id);
  }

  /**
   * What the catch-up lane reads of one application's rollouts, in one statement: its settled commit
   * (newest Succeeded rollout or rollback), its unfinished rollout or rollback if any, the members
   * of its unfinished rollouts of any kind, and the clusters a catch-up to the settled commit tried:
   * assigned (and still assigned the application: one withdrawn since, which came back, is tried
   * again), or found it did not render for them (one skipped while offline is tried again).
   */
  async catchupState(
    applicationId: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<CatchupRollouts> {
    const [row] = await tx.query<
      [
        {
          settled_commit: string | null;
          in_progress: { id: string; commit: string; kind: RolloutKind } | null;
          active_members: string[];
          tried: string[];
        },
      ]
    >(
      `WITH settled AS (
         SELECT commit FROM rollout
          WHERE application_id = $1 AND state = 'Succeeded' AND kind = ANY($2::text[])
          ORDER BY created_at DESC, id DESC LIMIT 1)
       SELECT (SELECT commit FROM settled) AS settled_commit,
              (SELECT json_build_object('id', id, 'commit', commit, 'kind', kind) FROM rollout
                WHERE application_id = $1 AND kind = ANY($2::text[]) AND state = ANY($3::text[])
                ORDER BY created_at DESC, id DESC LIMIT 1) AS in_progress,
              ARRAY(SELECT DISTINCT rc.cluster_id::text FROM rollout r JOIN rollout_cluster rc ON rc.rollout_id = r.id
                     WHERE r.application_id = $1 AND r.state = ANY($3::text[])) AS active_members,
              ARRAY(SELECT DISTINCT rc.cluster_id::text FROM rollout r JOIN rollout_cluster rc ON rc.rollout_id = r.id
                     WHERE r.application_id = $1 AND r.kind = 'catchup' AND r.commit = (SELECT commit FROM settled)
                       AND (rc.target_digest IS NULL
                            OR (rc.digest_assigned IS NOT NULL
                                AND EXISTS (SELECT 1 FROM cluster_assignment ca
                                             WHERE ca.cluster_id = rc.cluster_id AND ca.application_id = $1)))) AS tried`,
      [applicationId, FLEET_KINDS, ACTIVE_STATES],
    );
    return {
      settledCommit: row.settled_commit,
      inProgress:
        row.in_progress === null
          ? null
          : {
              id: row.in_progress.id,
              commit: row.in_progress.commit,
              joinable: row.in_progress.kind === 'rollout',
            },
      inActiveRollout: new Set(row.active_members),
      tried: new Set(row.tried),
    };
  }

  /**
   * Members not skipped of the application's unfinished rollouts (any kind), with what the
   * withdrawal decision reads of their clusters: whether the placement ended for them.
   */
  async activeMembers(
    applicationId: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<
    { rolloutId: string; clusterId: string; labels: Record<string, string>; deregistering: boolean }[]
  > {
    const rows = await tx.query<
      { rollout_id: string; cluster_id: string; labels: Record<string, string>; deregistering: boolean }[]
    >(
      `SELECT rc.rollout_id, rc.cluster_id, c.labels, c.deregistration_requested_at IS NOT NULL AS deregistering
         FROM rollout r JOIN rollout_cluster rc ON rc.rollout_id = r.id JOIN cluster c ON c.id = rc.cluster_id
        WHERE r.application_id = $1 AND r.state = ANY($2::text[]) AND NOT rc.skipped
        ORDER BY rc.rollout_id, rc.cluster_id`,
      [applicationId, ACTIVE_STATES],
    );
    return rows.map((r) => ({
      rolloutId: r.rollout_id,
      clusterId: r.cluster_id,
      labels: r.labels,
      deregistering: r.deregistering,
    }));
  }

  /** Members of unfinished catch-ups across the fleet: how much of the lane's concurrency is in use. */
  async catchupLoad(tx: EntityManager = this.transactions.manager): Promise<number> {
    const [row] = await tx.query<[{ n: number }]>(
      `SELECT count(*)::int AS n FROM rollout r JOIN rollout_cluster rc ON rc.rollout_id = r.id
        WHERE r.kind = 'catchup' AND r.state = ANY($1::text[])`,
      [ACTIVE_STATES],
    );
    return row.n;
  }

  /**
   * Clusters changing fleet-wide: assigned by an unfinished rollout or catch-up (paused ones
   * included) and not settled yet — no report about the target bundle in a final phase since the
   * assignment (or retry), not skipped, timed out or failed offline. What the engine counts as in
   * flight, over every rollout; a cluster changing for two applications counts once.
   */
  async fleetChanging(tx: EntityManager = this.transactions.manager): Promise<number> {
    const [row] = await tx.query<[{ n: number }]>(FLEET_CHANGING.sql, FLEET_CHANGING.params);
    return row.n;
  }

  /**
   * Every rollout that may still take fleet budget slots (movable states, catch-ups included), with
   * what the ETA shares the budget by: its current wave's size, members not settled, and members
   * assigned within the last `windowSeconds` (by the database clock). One statement.
   */
  async fleetLoads(windowSeconds: number): Promise<FleetLoad[]> {
    const rows = await this.transactions.manager.query<
      {
        id: string;
        plan: WavePlan;
        current_wave: number;
        wave_size: number;
        remaining: number;
        in_flight: number;
        assigned_recently: number;
        first_assigned_seconds_ago: number | null;
      }[]
    >(
      `SELECT r.id, r.plan, r.current_wave,
              count(*) FILTER (WHERE rc.wave = w.name)::int AS wave_size,
              count(*) FILTER (WHERE ${LIVE_MEMBER}
                AND NOT (${ASSIGNED_TARGET} AND ${SETTLED_REPORT}))::int AS remaining,
              count(*) FILTER (WHERE ${CHANGING_MEMBER})::int AS in_flight,
              count(*) FILTER (WHERE rc.assigned_at > now() - make_interval(secs => $3))::int AS assigned_recently,
              extract(epoch FROM now() - min(rc.assigned_at))::float8 AS first_assigned_seconds_ago
         ${MEMBERS_FROM}
         LEFT JOIN rollout_wave w ON w.rollout_id = r.id AND w.index = r.current_wave
        WHERE r.state = ANY($1::text[])
        GROUP BY r.id, w.name`,
      [MOVABLE_STATES, SETTLED_REPORTS, windowSeconds],
    );
    return rows.map((row) => ({
      id: row.id,
      plan: row.plan,
      currentWave: row.current_wave,
      waveSize: row.wave_size,
      remaining: row.remaining,
      inFlight: row.in_flight,
      assignedRecently: row.assigned_recently,
      firstAssignedSecondsAgo: row.first_assigned_seconds_ago,
    }));
  }

  /**
   * Every unfinished rollout's load on the fleet budget, for its fair share (`fair-share.ts`): what
   * it holds (members changing, as {@link fleetChanging} counts them), what waits in its current
   * wave, and whether that wave is done. Read under the budget lock by a pass
   * that would assign, in its transaction. One statement. Oldest first (the share's remainder goes
   * in this order).
   */
  async budgetLoads(tx: EntityManager = this.transactions.manager): Promise<BudgetLoad[]> {
    const rows = await tx.query<
      {
        id: string;
        kind: RolloutKind;
        state: RolloutState;
        paused: boolean;
        plan: WavePlan;
        freeze_overridden: boolean;
        current_wave: number;
        wave_done: boolean;
        wave_size: number;
        waiting: number;
        held: number;
      }[]
    >(
      `SELECT r.id, r.kind, r.state, r.paused, r.plan, r.freeze_overridden_by IS NOT NULL AS freeze_overridden,
              r.current_wave,
              coalesce(bool_or(w.healthy_at IS NOT NULL), false) AS wave_done,
              count(*) FILTER (WHERE rc.wave = w.name)::int AS wave_size,
              count(*) FILTER (WHERE rc.wave = w.name AND NOT rc.skipped AND NOT rc.offline_failed
                AND NOT c.cordoned AND rc.target_digest IS NOT NULL
                AND rc.digest_assigned IS DISTINCT FROM rc.target_digest)::int AS waiting,
              count(*) FILTER (WHERE ${CHANGING_MEMBER})::int AS held
         ${MEMBERS_FROM}
         JOIN cluster c ON c.id = rc.cluster_id
         LEFT JOIN rollout_wave w ON w.rollout_id = r.id AND w.index = r.current_wave
        WHERE r.state = ANY($1::text[])
        GROUP BY r.id, w.name
        ORDER BY r.created_at, r.id`,
      [ACTIVE_STATES, SETTLED_REPORTS],
    );
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      state: row.state,
      paused: row.paused,
      plan: row.plan,
      freezeOverridden: row.freeze_overridden,
      currentWave: row.current_wave,
      waveDone: row.wave_done,
      waveSize: row.wave_size,
      waiting: row.waiting,
      held: row.held,
    }));
  }

  /**
   * Applications changing on each cluster (changing as in {@link fleetChanging}), for the given
   * clusters or, without them, every cluster changing any; clusters changing none are left out.
   */
  async clusterChanging(
    clusterIds: readonly string[] | null,
    tx: EntityManager = this.transactions.manager,
  ): Promise<Record<string, number>> {
    if (clusterIds !== null && clusterIds.length === 0) return {};
    const rows = await tx.query<{ cluster_id: string; n: number }[]>(
      `SELECT rc.cluster_id, count(DISTINCT a.id)::int AS n ${CHANGING_FROM}
          AND ($3::uuid[] IS NULL OR rc.cluster_id = ANY($3::uuid[]))
        GROUP BY rc.cluster_id`,
      [ACTIVE_STATES, SETTLED_REPORTS, clusterIds],
    );
    return Object.fromEntries(rows.map((r) => [r.cluster_id, r.n]));
  }

  /** An admin lets the rollout past a fleet freeze (kept for the rollout's life). */
  async overrideFreeze(tx: EntityManager, id: string, actor: string, now: Date): Promise<void> {
    await tx.query(
      `UPDATE rollout SET freeze_overridden_by = $2, freeze_overridden_at = $3, updated_at = $3 WHERE id = $1`,
      [id, actor, now],
    );
  }

  /**
   * Per application: the commit of its newest Succeeded rollout (a rollback included), which is what
   * the fleet is held at while the head commit is vetoed. One statement for all.
   */
  async settledCommits(applicationIds: readonly string[]): Promise<Map<string, string>> {
    if (applicationIds.length === 0) return new Map();
    const rows = await this.transactions.manager.query<{ application_id: string; commit: string }[]>(
      `SELECT DISTINCT ON (application_id) application_id, commit FROM rollout
        WHERE application_id = ANY($1::uuid[]) AND state = 'Succeeded'
        ORDER BY application_id, finished_at DESC NULLS LAST, created_at DESC`,
      [applicationIds],
    );
    return new Map(rows.map((row) => [row.application_id, row.commit]));
  }

  async existsForCommit(tx: EntityManager, applicationId: string, commit: string): Promise<boolean> {
    const rows = await tx.query<unknown[]>(
      `SELECT 1 FROM rollout WHERE application_id = $1 AND commit = $2 AND kind = 'rollout' LIMIT 1`,
      [applicationId, commit],
    );
    return rows.length > 0;
  }

  async insert(tx: EntityManager, rollout: NewRollout): Promise<string> {
    const [row] = await tx.query<[{ id: string }]>(
      `INSERT INTO rollout (application_id, commit, kind, rollback_of, state, plan, created_by)
       VALUES ($1, $2, $3, $4, 'Pending', $5, $6) RETURNING id`,
      [
        rollout.applicationId,
        rollout.commit,
        rollout.kind,
        rollout.rollbackOf,
        JSON.stringify(rollout.plan),
        rollout.createdBy,
      ],
    );
    const id = row.id;
    await tx.query(
      `INSERT INTO rollout_wave (rollout_id, index, name)
       SELECT $1, i - 1, n FROM unnest($2::text[]) WITH ORDINALITY AS v(n, i)`,
      [id, rollout.waves.map((w) => w.name)],
    );
    await this.addMembers(tx, id, rollout.clusters);
    return id;
  }

  /** Member clusters of a rollout, new ones (a cluster joining a running rollout, or all at insert). */
  async addMembers(tx: EntityManager, id: string, clusters: NewRollout['clusters']): Promise<void> {
    if (clusters.length === 0) return;
    await tx.query(
      `INSERT INTO rollout_cluster (rollout_id, cluster_id, cluster_name, wave, target_digest, target_commit)
       SELECT $1, c, n, w, d, t FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(c, n, w, d, t)`,
      [
        id,
        clusters.map((c) => c.clusterId),
        clusters.map((c) => c.name),
        clusters.map((c) => c.wave),
        clusters.map((c) => c.targetDigest),
        clusters.map((c) => c.targetCommit),
      ],
    );
  }

  async waves(id: string, tx: EntityManager = this.transactions.manager): Promise<RolloutWaveRecord[]> {
    const rows = await tx.query<
      {
        index: number;
        name: string;
        started_at: Date | null;
        healthy_at: Date | null;
        approved_at: Date | null;
        approved_by: string | null;
      }[]
    >(
      `SELECT index, name, started_at, healthy_at, approved_at, approved_by FROM rollout_wave WHERE rollout_id = $1 ORDER BY index`,
      [id],
    );
    return rows.map((r) => ({
      index: r.index,
      name: r.name,
      startedAt: r.started_at,
      healthyAt: r.healthy_at,
      approvedAt: r.approved_at,
      approvedBy: r.approved_by,
    }));
  }

  /**
   * The member clusters with their cluster's current status and the latest report for this
   * application (whatever digest it is about: the engine decides whether it counts).
   */
  async clusters(
    rollout: Pick<RolloutRecord, 'id' | 'applicationName'>,
    tx: EntityManager = this.transactions.manager,
  ): Promise<RolloutClusterRecord[]> {
    // One JSON array rather than a row per member: every pass reads all members (10,000 in a
    // fleet-wide rollout, every 5 s by the periodic sweep), and one JSON.parse costs the hub a
    // fraction of decoding 25 columns row by row (see clustersOf).
    const [row] = await tx.query<[{ members: string }]>(
      `SELECT coalesce(json_agg(m ORDER BY m.cluster_name), '[]'::json)::text AS members
         FROM (SELECT ${MEMBER_COLUMNS}
                 FROM rollout_cluster rc
                 JOIN cluster c ON c.id = rc.cluster_id
                 LEFT JOIN cluster_bundle_status s ON s.cluster_id = rc.cluster_id AND s.application = $2
                WHERE rc.rollout_id = $1) m`,
      [rollout.id, rollout.applicationName],
    );
    return (JSON.parse(row.members) as MemberJson[]).map((m) => toMember(memberFromJson(m)));
  }

  /**
   * {@link clusters} of many rollouts in one statement, by rollout id (an unknown id has none).
   * Each rollout's members come as one JSON array: one JSON.parse of it costs the hub a fraction of
   * decoding a thousand rows of 25 columns one by one (bench/README.md: GraphQL profiles).
   */
  async clustersOf(ids: readonly string[]): Promise<Map<string, RolloutClusterRecord[]>> {
    const rows = await this.transactions.manager.query<{ rollout_id: string; members: string }[]>(
      `SELECT m.rollout_id, json_agg(m ORDER BY m.cluster_name)::text AS members
         FROM (SELECT ${MEMBER_COLUMNS}
                 FROM rollout_cluster rc
                 JOIN cluster c ON c.id = rc.cluster_id
                 JOIN rollout r ON r.id = rc.rollout_id
                 JOIN application a ON a.id = r.application_id
                 LEFT JOIN cluster_bundle_status s ON s.cluster_id = rc.cluster_id AND s.application = a.name
                WHERE rc.rollout_id = ANY($1::uuid[])) m
        GROUP BY m.rollout_id`,
      [ids],
    );
    const byRollout = new Map(ids.map((id) => [id, [] as RolloutClusterRecord[]]));
    for (const row of rows) {
      const members = (JSON.parse(row.members) as MemberJson[]).map((m) => toMember(memberFromJson(m)));
      byRollout.set(row.rollout_id, members);
    }
    return byRollout;
  }

  /**
   * Persists one engine decision. Assigning records what the cluster had before (for rollbacks)
   * and returns the assigned clusters, whose cluster_assignment rows the caller updates.
   */
  async writeDecision(tx: EntityManager, write: DecisionWrite): Promise<void> {
    const { rollout, now } = write;
    if (write.assign.length > 0) {
      await tx.query(
        `UPDATE rollout_cluster rc
            SET digest_assigned = rc.target_digest, assigned_at = $3,
                -- what the cluster ran before this rollout (a retry keeps the first answer)
                previous_digest = CASE WHEN ca.rollout_id = rc.rollout_id THEN rc.previous_digest ELSE ca.digest END,
                previous_commit = CASE WHEN ca.rollout_id = rc.rollout_id THEN rc.previous_commit ELSE ca.commit END
           FROM unnest($2::uuid[]) AS v(cluster_id)
           LEFT JOIN cluster_assignment ca ON ca.cluster_id = v.cluster_id AND ca.application_id = $4
          WHERE rc.rollout_id = $1 AND rc.cluster_id = v.cluster_id`,
        [rollout.id, write.assign.map((a) => a.clusterId), now, rollout.applicationId],
      );
    }
    const flag = async (column: 'timed_out' | 'skipped' | 'offline_failed', ids: string[]) => {
      if (ids.length === 0) return;
      await tx.query(
        `UPDATE rollout_cluster SET ${column} = true WHERE rollout_id = $1 AND cluster_id = ANY($2::uuid[])`,
        [rollout.id, ids],
      );
    };
    await flag('timed_out', write.markTimedOut);
    await flag('skipped', write.markSkipped);
    await flag('offline_failed', write.markOfflineFailed);
    for (const stamp of write.waveStamps) {
      await tx.query(
        `UPDATE rollout_wave SET started_at = COALESCE(started_at, $3), healthy_at = COALESCE(healthy_at, $4)
          WHERE rollout_id = $1 AND index = $2`,
        [rollout.id, stamp.wave, stamp.startedAt ?? null, stamp.healthyAt ?? null],
      );
    }
    await tx.query(
      `UPDATE rollout SET state = $2, current_wave = $3, summary = $4, message = COALESCE($5, message),
              updated_at = $6, finished_at = CASE WHEN $7 THEN COALESCE(finished_at, $6) ELSE finished_at END
        WHERE id = $1`,
      [
        rollout.id,
        write.state,
        write.currentWave,
        JSON.stringify(write.summary),
        write.message,
        now,
        isFinished(write.state),
      ],
    );
    if (isFinished(write.state)) await this.freezeReports(tx, rollout.id, now);
  }

  /** A control mutation's state change (pause, resume, abort, supersede, rolled back). */
  async setState(
    tx: EntityManager,
    id: string,
    change: {
      state: RolloutState;
      paused?: boolean;
      resumedAt?: Date;
      message?: string;
      rolledBackBy?: string;
    },
    now: Date,
  ): Promise<void> {
    await tx.query(
      `UPDATE rollout SET state = $2, paused = COALESCE($3, paused), resumed_at = COALESCE($4, resumed_at),
              message = COALESCE($5, message), rolled_back_by = COALESCE($6, rolled_back_by), updated_at = $7,
              finished_at = CASE WHEN $8 THEN COALESCE(finished_at, $7) ELSE NULL END
        WHERE id = $1`,
      [
        id,
        change.state,
        change.paused ?? null,
        change.resumedAt ?? null,
        change.message ?? null,
        change.rolledBackBy ?? null,
        now,
        isFinished(change.state),
      ],
    );
    if (isFinished(change.state)) await this.freezeReports(tx, id, now);
    else
      await tx.query(
        `UPDATE rollout_cluster SET final_at = NULL WHERE rollout_id = $1 AND final_at IS NOT NULL`,
        [id],
      );
  }

  /**
   * When a rollout finishes, each member keeps the status report its cluster had then (none: all
   * null): its phase in the finished rollout no longer follows the cluster, which may move on to
   * another revision, be withdrawn from the application, or the application be deleted. Members
   * already frozen keep theirs.
   */
  private async freezeReports(tx: EntityManager, rolloutId: string, now: Date): Promise<void> {
    await tx.query(
      `UPDATE rollout_cluster rc
          SET final_at = $2, final_digest = f.digest, final_phase = f.phase,
              final_reported_at = f.updated_at, final_failing = f.failing
         FROM (SELECT x.cluster_id, s.digest, s.phase, s.updated_at, s.failing
                 FROM rollout_cluster x
                 JOIN rollout r ON r.id = x.rollout_id
                 JOIN application a ON a.id = r.application_id
                 LEFT JOIN cluster_bundle_status s ON s.cluster_id = x.cluster_id AND s.application = a.name
                WHERE x.rollout_id = $1) f
        WHERE rc.rollout_id = $1 AND rc.cluster_id = f.cluster_id AND rc.final_at IS NULL`,
      [rolloutId, now],
    );
  }

  /**
   * Succeeded rollouts still watched at `now` (finished less than their plan's watchSeconds ago),
   * optionally only those with one of `clusterIds` as a member.
   */
  async watchedIds(now: Date, clusterIds?: readonly string[]): Promise<string[]> {
    if (clusterIds !== undefined && clusterIds.length === 0) return [];
    const rows = await this.transactions.manager.query<{ id: string }[]>(
      `SELECT r.id FROM rollout r
        WHERE r.state = 'Succeeded' AND r.finished_at IS NOT NULL
          AND jsonb_typeof(r.plan->'watchSeconds') = 'number'
          AND r.finished_at + make_interval(secs => (r.plan->>'watchSeconds')::int) > $1
          AND ($2::uuid[] IS NULL
               OR EXISTS (SELECT 1 FROM rollout_cluster rc WHERE rc.rollout_id = r.id AND rc.cluster_id = ANY($2::uuid[])))`,
      [now, clusterIds ?? null],
    );
    return rows.map((r) => r.id);
  }

  /** The changed members of a finished rollout with their clusters' live reports (not the frozen ones). */
  async watchedClusters(
    tx: EntityManager,
    rollout: Pick<RolloutRecord, 'id' | 'applicationName'>,
  ): Promise<WatchedCluster[]> {
    const rows = await tx.query<
      {
        cluster_id: string;
        cluster_name: string;
        target_digest: string | null;
        status: ClusterStatus;
        digest: string | null;
        phase: ReportedPhase | null;
        ready: number | null;
        total: number | null;
      }[]
    >(
      `SELECT rc.cluster_id, rc.cluster_name, rc.target_digest, c.status, s.digest, s.phase, s.ready, s.total
         FROM rollout_cluster rc
         JOIN cluster c ON c.id = rc.cluster_id
         LEFT JOIN cluster_bundle_status s ON s.cluster_id = rc.cluster_id AND s.application = $2
        WHERE rc.rollout_id = $1 AND rc.digest_assigned IS NOT NULL
        ORDER BY rc.cluster_name`,
      [rollout.id, rollout.applicationName],
    );
    return rows.map((r) => ({
      clusterId: r.cluster_id,
      name: r.cluster_name,
      targetDigest: r.target_digest,
      reported:
        r.digest !== null && r.phase !== null
          ? { digest: r.digest, phase: r.phase, ready: r.ready ?? 0, total: r.total ?? 0 }
          : null,
      clusterStatus: r.status,
    }));
  }

  /** Appends clusters that degraded while the rollout was watched (the caller holds its lock). */
  async recordDegradations(tx: EntityManager, id: string, found: readonly Degradation[]): Promise<void> {
    await tx.query(`UPDATE rollout SET watch_degraded = watch_degraded || $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify(found),
    ]);
  }

  async markRolledBackBy(tx: EntityManager, id: string, rollbackId: string): Promise<void> {
    await tx.query(`UPDATE rollout SET rolled_back_by = $2 WHERE id = $1`, [id, rollbackId]);
  }

  async approveWave(tx: EntityManager, id: string, index: number, actor: string, now: Date): Promise<void> {
    await tx.query(
      `UPDATE rollout_wave SET approved_at = COALESCE(approved_at, $3), approved_by = COALESCE(approved_by, $4)
        WHERE rollout_id = $1 AND index = $2`,
      [id, index, now, actor],
    );
  }

  /** retryCluster: forget the outcome so the engine assigns it again; older reports stop counting. */
  async resetCluster(tx: EntityManager, id: string, clusterId: string, now: Date): Promise<void> {
    await tx.query(
      `UPDATE rollout_cluster SET digest_assigned = NULL, assigned_at = NULL, timed_out = false, offline_failed = false,
              skipped = false, retried_at = $3
        WHERE rollout_id = $1 AND cluster_id = $2`,
      [id, clusterId, now],
    );
  }

  async skipCluster(tx: EntityManager, id: string, clusterId: string): Promise<void> {
    await tx.query(`UPDATE rollout_cluster SET skipped = true WHERE rollout_id = $1 AND cluster_id = $2`, [
      id,
      clusterId,
    ]);
  }
}

interface ViewRow extends RolloutRow, Record<string, unknown> {
  waves: {
    index: number;
    name: string;
    started_at: string | null;
    healthy_at: string | null;
    approved_at: string | null;
    approved_by: string | null;
  }[];
}

interface PageRow {
  scope_id: string | null;
  total: number;
  cursor_found: boolean;
}

interface MemberRow {
  rollout_id: string;
  cluster_id: string;
  cluster_name: string;
  wave: string;
  target_digest: string | null;
  target_commit: string | null;
  digest_assigned: string | null;
  assigned_at: Date | null;
  previous_digest: string | null;
  previous_commit: string | null;
  skipped: boolean;
  timed_out: boolean;
  offline_failed: boolean;
  retried_at: Date | null;
  status: ClusterStatus;
  cordoned: boolean;
  last_heartbeat_at: Date | null;
  labels: Record<string, string>;
  maintenance_reason: string | null;
  maintenance_since: Date | null;
  reported_digest: string | null;
  reported_phase: ReportedPhase | null;
  reported_at: Date | null;
  failing: { id: string; reason: string; message: string }[] | null;
}

function toView(row: ViewRow): RolloutView {
  const date = dateFromJson;
  return {
    rollout: toRollout(row),
    waves: row.waves.map((w) => ({
      index: w.index,
      name: w.name,
      startedAt: date(w.started_at),
      healthyAt: date(w.healthy_at),
      approvedAt: date(w.approved_at),
      approvedBy: w.approved_by,
    })),
    application: applicationFromRow(row, 'app_'),
    revision: revisionInfoFromRow(row, 'rev_'),
  };
}

/** A MemberRow as JSON carries it: timestamps as ISO text. */
type MemberJson = Omit<
  MemberRow,
  'assigned_at' | 'retried_at' | 'last_heartbeat_at' | 'maintenance_since' | 'reported_at'
> & {
  assigned_at: string | null;
  retried_at: string | null;
  last_heartbeat_at: string | null;
  maintenance_since: string | null;
  reported_at: string | null;
};

function memberFromJson(m: MemberJson): MemberRow {
  const date = dateFromJson;
  return {
    ...m,
    assigned_at: date(m.assigned_at),
    retried_at: date(m.retried_at),
    last_heartbeat_at: date(m.last_heartbeat_at),
    maintenance_since: date(m.maintenance_since),
    reported_at: date(m.reported_at),
  };
}

function toMember(r: MemberRow): RolloutClusterRecord {
  return {
    clusterId: r.cluster_id,
    name: r.cluster_name,
    wave: r.wave,
    targetDigest: r.target_digest,
    targetCommit: r.target_commit,
    digestAssigned: r.digest_assigned,
    assignedAt: r.assigned_at,
    previousDigest: r.previous_digest,
    previousCommit: r.previous_commit,
    reported:
      r.reported_digest !== null && r.reported_phase !== null && r.reported_at !== null
        ? { digest: r.reported_digest, phase: r.reported_phase, at: r.reported_at }
        : null,
    failing: r.failing ?? [],
    clusterStatus: r.status,
    clusterStatusSince: r.last_heartbeat_at,
    cordoned: r.cordoned,
    skipped: r.skipped,
    timedOut: r.timed_out,
    offlineFailed: r.offline_failed,
    retriedAt: r.retried_at,
    maintenance: maintenanceFrom(r.maintenance_reason, r.maintenance_since),
    labels: r.labels,
  };
}

function toRollout(row: RolloutRow): RolloutRecord {
  return {
    id: row.id,
    applicationId: row.application_id,
    applicationName: row.application_name,
    commit: row.commit,
    kind: row.kind,
    rollbackOf: row.rollback_of,
    rolledBackBy: row.rolled_back_by,
    state: row.state,
    paused: row.paused,
    resumedAt: row.resumed_at,
    currentWave: row.current_wave,
    plan: row.plan,
    createdBy: row.created_by,
    message: row.message,
    summary: row.summary,
    freezeOverriddenBy: row.freeze_overridden_by,
    watchDegraded: row.watch_degraded.map((d) => ({ ...d, at: new Date(d.at) })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
