import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { type RevisionVeto } from './revision-veto.js';

interface VetoRow {
  application_id: string;
  commit: string;
  reason: string;
  actor: string;
  vetoed_at: Date;
}

const COLUMNS = 'application_id, commit, reason, actor, vetoed_at';

/** The only code that queries revision_veto. */
@Injectable()
export class RevisionVetoesRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  async find(
    applicationId: string,
    commit: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<RevisionVeto | null> {
    const rows = await tx.query<VetoRow[]>(
      `SELECT ${COLUMNS} FROM revision_veto WHERE application_id = $1 AND commit = $2`,
      [applicationId, commit],
    );
    return rows[0] ? toVeto(rows[0]) : null;
  }

  /** Every veto of each application, newest first: one statement for all (DataLoader batches). */
  async ofApplications(applicationIds: readonly string[]): Promise<Map<string, RevisionVeto[]>> {
    const byApplication = new Map(applicationIds.map((id) => [id, [] as RevisionVeto[]]));
    if (applicationIds.length === 0) return byApplication;
    const rows = await this.transactions.manager.query<VetoRow[]>(
      `SELECT ${COLUMNS} FROM revision_veto WHERE application_id = ANY($1::uuid[])
        ORDER BY application_id, vetoed_at DESC, commit`,
      [applicationIds],
    );
    for (const row of rows) byApplication.get(row.application_id)?.push(toVeto(row));
    return byApplication;
  }

  /** Records or replaces the veto of a commit (an operator's word replaces an earlier one). */
  async upsert(tx: EntityManager, veto: Omit<RevisionVeto, 'at'>): Promise<RevisionVeto> {
    const rows = await tx.query<VetoRow[]>(
      `INSERT INTO revision_veto (application_id, commit, reason, actor)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (application_id, commit)
         DO UPDATE SET reason = EXCLUDED.reason, actor = EXCLUDED.actor, vetoed_at = now()
       RETURNING ${COLUMNS}`,
      [veto.applicationId, veto.commit, veto.reason, veto.actor],
    );
    return toVeto(rows[0]!);
  }

  /** Records the veto unless the commit is already vetoed (an operator's reason is kept). */
  async insertIfAbsent(tx: EntityManager, veto: Omit<RevisionVeto, 'at'>): Promise<RevisionVeto | null> {
    const rows = await tx.query<VetoRow[]>(
      `INSERT INTO revision_veto (application_id, commit, reason, actor)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (application_id, commit) DO NOTHING
       RETURNING ${COLUMNS}`,
      [veto.applicationId, veto.commit, veto.reason, veto.actor],
    );
    return rows[0] ? toVeto(rows[0]) : null;
  }

  /** Removes the veto; returns it, or null when the commit was not vetoed. */
  async delete(tx: EntityManager, applicationId: string, commit: string): Promise<RevisionVeto | null> {
    // TypeORM answers a DELETE … RETURNING with [rows, affected count].
    const [rows] = await tx.query<[VetoRow[], number]>(
      `DELETE FROM revision_veto WHERE application_id = $1 AND commit = $2 RETURNING ${COLUMNS}`,
      [applicationId, commit],
    );
    return rows[0] ? toVeto(rows[0]) : null;
  }
}

function toVeto(row: VetoRow): RevisionVeto {
  return {
    applicationId: row.application_id,
    commit: row.commit,
    reason: row.reason,
    actor: row.actor,
    at: row.vetoed_at,
  };
}
