import { type HubEvent } from '@fleetwave/contracts';
import { type Notable } from './notification-kinds.js';

/** How a subscription's receiver wants its body: Fleetwave's JSON, or a Slack incoming webhook's. */
export const NOTIFICATION_FORMATS = ['webhook', 'slack'] as const;
export type NotificationFormat = (typeof NOTIFICATION_FORMATS)[number];

/** The fields of an event a notification carries (never secrets: events hold none). */
export type NotifiedEvent = Pick<HubEvent, 'id' | 'occurredAt' | 'actor' | 'action' | 'target' | 'after'>;

/** The body sent for an event, built once when the delivery is recorded so every retry sends the same bytes. */
export function buildBody(format: NotificationFormat, event: NotifiedEvent, notable: Notable): string {
  const text = describe(event, notable);
  if (format === 'slack') return JSON.stringify({ text });
  return JSON.stringify({
    kind: notable.kind,
    application: notable.application,
    project: notable.project,
    text,
    event: {
      id: event.id,
      occurredAt: event.occurredAt,
      actor: event.actor,
      action: event.action,
      target: event.target,
      after: event.after ?? null,
    },
  });
}

/** One line a person reads in a chat channel. */
export function describe(event: NotifiedEvent, notable: Notable): string {
  const after = (typeof event.after === 'object' && event.after !== null ? event.after : {}) as Record<
    string,
    unknown
  >;
  const of = notable.application === null ? '' : ` of ${notable.application}`;
  const rollout = `rollout ${event.target.id}${of}`;
  switch (notable.kind) {
    case 'waveAwaitingApproval':
      return `Fleetwave: ${rollout} awaits approval of wave ${String(after.currentWave ?? '?')}`;
    case 'rolloutFailed':
      return `Fleetwave: ${rollout} failed`;
    case 'rolledBack':
      return `Fleetwave: ${rollout} was rolled back`;
    case 'rolloutSucceeded':
      return `Fleetwave: ${rollout} succeeded`;
    case 'clusterOffline':
      return `Fleetwave: cluster ${event.target.id} is offline`;
    case 'degradedAfterSuccess':
      return `Fleetwave: cluster ${String(after.cluster ?? '?')} degraded after ${rollout} succeeded: ${String(
        after.reason ?? '?',
      )}`;
    case 'verificationFailed':
      return `Fleetwave: ${rollout}: check ${String(after.check ?? '?')} failed for ${String(
        after.target ?? '?',
      )} in wave ${String(after.wave ?? '?')}: ${String(after.message ?? after.result ?? '?')}`;
    case 'driftCorrected':
      return `Fleetwave: drift corrected ${String(after.corrections ?? '?')} time(s) on cluster ${String(
        after.clusterId ?? event.target.id,
      )}${of}`;
  }
}
