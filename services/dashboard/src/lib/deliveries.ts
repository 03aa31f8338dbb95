/** The fields of a NotificationDelivery the Notifications page shows. */
export interface Delivery {
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  nextAttemptAt: string | null;
}

/** Pure: `delivered (HTTP 204)`, `pending (HTTP 503)`, `failed`: the status with the last answer. */
export function deliveryStatus(d: Delivery): string {
  return d.lastStatusCode === null ? d.status : `${d.status} (HTTP ${d.lastStatusCode})`;
}

/** Pure: when a pending delivery is tried again; undefined once delivered or given up. */
export function nextRetry(d: Delivery): string | undefined {
  return d.status === 'pending' && d.nextAttemptAt !== null ? d.nextAttemptAt : undefined;
}

/** Pure: the counts a subscription's row shows: `3 delivered, 1 pending, 0 failed`. */
export function deliveryCounts(
  deliveries: readonly Delivery[],
): Record<'delivered' | 'pending' | 'failed', number> {
  const counts = { delivered: 0, pending: 0, failed: 0 };
  for (const d of deliveries) {
    if (d.status === 'delivered' || d.status === 'pending' || d.status === 'failed') counts[d.status] += 1;
  }
  return counts;
}
