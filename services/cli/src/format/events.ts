import { type AuditEvent } from '../resources/events.js';
import { formatTime } from './age.js';
import { renderTable } from './table.js';

/** Pure: what the event says in a few words: the application, commit and state it carries. */
export function eventSummary(event: AuditEvent): string {
  const after = event.after;
  if (after === null || typeof after !== 'object' || Array.isArray(after)) return '';
  const fields = after as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['application', 'name', 'state', 'commit', 'reason']) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') {
      parts.push(`${key}=${key === 'commit' ? value.slice(0, 12) : value}`);
    }
  }
  return parts.join(' ');
}

/** Pure: TIME ACTOR ACTION TARGET SUMMARY, newest first as the hub sends them. */
export function eventsTable(events: readonly AuditEvent[]): string {
  return renderTable(
    ['time', 'actor', 'action', 'target', 'summary'],
    events.map((e) => [
      formatTime(e.occurredAt),
      e.actor,
      e.action,
      `${e.target.kind}/${e.target.id}`,
      eventSummary(e) || '-',
    ]),
  );
}

/** Pure: one compact JSON object per line (NDJSON), for `jq` and log shippers. */
export function eventsNdjson(events: readonly AuditEvent[]): string {
  return events.map((e) => `${JSON.stringify(e)}\n`).join('');
}
