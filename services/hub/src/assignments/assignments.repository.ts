import { Inject, Injectable } from '@nestjs/common';
import { type Assignment, type AssignmentsResponse } from '@fleetwave/contracts';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';

export interface AssignmentWrite {
  clusterId: string;
  digest: string;
  commit: string;
  progressDeadlineSeconds: number;
}

/**
 * The only code that touches cluster_assignment (what each cluster must run now) and the cluster's
 * assignment_generation, which moves with every change so long-polling agents notice.
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

  /** The generation and the assignments, read in one statement so they always belong together. */
  async forCluster(clusterId: string): Promise<AssignmentsResponse | null> {
    const rows = await this.transactions.manager.query<
      {
        generation: string;
        application: string | null;
        digest: string | null;
        commit: string | null;
        default_namespace: string | null;
        prune: boolean | null;
        allow_empty: boolean | null;
        progress_deadline_seconds: number | null;
      }[]
    >(
      `SELECT c.assignment_generation AS generation, a.name AS application, ca.digest, ca.commit,
              a.default_namespace, a.prune, a.allow_empty,
              ca.progress_deadline_seconds
         FROM cluster c
         LEFT JOIN cluster_assignment ca ON ca.cluster_id = c.id
         LEFT JOIN application a ON a.id = ca.application_id
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
      };
      if (row.default_namespace !== null) assignment.defaultNamespace = row.default_namespace;
      assignments.push(assignment);
    }
    return { generation: Number(rows[0]!.generation), assignments, withdrawals: [] };
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

  /** Points the clusters at new digests of one application and bumps their generations. */
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

  /** Before an application is deleted: its clusters' generations move (the rows then cascade away). */
  async clustersOfApplication(tx: EntityManager, applicationId: string): Promise<string[]> {
    const rows = await tx.query<{ cluster_id: string }[]>(
      `SELECT cluster_id FROM cluster_assignment WHERE application_id = $1`,
      [applicationId],
    );
    return rows.map((r) => r.cluster_id);
  }

  async bumpGenerations(tx: EntityManager, clusterIds: readonly string[]): Promise<void> {
    if (clusterIds.length === 0) return;
    // Locked in id order first, like report ingestion: concurrent transactions cannot deadlock on them.
    // NO KEY UPDATE (only non-key columns change) does not conflict with the KEY SHARE locks that
    // inserting rollout_cluster / cluster_assignment rows (foreign keys) takes on the same clusters:
    // with FOR UPDATE, concurrent rollout starts over shared clusters deadlocked.
    await tx.query(`SELECT id FROM cluster WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [
      clusterIds,
    ]);
    await tx.query(
      `UPDATE cluster SET assignment_generation = assignment_generation + 1 WHERE id = ANY($1::uuid[])`,
      [clusterIds],
    );
  }
}
