import { Inject, Injectable } from '@nestjs/common';
import {
  type Assignment,
  type AssignmentsResponse,
  type DeletionPolicy,
  type HealthCheck,
  type ObjectBounds,
  type RecreatePolicy,
  type Withdrawal,
} from '@fleetwave/contracts';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { queueWakeups } from './assignment-notifier.js';

export interface AssignmentWrite {
  clusterId: string;
  digest: string;
  commit: string;
  progressDeadlineSeconds: number;
}

/** Why a placement ended (the engine's WITHDRAWAL_REASONS). */
export type WithdrawalReason = 'labels' | 'target' | 'deregistered' | 'deleted';

/** A tombstone: an application withdrawn from a cluster, until the cluster's report confirms it. */
export interface WithdrawalRecord {
  clusterId: string;
  clusterName: string;
  applicationId: string;
  application: string;
  deletionPolicy: DeletionPolicy;
  reason: WithdrawalReason;
  actor: string;
  since: Date;
}

/** A tombstone a cluster's report confirmed (and which is gone now). */
export type ConfirmedRemoval = Omit<WithdrawalRecord, 'clusterName' | 'actor' | 'since'>;

export interface WithdrawalWrite {
  clusterId: string;
  reason: WithdrawalReason;
  deletionPolicy: DeletionPolicy;
}

/** A cluster assigned an application, as the withdrawal decision reads it. */
export interface AssignedCluster {
  clusterId: string;
  labels: Record<string, string>;
  /** Set while the cluster is being deregistered: the policy its withdrawals take. */
  deregistrationPolicy: DeletionPolicy | null;
  assignedAt: Date;
}

interface WithdrawalRow {
  cluster_id: string;
  cluster_name: string;
  application_id: string;
  application_name: string;
  deletion_policy: DeletionPolicy;
  reason: WithdrawalReason;
  actor: string;
  withdrawn_at: Date;
}

const WITHDRAWAL_SELECT = `SELECT w.cluster_id, c.name AS cluster_name, w.application_id, w.application_name,
       w.deletion_policy, w.reason, w.actor, w.withdrawn_at
  FROM placement_withdrawal w JOIN cluster c ON c.id = w.cluster_id`;

/**
 * The only code that touches cluster_assignment (what each cluster must run now), placement_withdrawal
 * (what each cluster must remove: tombstones) and the cluster's assignment_generation, which moves
 * with every change so long-polling agents notice. An application leaves a cluster only through a
 * tombstone: the assignment row is deleted and the tombstone written in one transaction.
 */
