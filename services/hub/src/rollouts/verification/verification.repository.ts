import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type CheckJob, type CheckJobOutcome } from '@fleetwave/contracts';
import { Transactions } from '../../database/transactions.js';
import { ACTIVE_STATES } from '../engine/index.js';
import { type RunRecord } from '../engine/verification/wave-state.js';

/** One recorded attempt, as GraphQL and the CLI show it. */
export interface VerificationRunRecord extends RunRecord {
  id: string;
  rolloutId: string;
  startedAt: Date;
  durationMs: number | null;
  /** Until when the replica running (or retrying) this attempt holds it; null: nobody. */
  leaseUntil: Date | null;
}

export interface NewRun {
  rolloutId: string;
  wave: string;
  checkName: string;
  kind: string;
  target: string;
  attempt: number;
  startedAt: Date;
  /** The replica recording it holds it until then (renewed while it runs or waits to retry). */
  lease: { by: string; until: Date };
}

interface RunRow {
  id: string;
  rollout_id: string;
  wave: string;
  check_name: string;
  kind: string;
  target: string;
  attempt: number;
  final: boolean;
  result: RunRecord['result'];
  message: string;
  started_at: Date;
  finished_at: Date | null;
  duration_ms: number | null;
  lease_until: Date | null;
}

const COLUMNS = `id, rollout_id, wave, check_name, kind, target, attempt, final, result, message, started_at,
  finished_at, duration_ms, lease_until`;

/** The only place verification runs touch the database. */
@Injectable()
export class VerificationRepository implements AgentJobsStore {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  /** Every attempt of a rollout's checks, oldest first. */
  async runs(
    rolloutId: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<VerificationRunRecord[]> {
    const rows = await tx.query<RunRow[]>(
      `SELECT ${COLUMNS} FROM verification_runs WHERE rollout_id = $1 ORDER BY id`,
      [rolloutId],
    );
    return rows.map(toRecord);
  }

  /** {@link runs} of many rollouts in one statement, by rollout id. */
  async runsOf(ids: readonly string[]): Promise<Map<string, VerificationRunRecord[]>> {
    const rows = await this.transactions.manager.query<RunRow[]>(
      `SELECT ${COLUMNS} FROM verification_runs WHERE rollout_id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    const out = new Map<string, VerificationRunRecord[]>();
    for (const row of rows) {
      const record = toRecord(row);
      out.set(record.rolloutId, [...(out.get(record.rolloutId) ?? []), record]);
    }
    return out;
  }

  /** Records attempts as started; an attempt recorded already (another replica) is not started again. */
  async start(runs: readonly NewRun[], tx: EntityManager = this.transactions.manager): Promise<string[]> {
    const ids: string[] = [];
    for (const run of runs) {
      const rows = await tx.query<{ id: string }[]>(
        `INSERT INTO verification_runs
           (rollout_id, wave, check_name, kind, target, attempt, started_at, leased_by, lease_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT ON CONSTRAINT verification_runs_once DO NOTHING
         RETURNING id`,
        [
          run.rolloutId,
          run.wave,
          run.checkName,
          run.kind,
          run.target,
          run.attempt,
          run.startedAt,
          run.lease.by,
          run.lease.until,
        ],
      );
      if (rows[0] !== undefined) ids.push(rows[0].id);
    }
    return ids;
  }

  /**
   * Takes over an attempt whose lease ran out at `now` (its replica died or stopped): true when this
   * replica now holds it until `until`, false when another holds it or it settled.
   */
  async claim(id: string, by: string, now: Date, until: Date): Promise<boolean> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows] = await this.transactions.manager.query<[{ id: string }[], number]>(
      `UPDATE verification_runs SET leased_by = $2, lease_until = $4
        WHERE id = $1 AND (lease_until IS NULL OR lease_until <= $3)
          AND (result IS NULL OR (result <> 'passed' AND NOT final))
        RETURNING id`,
      [id, by, now, until],
    );
    return rows.length > 0;
  }

  /** Keeps this replica's hold on attempts it runs or retries. */
  async renew(ids: readonly string[], by: string, until: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.transactions.manager.query(
      `UPDATE verification_runs SET lease_until = $3 WHERE id = ANY($1::bigint[]) AND leased_by = $2`,
      [ids, by, until],
    );
  }

  /** Asks the attempt's cluster to run `job` (its agent finds it with {@link pendingJobs}). */
  async requestJob(id: string, job: CheckJob): Promise<void> {
    await this.transactions.manager.query(`UPDATE verification_runs SET job = $2 WHERE id = $1`, [
      id,
      JSON.stringify(job),
    ]);
  }

  async jobOutcome(id: string): Promise<CheckJobOutcome | null> {
    const rows = await this.transactions.manager.query<{ job_outcome: CheckJobOutcome | null }[]>(
      `SELECT job_outcome FROM verification_runs WHERE id = $1`,
      [id],
    );
    return rows[0]?.job_outcome ?? null;
  }

  /** The Jobs a cluster should run: asked of it, not reported, not settled, of a rollout still going. */
  async pendingJobs(clusterName: string): Promise<CheckJob[]> {
    const rows = await this.transactions.manager.query<{ job: CheckJob }[]>(
      `SELECT v.job FROM verification_runs v JOIN rollout r ON r.id = v.rollout_id
        WHERE v.target = $1 AND v.job IS NOT NULL AND v.result IS NULL AND v.job_outcome IS NULL
          AND r.state = ANY($2::text[])
        ORDER BY v.id LIMIT 100`,
      [clusterName, ACTIVE_STATES],
    );
    return rows.map((row) => row.job);
  }

  /** Records what the cluster's agent reports of a Job; false when nobody waits for it (any more). */
  async reportJob(clusterName: string, id: string, outcome: CheckJobOutcome): Promise<boolean> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [rows] = await this.transactions.manager.query<[{ id: string }[], number]>(
      `UPDATE verification_runs SET job_outcome = $3
        WHERE id = $1 AND target = $2 AND job IS NOT NULL AND result IS NULL AND job_outcome IS NULL
        RETURNING id`,
      [id, clusterName, JSON.stringify(outcome)],
    );
    return rows.length > 0;
  }

  async finish(
    tx: EntityManager,
    id: string,
    outcome: { result: 'passed' | 'failed' | 'error'; message: string; final: boolean; finishedAt: Date },
  ): Promise<void> {
    await tx.query(
      `UPDATE verification_runs
          SET result = $2, message = $3, final = $4, finished_at = $5,
              duration_ms = GREATEST(0, (EXTRACT(EPOCH FROM ($5::timestamptz - started_at)) * 1000)::integer)
        WHERE id = $1`,
      [id, outcome.result, outcome.message.slice(0, 2000), outcome.final, outcome.finishedAt],
    );
  }
}

/** Agent-run attempts (`job` checks): the Job asked of a cluster and the outcome its agent reported. */
export interface AgentJobsStore {
  requestJob(id: string, job: CheckJob): Promise<void>;
  jobOutcome(id: string): Promise<CheckJobOutcome | null>;
}

function toRecord(row: RunRow): VerificationRunRecord {
  return {
    id: String(row.id),
    rolloutId: row.rollout_id,
    wave: row.wave,
    checkName: row.check_name,
    kind: row.kind,
    target: row.target,
    attempt: row.attempt,
    final: row.final,
    result: row.result,
    message: row.message,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    leaseUntil: row.lease_until,
  };
}
