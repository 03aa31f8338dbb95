import { describe, expect, it } from '@jest/globals';
import { factLabelChanges, type ClusterLabels } from './fact-label-changes.js';
import { type ClusterUpdate } from './report-fold.js';

const a = '11111111-1111-4111-8111-111111111111';
const b = '22222222-2222-4222-8222-222222222222';
const update = (clusterId: string, facts: ClusterUpdate['facts']): ClusterUpdate => ({
  clusterId,
  seq: 1,
  status: 'Ready',
  facts,
  agentVersion: '0.1.0',
  maintenance: null,
});

describe('factLabelChanges', () => {
  const current = new Map<string, ClusterLabels>([
    [a, { name: 'alpha', labels: { env: 'prod', 'fleetwave.io/node-count': '3' } }],
    [b, { name: 'beta', labels: {} }],
  ]);

  it.each([
    ['no updates', [], []],
    ['an update without facts keeps the labels', [update(a, undefined)], []],
    ['the same facts change nothing', [update(a, { nodeCount: 3 })], []],
    [
      'new facts replace the fact labels, operator labels stay',
      [update(a, { nodeCount: 4, region: 'eu-west-1' })],
      [
        {
          clusterId: a,
          name: 'alpha',
          before: { env: 'prod', 'fleetwave.io/node-count': '3' },
          after: { env: 'prod', 'fleetwave.io/node-count': '4', 'fleetwave.io/region': 'eu-west-1' },
        },
      ],
    ],
    [
      'empty facts remove the fact labels',
      [update(a, {})],
      [
        {
          clusterId: a,
          name: 'alpha',
          before: { env: 'prod', 'fleetwave.io/node-count': '3' },
          after: { env: 'prod' },
        },
      ],
    ],
    [
      'a cluster not found (deregistered meanwhile) is skipped',
      [update('33333333-3333-4333-8333-333333333333', { nodeCount: 1 })],
      [],
    ],
    [
      'several clusters',
      [update(a, { nodeCount: 3 }), update(b, { provider: 'kind' })],
      [{ clusterId: b, name: 'beta', before: {}, after: { 'fleetwave.io/provider': 'kind' } }],
    ],
  ])('%s', (_name, updates, changes) => {
    expect(factLabelChanges(current, updates)).toEqual(changes);
  });
});
