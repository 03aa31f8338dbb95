import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { type NotificationKind } from './notification-kinds.js';
import { type NotificationFormat } from './payloads.js';

/** A subscription as the API may show it: no secret, and the URL only to the owner of this module. */
export interface StoredSubscription {
  id: string;
  application: string | null;
  /** One project's applications (never set with `application`). */
  project: string | null;
  kinds: NotificationKind[];
  format: NotificationFormat;
  url: string;
  hasSecret: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface NewSubscription {
  application: string | null;
  project: string | null;
  kinds: readonly NotificationKind[];
  format: NotificationFormat;
  url: string;
  secret: string | null;
  createdBy: string;
  createdAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface StoredDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  kind: NotificationKind;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface NewDelivery {
  subscriptionId: string;
  eventId: string;
  kind: NotificationKind;
  body: string;
}

/** A delivery claimed for sending, with what the sender needs (the secret stays in this room). */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  body: string;
  url: string;
  secret: string | null;
}

/** What one attempt came to. */
export type AttemptOutcome =
  | { ok: true; statusCode: number; at: Date }
  | { ok: false; statusCode: number | null; error: string; at: Date; retryAt: Date | null };

interface SubscriptionRow {
  id: string;
  application: string | null;
  project: string | null;
  kinds: NotificationKind[];
  format: NotificationFormat;
  url: string;
  has_secret: boolean;
  created_by: string;
  created_at: Date;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  kind: NotificationKind;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

const SUBSCRIPTION_COLUMNS = `id, application, project, kinds, format, url, secret IS NOT NULL AS has_secret, created_by, created_at`;
const DELIVERY_COLUMNS = `d.id::text, d.subscription_id, d.event_id, d.kind, d.status, d.attempts, d.next_attempt_at,
  d.last_status_code, d.last_error, d.delivered_at, d.created_at`;

/** The only code that queries notification_subscription and notification_delivery. */
@Injectable()
export class NotificationsRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  async insertSubscription(tx: EntityManager, s: NewSubscription): Promise<StoredSubscription> {
    const rows = await tx.query<SubscriptionRow[]>(
      `INSERT INTO notification_subscription (application, project, kinds, format, url, secret, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [s.application, s.project, s.kinds, s.format, s.url, s.secret, s.createdBy, s.createdAt],
    );
    return toSubscription(rows[0]!);
  }

  /** Deletes a subscription (its delivery log goes with it); returns it, or null when there was none. */
  async deleteSubscription(tx: EntityManager, id: string): Promise<StoredSubscription | null> {
    const rows = await tx.query<SubscriptionRow[]>(
      // Through a CTE: the driver answers a bare DELETE … RETURNING with [rows, count].
      `WITH removed AS (DELETE FROM notification_subscription WHERE id = $1 RETURNING *)
       SELECT ${SUBSCRIPTION_COLUMNS} FROM removed`,
      [id],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /** One subscription, or null when there is none (`id` must be a UUID: the service checks). */
  async subscription(
    id: string,
    tx: EntityManager = this.transactions.manager,
  ): Promise<StoredSubscription | null> {
    const rows = await tx.query<SubscriptionRow[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM notification_subscription WHERE id = $1`,
      [id],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async subscriptions(tx: EntityManager = this.transactions.manager): Promise<StoredSubscription[]> {
    const rows = await tx.query<SubscriptionRow[]>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM notification_subscription ORDER BY created_at, id`,
    );
    return rows.map(toSubscription);
  }

  /**
   * Records deliveries, once per (event, subscription): an event the consumer sees again (a
   * redelivered batch) adds nothing. Returns how many rows are new.
   */
  async recordDeliveries(deliveries: readonly NewDelivery[], now: Date): Promise<number> {
    if (deliveries.length === 0) return 0;
    const inserted = await this.transactions.manager.query<{ id: string }[]>(
      `INSERT INTO notification_delivery (subscription_id, event_id, kind, body, next_attempt_at, created_at)
       SELECT s, e, k, b, $5, $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS d(s, e, k, b)
       -- The subscription may have been deleted since the consumer read it.
       WHERE EXISTS (SELECT 1 FROM notification_subscription WHERE id = d.s)
       ON CONFLICT (event_id, subscription_id) DO NOTHING
       RETURNING id::text`,
      [
        deliveries.map((d) => d.subscriptionId),
        deliveries.map((d) => d.eventId),
        deliveries.map((d) => d.kind),
        deliveries.map((d) => d.body),
        now,
      ],
    );
    return inserted.length;
  }

  /**
   * Claims up to `limit` deliveries due by `now` (the hub clock: the backoff schedule's) for
   * `claimMs` (SKIP LOCKED, so replicas share the work; a replica that dies mid-send leaves its
   * claim to expire and the delivery is sent again). A claim is timed by the database's clock, not
   * the hub's: it is about a send in flight in real time, and a hub clock set forward (a test's, or
   * a corrected one) must not hand a delivery still being sent to a second sender. `inFlight`:
   * this replica's sends, never claimed again whatever the clocks say.
   */
  async claimDue(
    now: Date,
    claimMs: number,
    limit: number,
    inFlight: readonly string[] = [],
  ): Promise<ClaimedDelivery[]> {
    const [rows] = await this.transactions.manager.query<
      [{ id: string; attempts: number; body: string; url: string; secret: string | null }[], number]
    >(
      `WITH due AS (
         SELECT id FROM notification_delivery
          WHERE status = 'pending' AND next_attempt_at <= $1
            AND (claimed_until IS NULL OR claimed_until <= clock_timestamp())
            AND NOT (id = ANY($4::bigint[]))
          ORDER BY next_attempt_at, id
          LIMIT $3
          FOR UPDATE SKIP LOCKED)
       UPDATE notification_delivery d SET claimed_until = clock_timestamp() + $2 * interval '1 millisecond'
         FROM due, notification_subscription s
        WHERE d.id = due.id AND s.id = d.subscription_id
       RETURNING d.id::text, d.attempts, d.body, s.url, s.secret`,
      [now, claimMs, limit, [...inFlight]],
    );
    return rows;
  }

  async recordAttempt(id: string, outcome: AttemptOutcome): Promise<void> {
    if (outcome.ok) {
      await this.transactions.manager.query(
        `UPDATE notification_delivery
            SET status = 'delivered', attempts = attempts + 1, last_status_code = $2, delivered_at = $3,
                next_attempt_at = NULL, claimed_until = NULL
          WHERE id = $1`,
        [id, outcome.statusCode, outcome.at],
      );
      return;
    }
    await this.transactions.manager.query(
      `UPDATE notification_delivery
          SET status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
              attempts = attempts + 1, last_status_code = $2, last_error = $3, next_attempt_at = $4,
              claimed_until = NULL
        WHERE id = $1`,
      [id, outcome.statusCode, outcome.error, outcome.retryAt],
    );
  }

  /** The newest deliveries of each subscription (at most `limit` each), newest first; one statement. */
  async deliveries(subscriptionIds: readonly string[], limit: number): Promise<StoredDelivery[]> {
    if (subscriptionIds.length === 0) return [];
    const rows = await this.transactions.manager.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM unnest($1::uuid[]) AS s(id)
       CROSS JOIN LATERAL (
         SELECT * FROM notification_delivery d WHERE d.subscription_id = s.id ORDER BY d.id DESC LIMIT $2
       ) d
       ORDER BY d.id DESC`,
      [subscriptionIds, limit],
    );
    return rows.map(toDelivery);
  }
}

function toSubscription(row: SubscriptionRow): StoredSubscription {
  return {
    id: row.id,
    application: row.application,
    project: row.project,
    kinds: row.kinds,
    format: row.format,
    url: row.url,
    hasSecret: row.has_secret,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function toDelivery(row: DeliveryRow): StoredDelivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}
