import { Injectable } from '@nestjs/common';
import { type EntityManager, type InsertQueryBuilder } from 'typeorm';
import { EventEntity, type EventTargetKind } from './event.entity.js';

export interface EventPageRequest {
  targetKind?: EventTargetKind | undefined;
  targetId?: string | undefined;
  actor?: string | undefined;
  /** An exact action (`rollout.started`) or every action under a prefix (`rollout.`). */
  action?: string | undefined;
  /**
   * Events about the applications of this name (deleted ones too): the application itself, its
   * rollouts and its placements.
   */
  application?: string | undefined;
  /** Events about the clusters of this name: the cluster itself and its placements. */
  cluster?: string | undefined;
  /**
   * Events recorded in this project (event.project): the project itself, its applications, their
   * rollouts and placements.
   */
  project?: string | undefined;
  /** Only events of these projects (a project-bound caller's); undefined: every event. */
  visibleProjects?: readonly string[] | undefined;
  /** Inclusive lower and exclusive upper bound of occurredAt. */
  since?: Date | undefined;
  until?: Date | undefined;
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
  /**
   * The project the event is recorded in, for targets the rule below cannot place (a notification
   * subscription's scope); omitted: from the target.
   */
  project?: string | null;
}

@Injectable()
export class EventsRepository {
  /** Appends to the audit trail inside the caller's transaction, so the change and its record commit together. */
  async append(tx: EntityManager, events: NewEvent[]): Promise<EventEntity[]> {
    if (events.length === 0) return [];
    const occurredAt = new Date();
    const rows = events.map((e) => ({ ...e, before: e.before ?? null, after: e.after ?? null, occurredAt }));
    const parameters: Record<string, string> = {};
    const values = rows.map((row, i) => {
      parameters[`eventTarget${i}`] = row.targetId;
      return {
        ...row,
        project: row.project !== undefined ? row.project : projectOf(row.targetKind, `:eventTarget${i}`),
      };
    });
    // One multi-row INSERT … RETURNING: a report batch can carry a thousand status changes. The
    // project is read from the target in the same statement (its row is in this transaction).
    const result = await tx
      .createQueryBuilder()
      .insert()
      .into(EventEntity)
      .values(values as Parameters<InsertQueryBuilder<EventEntity>['values']>[0])
      .setParameters(parameters)
      .returning(['id', 'project'])
      .execute();
    const raw = result.raw as { id: string; project: string | null }[];
    return rows.map((row, i) =>
      tx.create(EventEntity, { ...row, id: String(raw[i]?.id), project: raw[i]?.project ?? null }),
    );
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
    if (request.actor !== undefined) add((n) => `actor = $${n}`, request.actor);
    if (request.action !== undefined) {
      if (request.action.endsWith('.')) add((n) => `starts_with(action, $${n})`, request.action);
      else add((n) => `action = $${n}`, request.action);
    }
    if (request.application !== undefined) {
      // Rollout and placement events name their application only through the rollout row or the
      // placement id: joined here rather than stored twice on every event.
      add(
        (n) => `(
          (target_kind = 'application' AND target_id IN (SELECT id::text FROM application WHERE name = $${n}))
          OR (target_kind = 'rollout' AND target_id IN (SELECT r.id::text FROM rollout r
                JOIN application a ON a.id = r.application_id WHERE a.name = $${n}))
          OR (target_kind = 'placement' AND split_part(target_id, '/', 2) = $${n}))`,
        request.application,
      );
    }
    if (request.cluster !== undefined) {
      add(
        (n) => `(
          (target_kind = 'cluster' AND target_id IN (SELECT id::text FROM cluster WHERE name = $${n}))
          OR (target_kind = 'placement' AND split_part(target_id, '/', 1) IN (SELECT id::text FROM cluster WHERE name = $${n})))`,
        request.cluster,
      );
    }
    if (request.project !== undefined) add((n) => `project = $${n}`, request.project);
    if (request.visibleProjects !== undefined) {
      add((n) => `project = ANY($${n}::text[])`, [...request.visibleProjects]);
    }
    if (request.since !== undefined) add((n) => `occurred_at >= $${n}`, request.since);
    if (request.until !== undefined) add((n) => `occurred_at < $${n}`, request.until);
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
        project: string | null;
      }[]
    >(
      `SELECT id, occurred_at, actor, action, target_kind, target_id, before, after, project FROM event
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
          project: r.project,
        }),
      ),
      hasMore: rows.length > request.limit,
    };
  }

  /**
   * Deletes up to `limit` events older than `before`, oldest first; returns how many. Batches keep
   * each statement short on a long trail; the caller repeats while a batch comes back full.
   */
  async deleteOlderThan(manager: EntityManager, before: Date, limit: number): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(EventEntity)
      .where('id IN (SELECT id FROM event WHERE occurred_at < :before ORDER BY id LIMIT :limit)', {
        before,
        limit,
      })
      .execute();
    return result.affected ?? 0;
  }
}

/**
 * The SQL expression of an event's project, from its target (`target` is the target id's
 * parameter): a project is its own; an application's, its rollouts' and its placements' is the
 * application's (a placement names it by name: the live one, else the last deleted). Null for
 * targets outside projects. Kept in step with migrations/1796216000000-EventProjects.ts.
 */
function projectOf(kind: EventTargetKind, target: string): (() => string) | null {
  switch (kind) {
    case 'project':
      return () => target;
    case 'application':
      return () => `(SELECT project FROM application WHERE id = CAST(${target} AS uuid))`;
    case 'rollout':
      return () =>
        `(SELECT a.project FROM rollout r JOIN application a ON a.id = r.application_id WHERE r.id = CAST(${target} AS uuid))`;
    case 'placement':
      return () =>
        `(SELECT project FROM application WHERE name = split_part(${target}, '/', 2) ORDER BY deleted_at IS NOT NULL, deleted_at DESC LIMIT 1)`;
    default:
      return null;
  }
}
