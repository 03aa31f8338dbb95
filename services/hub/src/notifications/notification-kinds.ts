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

/** An event worth notifying: its kind and the application it is about (null: none, e.g. a cluster). */
export interface Notable {
  kind: NotificationKind;
  application: string | null;
}

/**
 * Maps an event of fleetwave.events.v1 to a notification kind, or null when no subscriber can want
 * it. The engine names rollout state changes `rollout.<state>` (rollout-pass.service.ts); a
 * cluster goes offline by `cluster.statusChanged` to `Offline` (the heartbeat sweeper).
 */
export function classifyEvent(event: Pick<HubEvent, 'action' | 'after'>): Notable | null {
  const after = asRecord(event.after);
  const application = typeof after.application === 'string' ? after.application : null;
  switch (event.action) {
    case 'rollout.awaitingApproval':
      return { kind: 'waveAwaitingApproval', application };
    case 'rollout.failed':
      return { kind: 'rolloutFailed', application };
    case 'rollout.rolledBack':
      return { kind: 'rolledBack', application };
    case 'rollout.succeeded':
      return { kind: 'rolloutSucceeded', application };
    case 'rollout.degradedAfterSuccess':
      return { kind: 'degradedAfterSuccess', application };
    case 'rollout.verificationFailed':
      return { kind: 'verificationFailed', application };
    case 'placement.driftCorrected':
      return { kind: 'driftCorrected', application };
    case 'cluster.statusChanged':
      return after.status === 'Offline' ? { kind: 'clusterOffline', application: null } : null;
    default:
      return null;
  }
}

/** What a subscription selects: its kinds, and one application or (null) every application. */
export interface SubscriptionFilter {
  kinds: readonly NotificationKind[];
  application: string | null;
}

/**
 * Whether a subscription wants a notable event. A subscription to one application hears only events
 * naming it; events about no application (a cluster going offline) reach only fleet-wide ones.
 */
export function wants(filter: SubscriptionFilter, notable: Notable): boolean {
  if (!filter.kinds.includes(notable.kind)) return false;
  return filter.application === null || filter.application === notable.application;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
