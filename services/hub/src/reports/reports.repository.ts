import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ClusterStatus, maintenanceFrom } from '../clusters/cluster.entity.js';
import {
  type BundleStatusChanges,
  type Placement,
  type StoredBundleStatus,
} from './bundle-status-changes.js';
import { type DriftAnnouncements, type DriftIncrease, pairKey } from './drift-count.js';
import { type ClusterLabels, type LabelChange } from './fact-label-changes.js';
import { type ClusterUpdate, type StoredMaintenance } from './report-fold.js';
import { type ClusterReportState } from './report-judge.js';

/** What ingestion needs of a locked cluster row: to judge reports, and to see what they change. */
export type LockedCluster = ClusterReportState & {
  status: ClusterStatus;
  maintenance: StoredMaintenance | null;
};

export interface StatusChange {
  clusterId: string;
  before: ClusterStatus;
  after: ClusterStatus;
}

/**
 * Report ingestion's only SQL. Each call is one statement whatever the batch size (unnest of
 * arrays), and all of them run in the consumer's one transaction per batch.
 */
/**
 * The heartbeat sweeper's statement ($1: silent since → Unknown, $2: → Offline): one pass over the
 * clusters still counted live. Exported for the simulator, which times it at 10,000 clusters.
 */
export const MARK_SILENT_CLUSTERS = `WITH silent AS (
         SELECT id, status AS before,
                CASE WHEN coalesce(last_heartbeat_at, created_at) < $2 THEN 'Offline' ELSE 'Unknown' END AS after
           FROM cluster
          WHERE status IN ('Ready', 'NotReady', 'Unknown')
            AND coalesce(last_heartbeat_at, created_at) < $1
          FOR NO KEY UPDATE SKIP LOCKED)
       UPDATE cluster c SET status = s.after, updated_at = now()
         FROM silent s
        WHERE c.id = s.id AND s.before <> s.after
       RETURNING c.id, s.before, s.after`;

