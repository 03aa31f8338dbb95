import { Injectable } from '@nestjs/common';
import { type EntityManager, type InsertQueryBuilder } from 'typeorm';
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
    const occurredAt = new Date();
    const rows = events.map((e) => ({ ...e, before: e.before ?? null, after: e.after ?? null, occurredAt }));
    // One multi-row INSERT … RETURNING: a report batch can carry a thousand status changes.
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(EventEntity)
      .values(rows as Parameters<InsertQueryBuilder<EventEntity>['values']>[0])
      .returning('id')
      .execute();
    return rows.map((row, i) => tx.create(EventEntity, { ...row, id: String(result.identifiers[i]?.id) }));
  }
}
