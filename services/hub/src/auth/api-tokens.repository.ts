import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { ApiTokenEntity } from './api-token.entity.js';

/** The only code that queries the api_token table. */
@Injectable()
export class ApiTokensRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  insert(
    tx: EntityManager,
    token: Pick<ApiTokenEntity, 'name' | 'tokenHash' | 'role' | 'createdBy' | 'project'>,
  ) {
    return tx.save(ApiTokenEntity, tx.create(ApiTokenEntity, { ...token, revokedAt: null }));
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.transactions.manager.find(ApiTokenEntity, { order: { createdAt: 'DESC', id: 'ASC' } });
  }

  findByIdForUpdate(tx: EntityManager, id: string): Promise<ApiTokenEntity | null> {
    return tx.findOne(ApiTokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A token that authenticates: known and not revoked. One indexed lookup. */
  findActiveByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    return this.transactions.manager.findOne(ApiTokenEntity, { where: { tokenHash, revokedAt: IsNull() } });
  }

  async revoke(tx: EntityManager, id: string, at: Date): Promise<void> {
    await tx.update(ApiTokenEntity, { id }, { revokedAt: at });
  }
}
