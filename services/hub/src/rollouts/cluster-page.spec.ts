import { describe, expect, it } from '@jest/globals';
import { type AssignmentPhase } from './engine/index.js';
import { type ClusterPageRequest, MAX_CLUSTER_PAGE_SIZE, pageOfClusters } from './cluster-page.js';

const MEMBERS: { name: string; phase: AssignmentPhase }[] = [
  { name: 'c1', phase: 'Healthy' },
  { name: 'c2', phase: 'Failed' },
  { name: 'c3', phase: 'Healthy' },
  { name: 'c4', phase: 'Pending' },
  { name: 'c5', phase: 'Failed' },
];

describe('pageOfClusters', () => {
  it.each<[string, ClusterPageRequest, string[]]>([
    ['no arguments: every member, in order', {}, ['c1', 'c2', 'c3', 'c4', 'c5']],
    ['first', { first: 2 }, ['c1', 'c2']],
    ['first: 0', { first: 0 }, []],
    ['after', { after: 'c2', first: 2 }, ['c3', 'c4']],
    ['after the last member: an empty page', { after: 'c5' }, []],
    ['phases', { phases: ['Failed'] }, ['c2', 'c5']],
    ['phases and first', { phases: ['Healthy', 'Pending'], first: 2 }, ['c1', 'c3']],
    ['empty phases: every phase', { phases: [], first: 1 }, ['c1']],
    // The cursor's cluster is Healthy, outside the filter: its place in the order still counts.
    ['after a member the filter leaves out', { phases: ['Failed'], after: 'c3' }, ['c5']],
  ])('%s', (_, request, names) => {
    expect(pageOfClusters(MEMBERS, request).map((m) => m.name)).toEqual(names);
  });

  it.each<[string, ClusterPageRequest, string]>([
    ['a negative first', { first: -1 }, 'first must be between 0 and 1000'],
    ['a first over the maximum', { first: MAX_CLUSTER_PAGE_SIZE + 1 }, 'first must be between 0 and 1000'],
    [
      'after a cluster that is no member',
      { after: 'nope' },
      'after: cluster "nope" is not a member of this rollout',
    ],
  ])('refuses %s (INVALID_ARGUMENT)', (_, request, message) => {
    expect(() => pageOfClusters(MEMBERS, request)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message }),
    );
  });
});
