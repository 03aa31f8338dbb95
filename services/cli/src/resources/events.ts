import {
  type EventTargetKind,
  FleetctlEventsDocument,
  type FleetctlEventFieldsFragment,
  type FleetctlEventsQueryVariables,
} from '@fleetwave/api-client';
import { type GraphqlClient } from '../graphql/client.js';

export type AuditEvent = FleetctlEventFieldsFragment;
export type EventFilter = Omit<FleetctlEventsQueryVariables, 'first' | 'after'>;
export type { EventTargetKind };

const PAGE_SIZE = 500;

/**
 * The audit trail newest first, page by page as the hub answers, up to `limit` events: a caller
 * can print each page before the next one is asked for.
 */
export async function* eventPages(
  client: GraphqlClient,
  filter: EventFilter,
  limit: number,
): AsyncGenerator<AuditEvent[]> {
  let after: string | null = null;
  let read = 0;
  while (read < limit) {
    const variables: FleetctlEventsQueryVariables = {
      ...filter,
      first: Math.min(PAGE_SIZE, limit - read),
      after,
    };
    const page = (await client.request(FleetctlEventsDocument, variables)).events;
    const events = page.edges.map((e) => e.node);
    read += events.length;
    if (events.length > 0) yield events;
    if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) return;
    after = page.pageInfo.endCursor;
  }
}
