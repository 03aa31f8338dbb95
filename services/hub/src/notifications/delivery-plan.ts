import { type HubEvent } from '@fleetwave/contracts';
import { classifyEvent, type NotificationKind, wants } from './notification-kinds.js';
import { buildBody, type NotificationFormat } from './payloads.js';

export interface PlannedSubscription {
  id: string;
  application: string | null;
  project: string | null;
  kinds: readonly NotificationKind[];
  format: NotificationFormat;
  createdAt: Date;
}

export interface PlannedDelivery {
  subscriptionId: string;
  eventId: string;
  kind: NotificationKind;
  body: string;
}

/**
 * The deliveries a batch of events is due: one per (event, subscription that wants it). A
 * subscription hears only events from its creation on, so a consumer group reading the topic from
 * its beginning (first start, or offsets lost) never sends history.
 */
export function planDeliveries(
  events: readonly HubEvent[],
  subscriptions: readonly PlannedSubscription[],
): PlannedDelivery[] {
  const planned: PlannedDelivery[] = [];
  for (const event of events) {
    const notable = classifyEvent(event);
    if (notable === null) continue;
    const occurredAt = Date.parse(event.occurredAt);
    for (const s of subscriptions) {
      if (occurredAt < s.createdAt.getTime() || !wants(s, notable)) continue;
      planned.push({
        subscriptionId: s.id,
        eventId: event.id,
        kind: notable.kind,
        body: buildBody(s.format, event, notable),
      });
    }
  }
  return planned;
}
