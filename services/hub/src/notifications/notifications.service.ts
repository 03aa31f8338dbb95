import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { type Actor, hasRole, holdsFleetRole } from '../common/actor.js';
import { type DomainError, forbidden, invalidArgument, notFound } from '../common/domain-error.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import { isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds.js';
import { NotificationsRepository, type StoredSubscription } from './notifications.repository.js';
import { NOTIFICATION_FORMATS, type NotificationFormat } from './payloads.js';
import { requireProjectRole, seesProject } from '../projects/project-rules.js';
import { ProjectsService } from '../projects/projects.service.js';
import { parseTargetUrl, targetOrigin } from './target-url.js';

const MIN_SECRET = 16;
const MAX_SECRET = 512;

export interface SubscriptionRequest {
  application: string | null;
  project: string | null;
  kinds: readonly string[];
  format: string;
  url: string;
  secret: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Notification subscriptions: checked, stored and audited here. The secret is write-only: stored
 * as given (the hub signs with it, so it cannot be hashed), never returned, logged or put in an
 * event (the audit trail records whether there is one).
 *
 * Who: a subscription's scope is a project (its own, or its application's) or the fleet (every
 * application, clusters going offline). A fleet-scoped one is seen by fleet-wide roles and managed
 * by fleet admins; a project-scoped one is seen by whoever sees the project and managed by the
 * project's admins. To anyone else it does not exist (NOT_FOUND, absent from lists).
 */
@Injectable()
export class NotificationsService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(NotificationsRepository) private readonly notifications: NotificationsRepository,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
  ) {}

  /** The subscriptions `actor` may see, oldest first. */
  async list(actor: Actor): Promise<StoredSubscription[]> {
    const all = await this.notifications.subscriptions();
    const scopes = await this.scopesOf(all);
    return all.filter((s, i) => mayRead(actor, scopes[i]!));
  }

  /** One subscription, or null when there is none or `actor` may not see it. */
  async find(actor: Actor, id: string): Promise<StoredSubscription | null> {
    if (!UUID.test(id)) return null;
    const found = await this.notifications.subscription(id);
    if (found === null) return null;
    const [scope] = await this.scopesOf([found]);
    return mayRead(actor, scope!) ? found : null;
  }

  async create(actor: Actor, request: SubscriptionRequest): Promise<StoredSubscription> {
    const kinds = parseKinds(request.kinds);
    const format = parseFormat(request.format);
    const url = parseTargetUrl(request.url).toString();
    const secret = parseSecret(request.secret, format);
    const application = request.application?.trim() || null;
    const project = request.project?.trim() || null;
    if (application !== null && project !== null) {
      throw invalidArgument(
        'application, project: give one of them (or neither, for the whole fleet), not both',
      );
    }
    return this.audited.run(async (tx) => {
      let scope: string | null = project;
      if (application !== null) {
        const app = await this.applications.findByName(application, tx);
        if (app === null || !seesProject(actor, app.project))
          throw notFound(`application ${application} not found`);
        scope = app.project;
      }
      await this.requireManager(actor, scope, tx, () => notFound(`project "${scope}" not found`));
      const created = await this.notifications.insertSubscription(tx, {
        application,
        project,
        kinds,
        format,
        url,
        secret,
        createdBy: actor.name,
        // The system clock, like the audit trail's occurredAt it is compared with (planDeliveries).
        createdAt: new Date(),
      });
      return {
        result: created,
        events: [event(actor, 'notificationSubscription.created', null, created, scope)],
      };
    });
  }

  async delete(actor: Actor, id: string): Promise<StoredSubscription> {
    const missing = () => notFound(`notification subscription ${id} not found`);
    if (!UUID.test(id)) throw missing();
    return this.audited.run(async (tx) => {
      const current = await this.notifications.subscription(id, tx);
      if (current === null) throw missing();
      const [scope] = await this.scopesOf([current]);
      if (!mayRead(actor, scope!)) throw missing();
      await this.requireManager(actor, scope!, tx, missing);
      const removed = await this.notifications.deleteSubscription(tx, id);
      if (removed === null) throw missing();
      return {
        result: removed,
        events: [event(actor, 'notificationSubscription.deleted', removed, null, scope!)],
      };
    });
  }

  /**
   * FORBIDDEN unless `actor` may manage subscriptions of `scope`: a fleet admin for the fleet, an
   * admin of the project for a project (`hidden` when it may not see the project or it is gone).
   */
  private async requireManager(
    actor: Actor,
    scope: string | null,
    tx: EntityManager,
    hidden: () => DomainError,
  ): Promise<void> {
    if (scope === null) {
      if (!holdsFleetRole(actor) || !hasRole(actor, 'admin')) {
        throw forbidden(
          `a subscription to the whole fleet needs the admin role fleet-wide; ${actor.name} lacks it`,
        );
      }
      return;
    }
    if (!seesProject(actor, scope)) throw hidden();
    const [project] = await this.projects.findByNames([scope], tx);
    if (project === undefined) throw hidden();
    requireProjectRole(actor, project, 'admin');
  }

  /**
   * Each subscription's project (its own, or its live application's); null: the fleet's (no scope,
   * or an application that is gone: only fleet roles may see what is left of it).
   */
  private async scopesOf(subscriptions: readonly StoredSubscription[]): Promise<(string | null)[]> {
    const named = [...new Set(subscriptions.flatMap((s) => (s.application === null ? [] : [s.application])))];
    const projectOf = await this.applications.projectsOf(named);
    return subscriptions.map(
      (s) => s.project ?? (s.application === null ? null : (projectOf.get(s.application) ?? null)),
    );
  }
}

/** Whether `actor` may see a subscription of `scope` (null: the fleet's). */
function mayRead(actor: Actor, scope: string | null): boolean {
  return scope === null ? holdsFleetRole(actor) : seesProject(actor, scope);
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
  project: string | null,
): NewEvent {
  const id = (after ?? before)!.id;
  return {
    actor: actor.name,
    action,
    targetKind: 'notificationSubscription',
    targetId: id,
    // In the project's trail, so its members read what was subscribed in it.
    project,
    before: before === null ? undefined : auditView(before),
    after: after === null ? undefined : auditView(after),
  };
}

function auditView(s: StoredSubscription) {
  return {
    application: s.application,
    project: s.project,
    kinds: s.kinds,
    format: s.format,
    target: targetOrigin(s.url),
    signed: s.hasSecret,
  };
}
