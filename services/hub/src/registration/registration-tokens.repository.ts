import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { RegistrationTokenEntity } from './registration-token.entity.js';

@Injectable()
export class RegistrationTokensRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  insert(tx: EntityManager, token: Omit<RegistrationTokenEntity, 'id' | 'uses' | 'revokedAt' | 'createdAt'>) {
    return tx.save(
      RegistrationTokenEntity,
      tx.create(RegistrationTokenEntity, { ...token, uses: 0, revokedAt: null }),
    );
  }

  list(): Promise<RegistrationTokenEntity[]> {
    return this.transactions.manager.find(RegistrationTokenEntity, { order: { createdAt: 'DESC' } });
  }

  findById(tx: EntityManager, id: string): Promise<RegistrationTokenEntity | null> {
    return tx.findOne(RegistrationTokenEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Locks the row: concurrent registrations with a max-uses token are counted one at a time. */
  findByHashForUpdate(tx: EntityManager, tokenHash: string): Promise<RegistrationTokenEntity | null> {
    return tx.findOne(RegistrationTokenEntity, { where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  async countUse(tx: EntityManager, id: string): Promise<void> {
    await tx.increment(RegistrationTokenEntity, { id }, 'uses', 1);
  }

  async revoke(tx: EntityManager, id: string, at: Date): Promise<void> {
    await tx.update(RegistrationTokenEntity, { id }, { revokedAt: at });
  }
}
