import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { EventEntity, type EventTargetKind } from './event.entity.js';

export interface NewEvent {
  actor: string;
  action: string;
  targetKind: EventTargetKind;
  targetId: string;
  before?: unknown;
  after?: unknown;
}

@Injectable()
export class EventsRepository {
  /** Appends to the audit trail inside the caller's transaction, so the change and its record commit together. */
  async append(tx: EntityManager, events: NewEvent[]): Promise<EventEntity[]> {
    if (events.length === 0) return [];
    const rows = events.map((e) =>
      tx.create(EventEntity, {
        ...e,
        before: e.before ?? null,
        after: e.after ?? null,
        occurredAt: new Date(),
      }),
    );
    return tx.save(EventEntity, rows);
  }
}
