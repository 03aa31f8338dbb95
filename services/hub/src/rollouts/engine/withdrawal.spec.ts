import { type LeavingCluster, type WithdrawalState, withdrawalsNeeded } from './withdrawal.js';

const EDITED = new Date('2026-01-02T00:00:00Z');
const BEFORE = new Date('2026-01-01T00:00:00Z');
const AFTER = new Date('2026-01-03T00:00:00Z');

function cluster(id: string, labels: Record<string, string>, deregistering = false): LeavingCluster {
  return { id, labels, deregistering };
}

const prod = cluster('a-prod', { env: 'prod' });
const staging = cluster('b-staging', { env: 'staging' });
const leaving = cluster('c-leaving', { env: 'prod' }, true);

function state(overrides: Partial<WithdrawalState>): WithdrawalState {
  return { target: 'env=prod', deleting: false, editedAt: EDITED, assigned: [], members: [], ...overrides };
}

describe('withdrawalsNeeded', () => {
  it.each<[string, Partial<WithdrawalState>, ReturnType<typeof withdrawalsNeeded>]>([
    [
      'a cluster the target still matches keeps its assignment',
      { assigned: [{ cluster: prod, assignedAt: AFTER }] },
      { withdraw: [], leave: [] },
    ],
    [
      'relabelled out after the last edit: labels',
      { assigned: [{ cluster: staging, assignedAt: AFTER }] },
      { withdraw: [{ clusterId: 'b-staging', reason: 'labels' }], leave: [] },
    ],
    [
      'the application edited since the cluster was assigned: target',
      { target: 'env=prod,tier=web', assigned: [{ cluster: prod, assignedAt: BEFORE }] },
      { withdraw: [{ clusterId: 'a-prod', reason: 'target' }], leave: [] },
    ],
    [
      'a cluster being deregistered, even one the target matches',
      { assigned: [{ cluster: leaving, assignedAt: AFTER }] },
      { withdraw: [{ clusterId: 'c-leaving', reason: 'deregistered' }], leave: [] },
    ],
    [
      'the application being deleted withdraws everywhere, before any other reason',
      {
        deleting: true,
        assigned: [
          { cluster: leaving, assignedAt: AFTER },
          { cluster: prod, assignedAt: AFTER },
          { cluster: staging, assignedAt: BEFORE },
        ],
      },
      {
        withdraw: [
          { clusterId: 'a-prod', reason: 'deleted' },
          { clusterId: 'b-staging', reason: 'deleted' },
          { clusterId: 'c-leaving', reason: 'deleted' },
        ],
        leave: [],
      },
    ],
    [
      'rollout members that left leave the rollout, assigned or not; those still placed stay',
      { members: [prod, staging, leaving], assigned: [{ cluster: staging, assignedAt: AFTER }] },
      { withdraw: [{ clusterId: 'b-staging', reason: 'labels' }], leave: ['b-staging', 'c-leaving'] },
    ],
    ['nothing assigned and no rollout: nothing to do', { deleting: true }, { withdraw: [], leave: [] }],
  ])('%s', (_, overrides, expected) => {
    expect(withdrawalsNeeded(state(overrides))).toEqual(expected);
  });

  it('cordon is not a reason: the decision does not even read it', () => {
    const cordoned = { ...prod, cordoned: true };
    expect(withdrawalsNeeded(state({ assigned: [{ cluster: cordoned, assignedAt: AFTER }] }))).toEqual({
      withdraw: [],
      leave: [],
    });
  });

  it('refuses a target that does not parse', () => {
    expect(() => withdrawalsNeeded(state({ target: 'env in (prod' }))).toThrow();
  });
});
