import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { CommittedEvents } from './committed-events.js';
import { EventPublisher } from './event-publisher.js';
import { EventsRepository, type NewEvent } from './events.repository.js';

/**
 * A change and its audit trail, together: the work runs in one transaction, its events are
 * appended in that same transaction (so they commit or roll back with it), and only after the
 * commit are they published on fleetwave.events.v1 for every hub replica's subscribers.
 */
@Injectable()
export class AuditedTransactions {
  constructor(
    @Inject(Transactions) private readonly transactions: Transactions,
    @Inject(EventsRepository) private readonly events: EventsRepository,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(CommittedEvents) private readonly committed: CommittedEvents,
  ) {}

  /** Outside any transaction: for single statements that need no audit event. */
  get manager(): EntityManager {
    return this.transactions.manager;
  }

  async run<T>(work: (tx: EntityManager) => Promise<{ result: T; events: readonly NewEvent[] }>): Promise<T> {
    const { result, saved } = await this.transactions.run(async (tx) => {
      const { result, events } = await work(tx);
      return { result, saved: await this.events.append(tx, [...events]) };
    });
    await this.publisher.publish(saved);
    this.committed.emit(saved);
    return result;
  }
}
