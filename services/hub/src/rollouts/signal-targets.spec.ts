import { describe, expect, it } from '@jest/globals';
import { type ClusterSignal } from '../reports/cluster-signals.js';
import { addSignal, type SignalTargets } from './signal-targets.js';

const a = '11111111-1111-4111-8111-111111111111';
const b = '22222222-2222-4222-8222-222222222222';

const targetsAfter = (signals: ClusterSignal[], wholeClusters: boolean) => {
  const targets: SignalTargets = { clusters: new Set(), placements: new Map() };
  for (const signal of signals) addSignal(targets, signal, wholeClusters);
  return { clusters: [...targets.clusters].sort(), placements: [...targets.placements.keys()].sort() };
};

describe('addSignal', () => {
  it.each<[string, ClusterSignal[], boolean, ReturnType<typeof targetsAfter>]>([
    ['nothing', [], false, { clusters: [], placements: [] }],
    [
      'a cluster whose status moved: all its rollouts',
      [{ clusterIds: [a], placements: [] }],
      false,
      { clusters: [a], placements: [] },
    ],
    [
      'a moved pair: that application only',
      [{ clusterIds: [], placements: [{ clusterId: a, application: 'web' }] }],
      false,
      { clusters: [], placements: [`${a}/web`] },
    ],
    [
      'signals of several batches collect, each pair once',
      [
        { clusterIds: [], placements: [{ clusterId: a, application: 'web' }] },
        {
          clusterIds: [b],
          placements: [
            { clusterId: a, application: 'web' },
            { clusterId: b, application: 'api' },
          ],
        },
      ],
      false,
      { clusters: [b], placements: [`${a}/web`, `${b}/api`] },
    ],
    [
      'with a per-cluster budget a moved pair concerns its whole cluster',
      [{ clusterIds: [], placements: [{ clusterId: a, application: 'web' }] }],
      true,
      { clusters: [a], placements: [] },
    ],
  ])('%s', (_name, signals, wholeClusters, expected) => {
    expect(targetsAfter(signals, wholeClusters)).toEqual(expected);
  });
});