@Injectable()
export class ReportsRepository {
  /** Locks the clusters' rows for the batch; a concurrent deregistration waits or wins cleanly. */
  async lockStates(tx: EntityManager, ids: string[]): Promise<Map<string, LockedCluster>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.query<
      {
        id: string;
        signing_key: string | null;
        previous_signing_key: string | null;
        credential_expires_at: Date | null;
        credential_revoked_at: Date | null;
        previous_valid_until: Date | null;
        last_seq: string;
        status: ClusterStatus;
        maintenance_reason: string | null;
        maintenance_since: Date | null;
      }[]
    >(
      // NO KEY UPDATE: see AssignmentsRepository.bumpGenerations (foreign-key inserts are not blocked).
      `SELECT id, signing_key, previous_signing_key, credential_expires_at, credential_revoked_at,
              previous_valid_until, last_seq, status, maintenance_reason, maintenance_since
         FROM cluster WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          signingKey: r.signing_key,
          previousSigningKey: r.previous_signing_key,
          credential: {
            expiresAt: r.credential_expires_at,
            revokedAt: r.credential_revoked_at,
            previousValidUntil: r.previous_valid_until,
          },
          lastSeq: Number(r.last_seq),
          status: r.status,
          maintenance: maintenanceFrom(r.maintenance_reason, r.maintenance_since),
        },
      ]),
    );
  }

  async applyClusterUpdates(tx: EntityManager, updates: ClusterUpdate[], seenAt: Date): Promise<void> {
    if (updates.length === 0) return;
    await tx.query(
      `UPDATE cluster AS c
          SET last_seq = v.seq,
              status = v.status,
              facts = COALESCE(v.facts, c.facts),
              agent_version = v.agent_version,
              maintenance_reason = v.maintenance_reason,
              maintenance_since = v.maintenance_since,
              last_heartbeat_at = $6,
              updated_at = now()
         FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::jsonb[], $5::text[], $7::text[], $8::timestamptz[])
              AS v(id, seq, status, facts, agent_version, maintenance_reason, maintenance_since)
        WHERE c.id = v.id AND c.last_seq < v.seq`,
      [
        updates.map((u) => u.clusterId),
        updates.map((u) => u.seq),
        updates.map((u) => u.status),
        updates.map((u) => (u.facts ? JSON.stringify(u.facts) : null)),
        updates.map((u) => u.agentVersion),
        seenAt,
        updates.map((u) => u.maintenance?.reason ?? null),
        updates.map((u) => u.maintenance?.since ?? null),
      ],
    );
  }

  /** The labels of clusters this batch holds locked (`lockStates`), for their fact labels. */
  async currentLabels(tx: EntityManager, ids: string[]): Promise<Map<string, ClusterLabels>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.query<{ id: string; name: string; labels: Record<string, string> }[]>(
      `SELECT id, name, labels FROM cluster WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { name: r.name, labels: r.labels }]));
  }

  async applyLabelChanges(tx: EntityManager, changes: LabelChange[]): Promise<void> {
    if (changes.length === 0) return;
    await tx.query(
      `UPDATE cluster AS c SET labels = v.labels, updated_at = now()
         FROM unnest($1::uuid[], $2::jsonb[]) AS v(id, labels)
        WHERE c.id = v.id`,
      [changes.map((c) => c.clusterId), changes.map((c) => JSON.stringify(c.after))],
    );
  }

  /** What the clusters last reported per application, before this batch (keyed by `pairKey`). */
  /**
   * Stored statuses of the batch's clusters, by `pairKey`: every one of `ids`' and, for clusters
   * whose stored set this replica knows (`StatusMemo`), only the `pairs` reported with new bytes.
   */
  async storedBundleStatuses(
    tx: EntityManager,
    ids: string[],
    pairs: readonly Placement[] = [],
  ): Promise<Map<string, StoredBundleStatus>> {
    if (ids.length === 0 && pairs.length === 0) return new Map();
    const rows = await tx.query<StoredBundleStatus[]>(
      `SELECT s.cluster_id AS "clusterId", s.application, s.digest, s.commit, s.phase, s.ready, s.total,
              s.failing, s.drift_corrections AS "driftCorrections", s.observed_at AS "observedAt"
         FROM cluster_bundle_status s WHERE s.cluster_id = ANY($1::uuid[])
       UNION ALL
       SELECT s.cluster_id, s.application, s.digest, s.commit, s.phase, s.ready, s.total,
              s.failing, s.drift_corrections, s.observed_at
         FROM cluster_bundle_status s JOIN unnest($2::uuid[], $3::text[]) AS p(cluster_id, application)
           ON s.cluster_id = p.cluster_id AND s.application = p.application`,
      [ids, pairs.map((p) => p.clusterId), pairs.map((p) => p.application)],
    );
    return new Map(rows.map((r) => [pairKey(r.clusterId, r.application), r]));
  }

  /** The event rate limit of the pairs that drifted (their clusters' rows are locked by this batch). */
  async driftAnnouncements(
    tx: EntityManager,
    pairs: DriftIncrease[],
  ): Promise<Map<string, DriftAnnouncements>> {
    if (pairs.length === 0) return new Map();
    const rows = await tx.query<
      { cluster_id: string; application: string; last_event_at: Date | null; unannounced: number }[]
    >(
      `SELECT d.cluster_id, d.application, d.last_event_at, d.unannounced
         FROM placement_drift d JOIN unnest($1::uuid[], $2::text[]) AS p(cluster_id, application)
           ON d.cluster_id = p.cluster_id AND d.application = p.application`,
      [pairs.map((p) => p.clusterId), pairs.map((p) => p.application)],
    );
    return new Map(
      rows.map((r) => [
        pairKey(r.cluster_id, r.application),
        { lastEventAt: r.last_event_at, unannounced: r.unannounced },
      ]),
    );
  }

  /**
   * Adds the batch's drift corrections: totals and rate-limit state per pair, corrections per minute
   * (rows older than an hour deleted: the matrix only sums the last hour). Three statements.
   */
  async recordDrift(
    tx: EntityManager,
    drifts: { increase: DriftIncrease; next: DriftAnnouncements }[],
    now: Date,
  ): Promise<void> {
    if (drifts.length === 0) return;
    const clusters = drifts.map((d) => d.increase.clusterId);
    const applications = drifts.map((d) => d.increase.application);
    const corrections = drifts.map((d) => d.increase.corrections);
    await tx.query(
      `INSERT INTO placement_drift (cluster_id, application, total, last_at, last_event_at, unannounced)
       SELECT v.cluster_id, v.application, v.corrections, $4, v.last_event_at, v.unannounced
         FROM unnest($1::uuid[], $2::text[], $3::int[], $5::timestamptz[], $6::int[])
              AS v(cluster_id, application, corrections, last_event_at, unannounced)
       ON CONFLICT (cluster_id, application) DO UPDATE
          SET total = placement_drift.total + EXCLUDED.total, last_at = EXCLUDED.last_at,
              last_event_at = EXCLUDED.last_event_at, unannounced = EXCLUDED.unannounced`,
      [
        clusters,
        applications,
        corrections,
        now,
        drifts.map((d) => d.next.lastEventAt),
        drifts.map((d) => d.next.unannounced),
      ],
    );
    await tx.query(
      `INSERT INTO placement_drift_minute (cluster_id, application, minute, corrections)
       SELECT v.cluster_id, v.application, date_trunc('minute', $4::timestamptz), v.corrections
         FROM unnest($1::uuid[], $2::text[], $3::int[]) AS v(cluster_id, application, corrections)
       ON CONFLICT (cluster_id, application, minute) DO UPDATE
          SET corrections = placement_drift_minute.corrections + EXCLUDED.corrections`,
      [clusters, applications, corrections, now],
    );
    await tx.query(`DELETE FROM placement_drift_minute WHERE minute < $1::timestamptz - interval '1 hour'`, [
      now,
    ]);
  }

  /** Writes what the batch changed (`bundleStatusChanges`): at most two statements, none if nothing did. */
  async writeBundleStatuses(tx: EntityManager, changes: BundleStatusChanges): Promise<void> {
    const { writes: rows, deletions } = changes;
    if (deletions.length > 0) {
      // Applications a cluster no longer reports are gone from it.
      await tx.query(
        `DELETE FROM cluster_bundle_status s USING unnest($1::uuid[], $2::text[]) AS d(cluster_id, application)
          WHERE s.cluster_id = d.cluster_id AND s.application = d.application`,
        [deletions.map((d) => d.clusterId), deletions.map((d) => d.application)],
      );
    }
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO cluster_bundle_status
              (cluster_id, application, digest, commit, phase, ready, total, failing, drift_corrections, observed_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[],
                            $8::jsonb[], $9::int[], $10::timestamptz[])
       ON CONFLICT (cluster_id, application) DO UPDATE
          SET digest = EXCLUDED.digest, commit = EXCLUDED.commit, phase = EXCLUDED.phase,
              ready = EXCLUDED.ready, total = EXCLUDED.total, failing = EXCLUDED.failing,
              drift_corrections = EXCLUDED.drift_corrections, observed_at = EXCLUDED.observed_at,
              updated_at = now()`,
      [
        rows.map((r) => r.clusterId),
        rows.map((r) => r.application),
        rows.map((r) => r.digest),
        rows.map((r) => r.commit),
        rows.map((r) => r.phase),
        rows.map((r) => r.ready),
        rows.map((r) => r.total),
        rows.map((r) => JSON.stringify(r.failing)),
        rows.map((r) => r.driftCorrections),
        rows.map((r) => r.observedAt),
      ],
    );
  }

  /**
   * The heartbeat sweeper: silent clusters become Unknown, then Offline. One statement, and it
   * returns what changed so the changes are audited and published.
   */
  async markSilentClusters(
    tx: EntityManager,
    unknownBefore: Date,
    offlineBefore: Date,
  ): Promise<StatusChange[]> {
    // For UPDATE … RETURNING the postgres driver answers [rows, affectedCount].
    const [rows] = await tx.query<[{ id: string; before: ClusterStatus; after: ClusterStatus }[], number]>(
      MARK_SILENT_CLUSTERS,
      [unknownBefore, offlineBefore],
    );
    return rows.map((r) => ({ clusterId: r.id, before: r.before, after: r.after }));
  }
}
