import { type NotificationDelivery, type NotificationSubscription } from '../resources/notifications.js';
import { formatAge, formatTime } from './age.js';
import { renderFields, renderTable, truncate } from './table.js';

/** A long receiver error stays on its row; `-o json` has it whole. */
const ERROR_COLUMN = 60;

function applicationText(s: NotificationSubscription): string {
  return s.application ?? (s.project === null ? '<every application>' : `<project ${s.project}>`);
}

/** Pure: ID APPLICATION KINDS FORMAT TARGET SIGNED AGE (the target is the origin only). */
export function subscriptionsTable(items: readonly NotificationSubscription[], now: Date): string {
  return renderTable(
    ['id', 'application', 'kinds', 'format', 'target', 'signed', 'age'],
    items.map((s) => [
      s.id,
      applicationText(s),
      s.kinds.join(','),
      s.format,
      s.targetOrigin,
      s.signed ? 'yes' : 'no',
      formatAge(s.createdAt, now),
    ]),
  );
}

/** Pure: the text of `notifications subscriptions get`. */
export function describeSubscription(s: NotificationSubscription, now: Date): string {
  return renderFields([
    ['ID', s.id],
    ['Application', applicationText(s)],
    ['Kinds', s.kinds.join(', ')],
    ['Format', s.format],
    ['Target', `${s.targetOrigin} (the path is write-only)`],
    ['Signed', s.signed ? 'yes (X-Fleetwave-Signature)' : 'no'],
    ['Created', `${formatAge(s.createdAt, now)} ago by ${s.createdBy}`],
  ]);
}

/** Pure: the status column: `delivered`, `failed`, or `pending` with the HTTP status of the last try. */
function deliveryStatus(d: NotificationDelivery): string {
  return d.lastStatusCode === null ? d.status : `${d.status} (HTTP ${d.lastStatusCode})`;
}

/** Pure: EVENT KIND STATUS ATTEMPTS LAST-ERROR NEXT-RETRY AGE, newest first as the hub lists them. */
export function deliveriesTable(items: readonly NotificationDelivery[], now: Date): string {
  return renderTable(
    ['event', 'kind', 'status', 'attempts', 'last-error', 'next-retry', 'age'],
    items.map((d) => [
      d.eventId,
      d.kind,
      deliveryStatus(d),
      String(d.attempts),
      d.lastError === null ? '-' : truncate(d.lastError, ERROR_COLUMN),
      d.status === 'pending' && d.nextAttemptAt !== null ? formatTime(d.nextAttemptAt) : '-',
      formatAge(d.createdAt, now),
    ]),
  );
}