@Injectable()
export class AssignmentsRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  /** The cluster's assignment generation alone (the long-poll's hot path); null when it is gone. */
  async generation(clusterId: string): Promise<number | null> {
    const rows = await this.transactions.manager.query<{ assignment_generation: string }[]>(
      `SELECT assignment_generation FROM cluster WHERE id = $1`,
      [clusterId],
    );
    return rows[0] ? Number(rows[0].assignment_generation) : null;
  }

  /**
   * The generation, the assignments and the withdrawals, read in one statement so they always belong
   * together. An application is never in both (assigning deletes its tombstone, withdrawing its
   * assignment); one in neither is left alone by the agent.
   */
  async forCluster(clusterId: string): Promise<AssignmentsResponse | null> {
    const rows = await this.transactions.manager.query<
      {
        generation: string;
        withdrawals: Withdrawal[];
        application: string | null;
        digest: string | null;
        commit: string | null;
        default_namespace: string | null;
        prune: boolean | null;
        allow_empty: boolean | null;
        health_checks: HealthCheck[] | null;
        recreate: RecreatePolicy | null;
        progress_deadline_seconds: number | null;
        bounds: ObjectBounds | null;
      }[]
    >(
      `SELECT c.assignment_generation AS generation,
              (SELECT coalesce(json_agg(json_build_object('application', w.application_name,
                                                          'deletionPolicy', w.deletion_policy)
                                        ORDER BY w.application_name), '[]'::json)
                 FROM placement_withdrawal w WHERE w.cluster_id = c.id) AS withdrawals,
              a.name AS application, ca.digest, ca.commit,
              -- A chart renders for its release namespace (default: default), as helm install does: objects
              -- its templates leave without one go there.
              coalesce(a.default_namespace,
                       CASE WHEN r.renderer_kind = 'helm' OR r.chart_name IS NOT NULL THEN 'default' END)
                AS default_namespace,
              a.prune, a.allow_empty, a.health_checks, a.recreate, ca.progress_deadline_seconds,
              -- The project's object bounds, which the agent enforces again (docs/projects.md).
              CASE WHEN p.name IS NOT NULL THEN json_build_object('namespaces', p.namespaces, 'kinds', p.kinds,
                                                                 'clusterKinds', p.cluster_kinds) END AS bounds
         FROM cluster c
         LEFT JOIN cluster_assignment ca ON ca.cluster_id = c.id
         LEFT JOIN application a ON a.id = ca.application_id
         LEFT JOIN project p ON p.name = a.project
         LEFT JOIN revision r ON r.application_id = ca.application_id AND r.commit = ca.commit
        WHERE c.id = $1
        ORDER BY a.name`,
      [clusterId],
    );
    if (rows.length === 0) return null;
    const assignments: Assignment[] = [];
    for (const row of rows) {
      if (row.application === null || row.digest === null || row.commit === null) continue;
      const assignment: Assignment = {
        application: row.application,
        digest: row.digest,
        commit: row.commit,
        prune: row.prune ?? true,
        allowEmpty: row.allow_empty ?? false,
        progressDeadlineSeconds: row.progress_deadline_seconds ?? 600,
        healthChecks: row.health_checks ?? [],
        recreate: row.recreate ?? 'annotated',
      };
      if (row.default_namespace !== null) assignment.defaultNamespace = row.default_namespace;
      if (row.bounds !== null) assignment.bounds = row.bounds;
      assignments.push(assignment);
    }
    return { generation: Number(rows[0]!.generation), assignments, withdrawals: rows[0]!.withdrawals };
  }

  /** Whether the digest is (or was, in a rollout) meant for this cluster: agents fetch only their own. */
  async isDigestForCluster(clusterId: string, digest: string): Promise<boolean> {
    const rows = await this.transactions.manager.query<unknown[]>(
      `SELECT 1 FROM cluster_assignment WHERE cluster_id = $1 AND digest = $2
       UNION ALL
       SELECT 1 FROM rollout_cluster WHERE cluster_id = $1 AND target_digest = $2
       LIMIT 1`,
      [clusterId, digest],
    );
    return rows.length > 0;
  }

  /** Which of `digests` the cluster may read (the batch form of {@link isDigestForCluster}). */
  async digestsForCluster(clusterId: string, digests: readonly string[]): Promise<Set<string>> {
    const rows = await this.transactions.manager.query<{ digest: string }[]>(
      `SELECT digest FROM cluster_assignment WHERE cluster_id = $1 AND digest = ANY($2::text[])
       UNION
       SELECT target_digest FROM rollout_cluster WHERE cluster_id = $1 AND target_digest = ANY($2::text[])`,
      [clusterId, digests],
    );
    return new Set(rows.map((r) => r.digest));
  }

  /**
   * Points the clusters at new digests of one application and bumps their generations. A cluster
   * that came back into the placement before confirming a withdrawal of the application loses that
   * tombstone here: it is assigned again instead.
   */
  async assign(
    tx: EntityManager,
    applicationId: string,
    rolloutId: string,
    writes: readonly AssignmentWrite[],
    now: Date,
  ): Promise<void> {
    if (writes.length === 0) return;
    const sorted = [...writes].sort((a, b) => (a.clusterId < b.clusterId ? -1 : 1));
    const ids = sorted.map((w) => w.clusterId);
    await this.bumpGenerations(tx, ids);
    await tx.query(
      `INSERT INTO cluster_assignment (cluster_id, application_id, digest, commit, rollout_id, progress_deadline_seconds, assigned_at)
       SELECT c, $1, d, t, $3, p, $4 FROM unnest($2::uuid[], $5::text[], $6::text[], $7::int[]) AS v(c, d, t, p)
       ON CONFLICT (cluster_id, application_id) DO UPDATE
         SET digest = EXCLUDED.digest, commit = EXCLUDED.commit, rollout_id = EXCLUDED.rollout_id,
             progress_deadline_seconds = EXCLUDED.progress_deadline_seconds, assigned_at = EXCLUDED.assigned_at`,
      [
        applicationId,
        ids,
        rolloutId,
        now,
        sorted.map((w) => w.digest),
        sorted.map((w) => w.commit),
        sorted.map((w) => w.progressDeadlineSeconds),
      ],
    );
    await tx.query(
      `DELETE FROM placement_withdrawal WHERE application_id = $1 AND cluster_id = ANY($2::uuid[])`,
      [applicationId, ids],
    );
  }

  /**
   * Withdraws one application from clusters: their assignment rows go, a tombstone each takes their
   * place (or replaces an older tombstone's policy and reason), generations move. Returns the clusters'
   * names by id; the caller notifies and audits.
   */
  async withdraw(
    tx: EntityManager,
    application: { id: string; name: string },
    writes: readonly WithdrawalWrite[],
    actor: string,
    now: Date,
  ): Promise<Map<string, string>> {
    if (writes.length === 0) return new Map();
    const sorted = [...writes].sort((a, b) => (a.clusterId < b.clusterId ? -1 : 1));
    const ids = sorted.map((w) => w.clusterId);
    const names = await this.bumpGenerations(tx, ids);
    await tx.query(
      `DELETE FROM cluster_assignment WHERE application_id = $1 AND cluster_id = ANY($2::uuid[])`,
      [application.id, ids],
    );
    await tx.query(
      `INSERT INTO placement_withdrawal (cluster_id, application_id, application_name, deletion_policy, reason, actor, withdrawn_at)
       SELECT c, $1, $2, p, r, $3, $4 FROM unnest($5::uuid[], $6::text[], $7::text[]) AS v(c, p, r)
       ON CONFLICT (cluster_id, application_id) DO UPDATE
         SET deletion_policy = EXCLUDED.deletion_policy, reason = EXCLUDED.reason, actor = EXCLUDED.actor`,
      [
        application.id,
        application.name,
        actor,
        now,
        ids,
        sorted.map((w) => w.deletionPolicy),
        sorted.map((w) => w.reason),
      ],
    );
    return names;
  }

  /**
   * A status report listed these applications in `removed`: their tombstones on the cluster go
   * (names without one are ignored) and the generations of the clusters that had one move. Returns
   * the tombstones deleted.
   */
  async confirmRemoved(
    tx: EntityManager,
    removed: readonly { clusterId: string; applications: readonly string[] }[],
  ): Promise<ConfirmedRemoval[]> {
    const pairs = removed.flatMap((r) => r.applications.map((name) => [r.clusterId, name] as const));
    if (pairs.length === 0) return [];
    // TypeORM answers a DELETE … RETURNING with [rows, affected count].
    const [rows] = await tx.query<[Omit<WithdrawalRow, 'cluster_name' | 'actor' | 'withdrawn_at'>[], number]>(
      `DELETE FROM placement_withdrawal w USING unnest($1::uuid[], $2::text[]) AS k(c, n)
        WHERE w.cluster_id = k.c AND w.application_name = k.n
        RETURNING w.cluster_id, w.application_id, w.application_name, w.deletion_policy, w.reason`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    await this.bumpGenerations(tx, [...new Set(rows.map((r) => r.cluster_id))]);
    return rows.map((row) => ({
      clusterId: row.cluster_id,
      applicationId: row.application_id,
      application: row.application_name,
      deletionPolicy: row.deletion_policy,
      reason: row.reason,
    }));
  }

  /** The clusters assigned the application now, with what the withdrawal decision needs of them. */
  async assignedClusters(applicationId: string, tx: EntityManager): Promise<AssignedCluster[]> {
    const rows = await tx.query<
      {
        id: string;
        labels: Record<string, string>;
        deregistration_policy: DeletionPolicy | null;
        assigned_at: Date;
      }[]
    >(
      `SELECT c.id, c.labels, c.deregistration_policy, ca.assigned_at
         FROM cluster_assignment ca JOIN cluster c ON c.id = ca.cluster_id
        WHERE ca.application_id = $1 ORDER BY c.id`,
      [applicationId],
    );
    return rows.map((r) => ({
      clusterId: r.id,
      labels: r.labels,
      deregistrationPolicy: r.deregistration_policy,
      assignedAt: r.assigned_at,
    }));
  }

  /**
   * Applications with a placement that may need withdrawing: assigned to a cluster being
   * deregistered, or assigned anywhere (labels and targets change).
   */
  async assignedApplicationIds(): Promise<string[]> {
    const rows = await this.transactions.manager.query<{ application_id: string }[]>(
      `SELECT DISTINCT application_id FROM cluster_assignment ORDER BY application_id`,
    );
    return rows.map((r) => r.application_id);
  }

  /** How many clusters still have the application assigned or its tombstone unconfirmed. */
  remainingForApplication(applicationId: string, tx: EntityManager): Promise<number> {
    return this.remaining('application_id', applicationId, tx);
  }

  /** How many applications the cluster still has assigned or unconfirmed tombstones of. */
  remainingForCluster(clusterId: string, tx: EntityManager): Promise<number> {
    return this.remaining('cluster_id', clusterId, tx);
  }

  private async remaining(
    column: 'application_id' | 'cluster_id',
    id: string,
    tx: EntityManager,
  ): Promise<number> {
    const [row] = await tx.query<[{ n: number }]>(
      `SELECT (SELECT count(*) FROM cluster_assignment WHERE ${column} = $1)::int
            + (SELECT count(*) FROM placement_withdrawal WHERE ${column} = $1)::int AS n`,
      [id],
    );
    return row.n;
  }

  /** Unconfirmed tombstones of these clusters (GraphQL), oldest first. */
  async withdrawalsOfClusters(clusterIds: readonly string[]): Promise<WithdrawalRecord[]> {
    if (clusterIds.length === 0) return [];
    const rows = await this.transactions.manager.query<WithdrawalRow[]>(
      `${WITHDRAWAL_SELECT} WHERE w.cluster_id = ANY($1::uuid[]) ORDER BY w.withdrawn_at, w.application_name`,
      [clusterIds],
    );
    return rows.map(toWithdrawal);
  }

  /** Unconfirmed tombstones of these applications (GraphQL), oldest first. */
  async withdrawalsOfApplications(applicationIds: readonly string[]): Promise<WithdrawalRecord[]> {
    if (applicationIds.length === 0) return [];
    const rows = await this.transactions.manager.query<WithdrawalRow[]>(
      `${WITHDRAWAL_SELECT} WHERE w.application_id = ANY($1::uuid[]) ORDER BY w.withdrawn_at, c.name`,
      [applicationIds],
    );
    return rows.map(toWithdrawal);
  }

  /** Per cluster: the commit of the application it is assigned now (clusters never assigned have none). */
  async commitsOf(
    applicationId: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<Map<string, string>> {
    const rows = await tx.query<{ cluster_id: string; commit: string }[]>(
      `SELECT cluster_id, commit FROM cluster_assignment WHERE application_id = $1`,
      [applicationId],
    );
    return new Map(rows.map((r) => [r.cluster_id, r.commit]));
  }

  /** Per cluster: the commit and bundle digest of the application it is assigned now. */
  async bundlesOf(
    applicationId: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<Map<string, { commit: string; digest: string }>> {
    const rows = await tx.query<{ cluster_id: string; commit: string; digest: string }[]>(
      `SELECT cluster_id, commit, digest FROM cluster_assignment WHERE application_id = $1`,
      [applicationId],
    );
    return new Map(rows.map((r) => [r.cluster_id, { commit: r.commit, digest: r.digest }]));
  }

  /** The clusters the application is assigned to now. */
  async clustersOfApplication(tx: EntityManager, applicationId: string): Promise<string[]> {
    const rows = await tx.query<{ cluster_id: string }[]>(
      `SELECT cluster_id FROM cluster_assignment WHERE application_id = $1 ORDER BY cluster_id`,
      [applicationId],
    );
    return rows.map((r) => r.cluster_id);
  }

  /** Returns the names of the clusters (those that exist), by id. */
  async bumpGenerations(tx: EntityManager, clusterIds: readonly string[]): Promise<Map<string, string>> {
    if (clusterIds.length === 0) return new Map();
    // Locked in id order first, like report ingestion: concurrent transactions cannot deadlock on them.
    // NO KEY UPDATE (only non-key columns change) does not conflict with the KEY SHARE locks that
    // inserting rollout_cluster / cluster_assignment rows (foreign keys) takes on the same clusters:
    // with FOR UPDATE, concurrent rollout starts over shared clusters deadlocked.
    const locked = await tx.query<{ id: string; name: string }[]>(
      `SELECT id, name FROM cluster WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [clusterIds],
    );
    await tx.query(
      `UPDATE cluster SET assignment_generation = assignment_generation + 1 WHERE id = ANY($1::uuid[])`,
      [clusterIds],
    );
    await queueWakeups(tx, clusterIds);
    return new Map(locked.map((row) => [row.id, row.name]));
  }
}

function toWithdrawal(row: WithdrawalRow): WithdrawalRecord {
  return {
    clusterId: row.cluster_id,
    clusterName: row.cluster_name,
    applicationId: row.application_id,
    application: row.application_name,
    deletionPolicy: row.deletion_policy,
    reason: row.reason,
    actor: row.actor,
    since: row.withdrawn_at,
  };
}
