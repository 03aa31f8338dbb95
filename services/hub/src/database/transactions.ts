import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** SQLSTATEs after which the whole transaction may simply run again: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

/** A unit of work spanning several features' repositories. Repositories take the manager it gives. */
@Injectable()
export class Transactions {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a transaction. Postgres aborts one of two transactions that lock the same rows in
   * opposite orders (concurrent rollout starts and passes over shared clusters do); the aborted one
   * rolled back completely, so it runs again, after a short random pause, up to ATTEMPTS times.
   * `work` must therefore keep its effects inside the transaction (effects after commit are fine).
   */
  async run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  /** Outside any transaction: for single-statement reads and writes. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }
}

export function isRetryable(error: unknown): boolean {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } } | null)?.code ??
    (error as { driverError?: { code?: unknown } } | null)?.driverError?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}
