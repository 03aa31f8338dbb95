import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';

/** A fleet-wide freeze as stored (whether it still holds is the reader's question, by the hub clock). */
export interface StoredFreeze {
  reason: string;
  by: string;
  since: Date;
  /** When it lifts by itself; null: when an admin unfreezes. */
  until: Date | null;
}

interface FreezeRow {
  reason: string;
  frozen_by: string;
  since: Date;
  until: Date | null;
}

/** The only code that queries fleet_freeze (at most one row). */
@Injectable()
export class FleetRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  async freeze(tx: EntityManager = this.transactions.manager): Promise<StoredFreeze | null> {
    const rows = await tx.query<FreezeRow[]>(`SELECT reason, frozen_by, since, until FROM fleet_freeze`);
    const row = rows[0];
    return row === undefined
      ? null
      : { reason: row.reason, by: row.frozen_by, since: row.since, until: row.until };
  }

  /** Sets or replaces the freeze; the row is locked until the caller's transaction ends. */
  async setFreeze(tx: EntityManager, freeze: StoredFreeze): Promise<void> {
    await tx.query(
      `INSERT INTO fleet_freeze (id, reason, frozen_by, since, until) VALUES (true, $1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET reason = $1, frozen_by = $2, since = $3, until = $4`,
      [freeze.reason, freeze.by, freeze.since, freeze.until],
    );
  }

  /** Removes the freeze; returns the one removed (null: there was none). */
  async clearFreeze(tx: EntityManager): Promise<StoredFreeze | null> {
    const rows = await tx.query<FreezeRow[]>(
      // Through a CTE: the driver answers a bare DELETE … RETURNING with [rows, count].
      `WITH removed AS (DELETE FROM fleet_freeze RETURNING reason, frozen_by, since, until) SELECT * FROM removed`,
    );
    const row = rows[0];
    return row === undefined
      ? null
      : { reason: row.reason, by: row.frozen_by, since: row.since, until: row.until };
  }
}
