import { Injectable } from '@nestjs/common';
import { type EntityManager, type InsertQueryBuilder } from 'typeorm';
import { EventEntity, type EventTargetKind } from './event.entity.js';

export interface EventPageRequest {
  targetKind?: EventTargetKind | undefined;
  targetId?: string | undefined;
  /** Exclusive: events older than this one (the cursor). */
  beforeId?: string | undefined;
  limit: number;
}

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

  /** The audit trail newest first (by id), optionally of one target kind and id; one statement. */
  async page(
    manager: EntityManager,
    request: EventPageRequest,
  ): Promise<{ rows: EventEntity[]; hasMore: boolean }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(clause(params.length));
    };
    if (request.targetKind !== undefined) add((n) => `target_kind = $${n}`, request.targetKind);
    if (request.targetId !== undefined) add((n) => `target_id = $${n}`, request.targetId);
    if (request.beforeId !== undefined) add((n) => `id < $${n}::bigint`, request.beforeId);
    params.push(request.limit + 1);
    const rows = await manager.query<
      {
        id: string;
        occurred_at: Date;
        actor: string;
        action: string;
        target_kind: EventTargetKind;
        target_id: string;
        before: unknown;
        after: unknown;
      }[]
    >(
      `SELECT id, occurred_at, actor, action, target_kind, target_id, before, after FROM event
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return {
      rows: rows.slice(0, request.limit).map((r) =>
        manager.create(EventEntity, {
          id: String(r.id),
          occurredAt: r.occurred_at,
          actor: r.actor,
          action: r.action,
          targetKind: r.target_kind,
          targetId: r.target_id,
          before: r.before,
          after: r.after,
        }),
      ),
      hasMore: rows.length > request.limit,
    };
  }
}
