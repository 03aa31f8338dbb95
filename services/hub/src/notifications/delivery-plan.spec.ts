import { describe, expect, it } from '@jest/globals';
import { type HubEvent } from '@fleetwave/contracts';
import { planDeliveries, type PlannedSubscription } from './delivery-plan.js';

const created = new Date('2026-01-01T00:00:00Z');
const sub = (id: string, over: Partial<PlannedSubscription> = {}): PlannedSubscription => ({
  id,
  application: null,
  project: null,
  kinds: ['rolloutFailed', 'clusterOffline'],
  format: 'webhook',
  createdAt: created,
  ...over,
});
const event = (
  id: string,
  action: string,
  after: Record<string, unknown>,
  at = '2026-01-01T00:00:01.000Z',
): HubEvent => ({
  v: 1,
  id,
  occurredAt: at,
  actor: 'engine',
  action,
  target: { kind: 'rollout', id: `r-${id}` },
  after: after as HubEvent['after'],
});

describe('planDeliveries', () => {
  it('plans one delivery per event and subscription that wants it', () => {
    const planned = planDeliveries(
      [
        event('1', 'rollout.failed', { application: 'web' }),
        event('2', 'rollout.progressed', { application: 'web' }),
        event('3', 'cluster.statusChanged', { status: 'Offline' }),
      ],
      [sub('all'), sub('web', { application: 'web' }), sub('api', { application: 'api' })],
    );
    expect(planned.map((p) => [p.eventId, p.subscriptionId, p.kind])).toEqual([
      ['1', 'all', 'rolloutFailed'],
      ['1', 'web', 'rolloutFailed'],
      ['3', 'all', 'clusterOffline'],
    ]);
  });

  it("plans a project's subscription the events of that project's applications only", () => {
    const inShop = { ...event('1', 'rollout.failed', { application: 'web' }), project: 'shop' };
    const inPayments = { ...event('2', 'rollout.failed', { application: 'ledger' }), project: 'payments' };
    const offline = event('3', 'cluster.statusChanged', { status: 'Offline' });
    const planned = planDeliveries([inShop, inPayments, offline], [sub('shop', { project: 'shop' })]);
    expect(planned.map((p) => [p.eventId, p.subscriptionId])).toEqual([['1', 'shop']]);
  });

  it('skips events from before the subscription was created', () => {
    const old = event('1', 'rollout.failed', { application: 'web' }, '2025-12-31T23:59:59.000Z');
    expect(planDeliveries([old], [sub('all')])).toEqual([]);
  });

  it('builds the body in the subscription format', () => {
    const [slack] = planDeliveries(
      [event('1', 'rollout.failed', { application: 'web' })],
      [sub('s', { format: 'slack' })],
    );
    expect(JSON.parse(slack!.body)).toEqual({ text: 'Fleetwave: rollout r-1 of web failed' });
  });
});
