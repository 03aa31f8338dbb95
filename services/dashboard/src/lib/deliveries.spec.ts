import { describe, expect, it } from '@jest/globals';
import { type Delivery, deliveryCounts, deliveryStatus, nextRetry } from './deliveries';

const delivered: Delivery = { status: 'delivered', attempts: 1, lastStatusCode: 204, nextAttemptAt: null };
const retrying: Delivery = {
  status: 'pending',
  attempts: 3,
  lastStatusCode: 503,
  nextAttemptAt: '2026-12-20T10:00:40Z',
};
const refused: Delivery = {
  status: 'failed',
  attempts: 12,
  lastStatusCode: null,
  nextAttemptAt: '2026-12-20T10:00:40Z',
};

describe('deliveries', () => {
  it.each<[Delivery, string, string | undefined]>([
    [delivered, 'delivered (HTTP 204)', undefined],
    [retrying, 'pending (HTTP 503)', '2026-12-20T10:00:40Z'],
    [{ ...retrying, lastStatusCode: null, attempts: 0 }, 'pending', '2026-12-20T10:00:40Z'],
    // Given up: no retry, whatever the row still holds.
    [refused, 'failed', undefined],
  ])('%j → %s, retry %s', (delivery, status, retry) => {
    expect(deliveryStatus(delivery)).toBe(status);
    expect(nextRetry(delivery)).toBe(retry);
  });

  it('counts by status', () => {
    expect(deliveryCounts([delivered, delivered, retrying, refused])).toEqual({
      delivered: 2,
      pending: 1,
      failed: 1,
    });
    expect(deliveryCounts([])).toEqual({ delivered: 0, pending: 0, failed: 0 });
  });
});
