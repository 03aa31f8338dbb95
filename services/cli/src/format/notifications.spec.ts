import { describe, expect, it } from '@jest/globals';
import { type NotificationDelivery, type NotificationSubscription } from '../resources/notifications.js';
import { deliveriesTable, describeSubscription, subscriptionsTable } from './notifications.js';

const NOW = new Date('2026-12-20T10:00:00Z');

const subscription: NotificationSubscription = {
  id: 'f1c2',
  application: null,
  project: null,
  kinds: ['rolloutFailed', 'rolledBack'],
  format: 'slack',
  targetOrigin: 'https://hooks.slack.test',
  signed: false,
  createdBy: 'token:ops',
  createdAt: '2026-12-20T09:00:00Z',
};

function delivery(overrides: Partial<NotificationDelivery>): NotificationDelivery {
  return {
    id: 'd',
    eventId: '41',
    kind: 'rolloutFailed',
    status: 'delivered',
    attempts: 1,
    lastStatusCode: 204,
    lastError: null,
    nextAttemptAt: null,
    deliveredAt: '2026-12-20T09:59:00Z',
    createdAt: '2026-12-20T09:59:00Z',
    ...overrides,
  };
}

describe('subscriptionsTable', () => {
  it('shows the origin of the target, never more', () => {
    expect(
      subscriptionsTable(
        [
          subscription,
          { ...subscription, id: 'a9', application: 'web', format: 'webhook', signed: true },
          { ...subscription, id: 'b7', project: 'shop' },
        ],
        NOW,
      ),
    ).toBe(
      [
        'ID     APPLICATION           KINDS                      FORMAT    TARGET                     SIGNED   AGE',
        'f1c2   <every application>   rolloutFailed,rolledBack   slack     https://hooks.slack.test   no       60m',
        'a9     web                   rolloutFailed,rolledBack   webhook   https://hooks.slack.test   yes      60m',
        'b7     <project shop>        rolloutFailed,rolledBack   slack     https://hooks.slack.test   no       60m',
        '',
      ].join('\n'),
    );
  });

  it('describes one', () => {
    expect(describeSubscription(subscription, NOW)).toBe(
      [
        'ID:           f1c2',
        'Application:  <every application>',
        'Kinds:        rolloutFailed, rolledBack',
        'Format:       slack',
        'Target:       https://hooks.slack.test (the path is write-only)',
        'Signed:       no',
        'Created:      60m ago by token:ops',
        '',
      ].join('\n'),
    );
  });
});

describe('deliveriesTable', () => {
  it('shows status, attempts, the last error and when a pending one is retried', () => {
    const rows = [
      delivery({
        eventId: '42',
        status: 'pending',
        attempts: 3,
        lastStatusCode: 503,
        lastError: 'the receiver answered HTTP 503',
        nextAttemptAt: '2026-12-20T10:00:40.000Z',
        deliveredAt: null,
      }),
      delivery({
        eventId: '40',
        status: 'failed',
        attempts: 12,
        lastStatusCode: null,
        lastError: `could not reach the receiver: ECONNREFUSED${' and more'.repeat(10)}`,
        nextAttemptAt: '2026-12-20T10:00:40.000Z',
        deliveredAt: null,
        createdAt: '2026-12-19T22:00:00Z',
      }),
      delivery({}),
    ];
    expect(deliveriesTable(rows, NOW)).toBe(
      [
        'EVENT   KIND            STATUS                 ATTEMPTS   LAST-ERROR                                                     NEXT-RETRY             AGE',
        '42      rolloutFailed   pending (HTTP 503)     3          the receiver answered HTTP 503                                 2026-12-20T10:00:40Z   60s',
        '40      rolloutFailed   failed                 12         could not reach the receiver: ECONNREFUSED and more and mor…   -                      12h',
        '41      rolloutFailed   delivered (HTTP 204)   1          -                                                              -                      60s',
        '',
      ].join('\n'),
    );
  });
});
