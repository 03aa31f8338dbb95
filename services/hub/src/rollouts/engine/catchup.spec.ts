import { type CatchupState, catchupNeeds, catchupPlan } from './catchup.js';
import { type FleetCluster } from './membership.js';
import { type ClusterStatus } from './vocabulary.js';

const SETTLED = 'a'.repeat(40);
const OLDER = 'b'.repeat(40);
const NEWER = 'c'.repeat(40);

function cluster(name: string, status: ClusterStatus = 'Ready'): FleetCluster {
  return { id: name, name, labels: {}, cordoned: false, status };
}

function state(overrides: Partial<CatchupState> = {}): CatchupState {
  return {
    settledCommit: SETTLED,
    joinPolicy: 'wave',
    rolloutInProgress: false,
    placed: [cluster('joiner')],
    assignedCommit: new Map(),
    inActiveRollout: new Set(),
    tried: new Set(),
    ...overrides,
  };
}

describe('catchupNeeds', () => {
  it.each<[string, Partial<CatchupState>, string[], string[]]>([
    ['a cluster never assigned the application is caught up', {}, ['joiner'], []],
    [
      'a cluster on an older commit is caught up',
      { assignedCommit: new Map([['joiner', OLDER]]) },
      ['joiner'],
      [],
    ],
    [
      'a cluster on the settled commit needs nothing',
      { assignedCommit: new Map([['joiner', SETTLED]]) },
      [],
      [],
    ],
    [
      'a cluster assigned a newer commit by a rollout that failed is caught up to the settled one',
      { assignedCommit: new Map([['joiner', NEWER]]) },
      ['joiner'],
      [],
    ],
    ['no settled revision: nothing to catch up to', { settledCommit: null }, [], []],
    ['a member of a running rollout moves with it', { inActiveRollout: new Set(['joiner']) }, [], []],
    [
      'join policy wave: waits while a rollout runs',
      { rolloutInProgress: true, joinPolicy: 'wave' },
      [],
      ['joiner:rolloutInProgress'],
    ],
    [
      'join policy settled: the settled revision now, while a rollout runs',
      { rolloutInProgress: true, joinPolicy: 'settled' },
      ['joiner'],
      [],
    ],
    ['an Offline cluster waits', { placed: [cluster('joiner', 'Offline')] }, [], ['joiner:offline']],
    ['an Unknown cluster waits', { placed: [cluster('joiner', 'Unknown')] }, [], ['joiner:offline']],
    [
      'a Pending (just registered) cluster is caught up',
      { placed: [cluster('joiner', 'Pending')] },
      ['joiner'],
      [],
    ],
    [
      'a cluster a catch-up to this commit already assigned is not tried again',
      { tried: new Set(['joiner']) },
      [],
      ['joiner:triedBefore'],
    ],
  ])('%s', (_, overrides, catchUp, waiting) => {
    const needs = catchupNeeds(state(overrides));
    expect(needs.catchUp).toEqual(catchUp);
    expect(needs.waiting.map((w) => `${w.clusterId}:${w.reason.kind}`)).toEqual(waiting);
  });

  it('keeps placement order and judges each cluster on its own', () => {
    const needs = catchupNeeds(
      state({
        placed: [cluster('a'), cluster('b'), cluster('c', 'Offline'), cluster('d')],
        assignedCommit: new Map([['b', SETTLED]]),
        tried: new Set(['d']),
      }),
    );
    expect(needs).toEqual({
      catchUp: ['a'],
      waiting: [
        { clusterId: 'c', reason: { kind: 'offline' } },
        { clusterId: 'd', reason: { kind: 'triedBefore' } },
      ],
    });
  });
});

describe('catchupPlan', () => {
  it('is one wave at once, no soak or approval, a full failure budget and never a rollback', () => {
    const plan = catchupPlan(120);
    expect(plan.waves).toEqual([]);
    expect(plan.autoRollback).toBe(false);
    expect(plan.rest).toMatchObject({
      maxConcurrency: '100%',
      soakSeconds: 0,
      requireApproval: false,
      failureBudget: '100%',
      offlinePolicy: 'skip',
      progressDeadlineSeconds: 120,
    });
  });
});
