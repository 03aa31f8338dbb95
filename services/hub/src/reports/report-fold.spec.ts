import { describe, expect, it } from '@jest/globals';
import { type BundleStatus, type Report } from '@fleetwave/contracts';
import { foldReports } from './report-fold.js';

const id = '11111111-1111-4111-8111-111111111111';
const base = {
  schemaVersion: 1 as const,
  clusterId: id,
  sentAt: '2026-11-22T02:00:00.000Z',
  agentVersion: '0.1.0',
};
const bundle = (application: string, phase: BundleStatus['phase']): BundleStatus => ({
  application,
  digest: `sha256:${'a'.repeat(64)}`,
  commit: 'b'.repeat(40),
  phase,
  ready: 1,
  total: 1,
  failing: [],
  driftCorrections: 0,
  observedAt: '2026-11-22T02:00:00.000Z',
});

describe('foldReports', () => {
  it.each<[string, Report[], ReturnType<typeof foldReports>]>([
    ['nothing', [], { clusters: [], bundleSets: [] }],
    [
      'heartbeats only: the newest wins, facts carried from an earlier report',
      [
        { ...base, kind: 'heartbeat', seq: 1, clusterStatus: 'Ready', facts: { nodeCount: 3 } },
        { ...base, kind: 'heartbeat', seq: 2, clusterStatus: 'NotReady', agentVersion: '0.2.0' },
      ],
      {
        clusters: [
          { clusterId: id, seq: 2, status: 'NotReady', facts: { nodeCount: 3 }, agentVersion: '0.2.0' },
        ],
        bundleSets: [],
      },
    ],
    [
      'a status report then a heartbeat: the bundle set of the status report stands',
      [
        { ...base, kind: 'status', seq: 3, clusterStatus: 'Ready', bundles: [bundle('web', 'Progressing')] },
        { ...base, kind: 'status', seq: 4, clusterStatus: 'Ready', bundles: [bundle('web', 'Healthy')] },
        { ...base, kind: 'heartbeat', seq: 5, clusterStatus: 'Ready' },
      ],
      {
        clusters: [{ clusterId: id, seq: 5, status: 'Ready', facts: undefined, agentVersion: '0.1.0' }],
        bundleSets: [{ clusterId: id, bundles: [bundle('web', 'Healthy')] }],
      },
    ],
  ])('%s', (_case, reports, expected) => {
    expect(foldReports(reports)).toEqual(expected);
  });
});
