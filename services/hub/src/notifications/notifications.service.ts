import { Inject, Injectable } from '@nestjs/common';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { type Actor } from '../common/actor.js';
import { invalidArgument, notFound } from '../common/domain-error.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import { isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds.js';
import { NotificationsRepository, type StoredSubscription } from './notifications.repository.js';
import { NOTIFICATION_FORMATS, type NotificationFormat } from './payloads.js';
import { parseTargetUrl, targetOrigin } from './target-url.js';

const MIN_SECRET = 16;
const MAX_SECRET = 512;

export interface SubscriptionRequest {
  application: string | null;
  kinds: readonly string[];
  format: string;
  url: string;
  secret: string | null;
}

/**
 * Notification subscriptions: checked, stored and audited here. The secret is write-only: stored
 * as given (the hub signs with it, so it cannot be hashed), never returned, logged or put in an
 * event (the audit trail records whether there is one).
 */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(NotificationsRepository) private readonly notifications: NotificationsRepository,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
  ) {}

  list(): Promise<StoredSubscription[]> {
    return this.notifications.subscriptions();
  }

  async create(actor: Actor, request: SubscriptionRequest): Promise<StoredSubscription> {
    const kinds = parseKinds(request.kinds);
    const format = parseFormat(request.format);
    const url = parseTargetUrl(request.url).toString();
    const secret = parseSecret(request.secret, format);
    const application = request.application?.trim() || null;
    return this.audited.run(async (tx) => {
      if (application !== null && (await this.applications.findByName(application, tx)) === null) {
        throw notFound(`application ${application} not found`);
      }
      const created = await this.notifications.insertSubscription(tx, {
        application,
        kinds,
        format,
        url,
        secret,
        createdBy: actor.name,
        // The system clock, like the audit trail's occurredAt it is compared with (planDeliveries).
        createdAt: new Date(),
      });
      return { result: created, events: [event(actor, 'notificationSubscription.created', null, created)] };
    });
  }

  async delete(actor: Actor, id: string): Promise<StoredSubscription> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
      throw notFound(`notification subscription ${id} not found`);
    }
    return this.audited.run(async (tx) => {
      const removed = await this.notifications.deleteSubscription(tx, id);
      if (removed === null) throw notFound(`notification subscription ${id} not found`);
      return { result: removed, events: [event(actor, 'notificationSubscription.deleted', removed, null)] };
    });
  }
}

function parseKinds(raw: readonly string[]): NotificationKind[] {
  if (raw.length === 0) throw invalidArgument(`kinds: name at least one of ${NOTIFICATION_KINDS.join(', ')}`);
  const unknown = raw.filter((k) => !isNotificationKind(k));
  if (unknown.length > 0) {
    throw invalidArgument(
      `kinds: unknown event kind ${unknown.join(', ')} (known: ${NOTIFICATION_KINDS.join(', ')})`,
    );
  }
  return [...new Set(raw as NotificationKind[])];
}

function parseFormat(raw: string): NotificationFormat {
  const format = NOTIFICATION_FORMATS.find((f) => f === raw);
  if (format === undefined)
    throw invalidArgument(`format: must be one of ${NOTIFICATION_FORMATS.join(', ')}`);
  return format;
}

/** A generic webhook must be signed; a Slack-format one is signed only when given a secret. */
function parseSecret(raw: string | null, format: NotificationFormat): string | null {
  if (raw === null || raw === '') {
    if (format === 'webhook') throw invalidArgument('secret: a webhook subscription needs one to sign with');
    return null;
  }
  if (raw.length < MIN_SECRET || raw.length > MAX_SECRET) {
    throw invalidArgument(`secret: must be ${MIN_SECRET} to ${MAX_SECRET} characters`);
  }
  return raw;
}

/** The audit event: what was subscribed, never the secret nor the URL's path (a credential for Slack). */
function event(
  actor: Actor,
  action: string,
  before: StoredSubscription | null,
  after: StoredSubscription | null,
): NewEvent {
  const id = (after ?? before)!.id;
  return {
    actor: actor.name,
    action,
    targetKind: 'notificationSubscription',
    targetId: id,
    before: before === null ? undefined : auditView(before),
    after: after === null ? undefined : auditView(after),
  };
}

function auditView(s: StoredSubscription) {
  return {
    application: s.application,
    kinds: s.kinds,
    format: s.format,
    target: targetOrigin(s.url),
    signed: s.hasSecret,
  };
}
