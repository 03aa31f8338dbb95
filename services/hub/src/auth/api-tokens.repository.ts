import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { ApiTokenEntity } from './api-token.entity.js';

/** The only code that queries the api_token table. */
@Injectable()
export class ApiTokensRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  insert(
    tx: EntityManager,
    token: Pick<ApiTokenEntity, 'name' | 'tokenHash' | 'role' | 'createdBy' | 'project' | 'expiresAt'>,
  ) {
    return tx.save(
      ApiTokenEntity,
      tx.create(ApiTokenEntity, { ...token, revokedAt: null, lastUsedAt: null }),
    );
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.transactions.manager.find(ApiTokenEntity, { order: { createdAt: 'DESC', id: 'ASC' } });
  }

  findByIdForUpdate(tx: EntityManager, id: string): Promise<ApiTokenEntity | null> {
    return tx.findOne(ApiTokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A token by its secret's hash, revoked or expired too (the caller says which). One indexed lookup. */
  findByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.transactions.manager.findOne(ApiTokenEntity, { where: { tokenHash } });
  }

  /** Records a use; a no-op when another request recorded one less than `staleBefore` ago. */
  async touch(id: string, at: Date, staleBefore: Date): Promise<void> {
    await this.transactions.manager.query(
      `UPDATE api_token SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)`,
      [id, at, staleBefore],
    );
  }

  async revoke(tx: EntityManager, id: string, at: Date): Promise<void> {
    await tx.update(ApiTokenEntity, { id }, { revokedAt: at });
  }
}
