import { describe, expect, it } from '@jest/globals';
import { type BundleStatus, type Maintenance, type Report } from '@fleetwave/contracts';
import { foldReports, maintenanceChanged, type StoredMaintenance } from './report-fold.js';

const id = '11111111-1111-4111-8111-111111111111';
const base = {
  schemaVersion: 1 as const,
  clusterId: id,
  sentAt: '2026-11-22T02:00:00.000Z',
  agentVersion: '0.1.0',
};
const other = '22222222-2222-4222-8222-222222222222';
const upgrade = { reason: 'node pool upgrade', since: '2026-11-22T01:00:00.000Z' };
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
    ['nothing', [], { clusters: [], bundleSets: [], removals: [] }],
    [
      'heartbeats only: the newest wins, facts carried from an earlier report',
      [
        { ...base, kind: 'heartbeat', seq: 1, clusterStatus: 'Ready', facts: { nodeCount: 3 } },
        { ...base, kind: 'heartbeat', seq: 2, clusterStatus: 'NotReady', agentVersion: '0.2.0' },
      ],
      {
        clusters: [
          {
            clusterId: id,
            seq: 2,
            status: 'NotReady',
            facts: { nodeCount: 3 },
            agentVersion: '0.2.0',
            maintenance: null,
          },
        ],
        bundleSets: [],
        removals: [],
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
        clusters: [
          {
            clusterId: id,
            seq: 5,
            status: 'Ready',
            facts: undefined,
            agentVersion: '0.1.0',
            maintenance: null,
          },
        ],
        bundleSets: [{ clusterId: id, bundles: [bundle('web', 'Healthy')] }],
        removals: [],
      },
    ],
    [
      'maintenance from the newest report: a heartbeat carrying it sets it',
      [
        { ...base, kind: 'status', seq: 6, clusterStatus: 'Ready', bundles: [] },
        { ...base, kind: 'heartbeat', seq: 7, clusterStatus: 'Ready', maintenance: upgrade },
      ],
      {
        clusters: [
          {
            clusterId: id,
            seq: 7,
            status: 'Ready',
            facts: undefined,
            agentVersion: '0.1.0',
            maintenance: upgrade,
          },
        ],
        bundleSets: [{ clusterId: id, bundles: [] }],
        removals: [],
      },
    ],
    [
      'maintenance from the newest report: a later report without it clears it (absent or null)',
      [
        { ...base, kind: 'heartbeat', seq: 8, clusterStatus: 'Ready', maintenance: upgrade },
        { ...base, kind: 'status', seq: 9, clusterStatus: 'Ready', bundles: [], maintenance: null },
        { ...base, kind: 'heartbeat', seq: 10, clusterStatus: 'Ready', maintenance: upgrade },
        { ...base, kind: 'heartbeat', seq: 11, clusterStatus: 'Ready' },
      ],
      {
        clusters: [
          {
            clusterId: id,
            seq: 11,
            status: 'Ready',
            facts: undefined,
            agentVersion: '0.1.0',
            maintenance: null,
          },
        ],
        bundleSets: [{ clusterId: id, bundles: [] }],
        removals: [],
      },
    ],
    [
      'maintenance per cluster: one cluster in maintenance leaves the other out of it',
      [
        { ...base, kind: 'heartbeat', seq: 1, clusterStatus: 'Ready', maintenance: upgrade },
        { ...base, clusterId: other, kind: 'heartbeat', seq: 4, clusterStatus: 'Ready' },
      ],
      {
        clusters: [
          {
            clusterId: id,
            seq: 1,
            status: 'Ready',
            facts: undefined,
            agentVersion: '0.1.0',
            maintenance: upgrade,
          },
          {
            clusterId: other,
            seq: 4,
            status: 'Ready',
            facts: undefined,
            agentVersion: '0.1.0',
            maintenance: null,
          },
        ],
        bundleSets: [],
        removals: [],
      },
    ],
    [
      'removals: the union of every status report of the cluster; heartbeats carry none',
      [
        { ...base, kind: 'status', seq: 1, clusterStatus: 'Ready', bundles: [], removed: ['web', 'api'] },
        { ...base, kind: 'status', seq: 2, clusterStatus: 'Ready', bundles: [], removed: ['web'] },
        { ...base, kind: 'status', seq: 3, clusterStatus: 'Ready', bundles: [] },
        {
          ...base,
          clusterId: other,
          kind: 'status',
          seq: 1,
          clusterStatus: 'Ready',
          bundles: [],
          removed: [],
        },
        { ...base, kind: 'heartbeat', seq: 4, clusterStatus: 'Ready' },
      ],
      {
        clusters: [
          {
            clusterId: id,
            seq: 4,
            status: 'Ready',
            facts: undefined,
            agentVersion: '0.1.0',
            maintenance: null,
          },
          {
            clusterId: other,
            seq: 1,
            status: 'Ready',
            facts: undefined,
            agentVersion: '0.1.0',
            maintenance: null,
          },
        ],
        bundleSets: [
          { clusterId: id, bundles: [] },
          { clusterId: other, bundles: [] },
        ],
        removals: [{ clusterId: id, applications: ['api', 'web'] }],
      },
    ],
  ])('%s', (_case, reports, expected) => {
    expect(foldReports(reports)).toEqual(expected);
  });
});

describe('maintenanceChanged', () => {
  const stored: StoredMaintenance = { reason: upgrade.reason, since: new Date(upgrade.since) };
  it.each<[string, StoredMaintenance | null, Maintenance | null, boolean]>([
    ['none before, none now', null, null, false],
    ['entered', null, upgrade, true],
    ['ended', stored, null, true],
    ['the same maintenance again', stored, upgrade, false],
    [
      'the same instant spelled with microseconds',
      stored,
      { ...upgrade, since: '2026-11-22T01:00:00.000000Z' },
      false,
    ],
    ['a new reason', stored, { ...upgrade, reason: 'etcd restore' }, true],
    ['a new since (the agent restarted)', stored, { ...upgrade, since: '2026-11-22T01:30:00.000Z' }, true],
  ])('%s', (_case, before, after, expected) => {
    expect(maintenanceChanged(before, after)).toBe(expected);
  });
});
