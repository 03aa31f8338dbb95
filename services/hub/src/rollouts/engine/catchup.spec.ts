import { type CatchupState, catchupNeeds, catchupPlan, catchupVerdict } from './catchup.js';
import { type AssignmentRecord, decide } from './engine.js';
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
    inProgress: null,
    placed: [cluster('joiner')],
    assignedCommit: new Map(),
    inActiveRollout: new Set(),
    tried: new Set(),
    ...overrides,
  };
}

const ROLLOUT = { id: 'r2', commit: NEWER, joinable: true };
const ROLLBACK = { id: 'r3', commit: OLDER, joinable: false };

describe('catchupNeeds', () => {
  // [case, state, catch up, join, waiting]
  it.each<[string, Partial<CatchupState>, string[], string[], string[]]>([
    ['a cluster never assigned the application is caught up', {}, ['joiner'], [], []],
    [
      'a cluster on an older commit is caught up',
      { assignedCommit: new Map([['joiner', OLDER]]) },
      ['joiner'],
      [],
      [],
    ],
    [
      'a cluster on the settled commit needs nothing',
      { assignedCommit: new Map([['joiner', SETTLED]]) },
      [],
      [],
      [],
    ],
    [
      'a cluster left on a newer commit by a rollout that failed is caught up to the settled one',
      { assignedCommit: new Map([['joiner', NEWER]]) },
      ['joiner'],
      [],
      [],
    ],
    ['no settled revision: nothing to catch up to', { settledCommit: null }, [], [], []],
    ['a member of a running rollout moves with it', { inActiveRollout: new Set(['joiner']) }, [], [], []],
    ['join policy wave: joins the running rollout', { inProgress: ROLLOUT }, [], ['joiner'], []],
    [
      'join policy wave: joins the first rollout, even with no settled revision yet',
      { inProgress: ROLLOUT, settledCommit: null },
      [],
      ['joiner'],
      [],
    ],
    [
      'join policy wave: a cluster already on the rollout commit does not join',
      { inProgress: ROLLOUT, assignedCommit: new Map([['joiner', NEWER]]) },
      [],
      [],
      [],
    ],
    [
      'join policy wave: an offline cluster joins too (the rollout offline policy decides)',
      { inProgress: ROLLOUT, placed: [cluster('joiner', 'Offline')] },
      [],
      ['joiner'],
      [],
    ],
    [
      'join policy wave: waits while a rollback runs',
      { inProgress: ROLLBACK },
      [],
      [],
      ['joiner:rolloutInProgress'],
    ],
    [
      'join policy wave, rollback running, on the settled commit: nothing to wait for',
      { inProgress: ROLLBACK, assignedCommit: new Map([['joiner', SETTLED]]) },
      [],
      [],
      [],
    ],
    [
      'join policy settled: the settled revision now, while a rollout runs',
      { inProgress: ROLLOUT, joinPolicy: 'settled' },
      ['joiner'],
      [],
      [],
    ],
    [
      'join policy settled: the settled revision now, while a rollback runs',
      { inProgress: ROLLBACK, joinPolicy: 'settled' },
      ['joiner'],
      [],
      [],
    ],
    ['an Offline cluster waits', { placed: [cluster('joiner', 'Offline')] }, [], [], ['joiner:offline']],
    ['an Unknown cluster waits', { placed: [cluster('joiner', 'Unknown')] }, [], [], ['joiner:offline']],
    [
      'a Pending cluster (its agent not heard from yet) waits',
      { placed: [cluster('joiner', 'Pending')] },
      [],
      [],
      ['joiner:notConnected'],
    ],
    [
      'a NotReady cluster is caught up (its agent reports)',
      { placed: [cluster('joiner', 'NotReady')] },
      ['joiner'],
      [],
      [],
    ],
    [
      'a cluster a catch-up to this commit already tried is not tried again',
      { tried: new Set(['joiner']) },
      [],
      [],
      ['joiner:triedBefore'],
    ],
  ])('%s', (_, overrides, catchUp, join, waiting) => {
    const needs = catchupNeeds(state(overrides));
    expect(needs.catchUp).toEqual(catchUp);
    expect(needs.join).toEqual(join);
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
      join: [],
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

describe('catchupVerdict', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const DIGEST = 'sha256:settled';

  function member(name: string, phase: 'Healthy' | 'Failed' | 'Progressing'): AssignmentRecord {
    return {
      clusterId: name,
      name,
      wave: 'rest',
      digestAssigned: DIGEST,
      assignedAt: T0,
      reported: { digest: DIGEST, phase, at: new Date(T0.getTime() + 1000) },
      clusterStatus: 'Ready',
      cordoned: false,
      skipped: false,
      timedOut: false,
    };
  }

  /** The engine's decision on a catch-up whose members are as given (`bare` has no bundle). */
  function decided(members: AssignmentRecord[], bare: string[] = []) {
    const digest = Object.fromEntries(
      members.filter((m) => !bare.includes(m.clusterId)).map((m) => [m.clusterId, DIGEST]),
    );
    return decide(
      {
        id: 'c1',
        digest,
        plan: catchupPlan(600),
        currentWave: 0,
        state: 'Progressing',
        paused: false,
        waves: [{ startedAt: T0, healthyAt: null, approvedAt: null }],
        assignments: members,
      },
      new Date(T0.getTime() + 2000),
    );
  }

  it.each<[string, AssignmentRecord[], string[], string, RegExp | null]>([
    [
      'every member healthy: Succeeded',
      [member('a', 'Healthy'), member('b', 'Healthy')],
      [],
      'Succeeded',
      null,
    ],
    [
      'a member failed: Failed, the others kept going',
      [member('a', 'Healthy'), member('b', 'Failed')],
      [],
      'Failed',
      /^1 cluster\(s\) did not take/,
    ],
    [
      'a member without a bundle: Failed',
      [member('a', 'Healthy'), { ...member('b', 'Healthy'), digestAssigned: null, reported: null }],
      ['b'],
      'Failed',
      /^1 cluster\(s\)/,
    ],
    ['a member still progressing: not finished yet', [member('a', 'Progressing')], [], 'Progressing', null],
  ])('%s', (_, members, bare, state, message) => {
    const verdict = catchupVerdict(decided(members, bare));
    expect(verdict.decision.nextState).toBe(state);
    if (message === null) expect(verdict.message).toBeNull();
    else expect(verdict.message).toMatch(message);
    expect(verdict.decision.rollback).toBe(false);
  });
});
