import { type HubEvent } from '@fleetwave/contracts';

/** What a subscription can ask to hear about; each is one audit-trail action (and condition) below. */
export const NOTIFICATION_KINDS = [
  'waveAwaitingApproval',
  'rolloutFailed',
  'rolledBack',
  'rolloutSucceeded',
  'clusterOffline',
  'driftCorrected',
  'degradedAfterSuccess',
  'verificationFailed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

/**
 * An event worth notifying: its kind, the application it is about and that application's project
 * (null: none, e.g. a cluster).
 */
export interface Notable {
  kind: NotificationKind;
  application: string | null;
  project: string | null;
}

/**
 * Maps an event of fleetwave.events.v1 to a notification kind, or null when no subscriber can want
 * it. The engine names rollout state changes `rollout.<state>` (rollout-pass.service.ts); a
 * cluster goes offline by `cluster.statusChanged` to `Offline` (the heartbeat sweeper).
 */
export function classifyEvent(event: Pick<HubEvent, 'action' | 'after' | 'project'>): Notable | null {
  const kind = kindOf(event);
  if (kind === null) return null;
  const after = asRecord(event.after);
  return kind === 'clusterOffline'
    ? { kind, application: null, project: null }
    : {
        kind,
        application: typeof after.application === 'string' ? after.application : null,
        project: event.project ?? null,
      };
}

function kindOf(event: Pick<HubEvent, 'action' | 'after'>): NotificationKind | null {
  switch (event.action) {
    case 'rollout.awaitingApproval':
      return 'waveAwaitingApproval';
    case 'rollout.failed':
      return 'rolloutFailed';
    case 'rollout.rolledBack':
      return 'rolledBack';
    case 'rollout.succeeded':
      return 'rolloutSucceeded';
    case 'rollout.degradedAfterSuccess':
      return 'degradedAfterSuccess';
    case 'rollout.verificationFailed':
      return 'verificationFailed';
    case 'placement.driftCorrected':
      return 'driftCorrected';
    case 'cluster.statusChanged':
      return asRecord(event.after).status === 'Offline' ? 'clusterOffline' : null;
    default:
      return null;
  }
}

/**
 * What a subscription selects: its kinds, and one application, one project's applications, or
 * (both null) everything. Never both (the service and a table constraint refuse it).
 */
export interface SubscriptionFilter {
  kinds: readonly NotificationKind[];
  application: string | null;
  project: string | null;
}

/**
 * Whether a subscription wants a notable event. A subscription to one application hears only events
 * naming it, one to a project only events of its applications; events about no application (a
 * cluster going offline) reach only fleet-wide ones.
 */
export function wants(filter: SubscriptionFilter, notable: Notable): boolean {
  if (!filter.kinds.includes(notable.kind)) return false;
  if (filter.application !== null) return filter.application === notable.application;
  if (filter.project !== null) return filter.project === notable.project;
  return true;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
