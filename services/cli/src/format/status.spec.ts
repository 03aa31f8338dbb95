import { describe, expect, it } from '@jest/globals';
import { type Placement } from '../resources/placements.js';
import { driftCell, placementPhase, shortCommit, statusTable } from './status.js';

const now = new Date('2026-12-02T08:00:00.000Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const c1 = 'a1b2c3d4e5f6'.padEnd(40, '0');
const c2 = 'ffeeddccbbaa'.padEnd(40, '1');

const healthy: Placement = {
  cluster: { id: 'id-1', name: 'prod-1' },
  application: 'web',
  placed: true,
  phase: 'Healthy',
  behind: false,
  desiredCommit: c1,
  desiredDigest: `sha256:${'a'.repeat(64)}`,
  reportedCommit: c1,
  reportedDigest: `sha256:${'a'.repeat(64)}`,
  ready: 3,
  total: 3,
  failing: [],
  failingCount: 0,
  driftCorrections: 3,
  driftCorrectionsLastHour: 1,
  lastDriftAt: ago(30),
  assignedAt: ago(3600),
  lastAppliedAt: ago(20),
  lastReportAt: ago(5),
  maintenance: null,
  waiting: null,
};
const waiting: Placement = {
  ...healthy,
  cluster: { id: 'id-2', name: 'prod-2' },
  phase: 'Degraded',
  behind: true,
  desiredCommit: c2,
  reportedCommit: c1,
  ready: 1,
  failing: [{ id: 'shop_web_apps_Deployment', reason: 'ProgressDeadlineExceeded', message: 'timed out' }],
  failingCount: 2,
  driftCorrections: 0,
  driftCorrectionsLastHour: 0,
  maintenance: { reason: 'node pool upgrade', since: ago(600) },
  waiting: { kind: 'maintenance', message: 'cluster in maintenance' },
};
const missing: Placement = {
  ...healthy,
  cluster: { id: 'id-3', name: 'prod-3' },
  phase: 'Missing',
  behind: true,
  reportedCommit: null,
  reportedDigest: null,
  ready: null,
  total: null,
  driftCorrections: 0,
  driftCorrectionsLastHour: 0,
  lastAppliedAt: null,
  lastReportAt: null,
  waiting: { kind: 'notConnected', message: 'the agent has not reported yet' },
};

describe('fleetctl status rendering', () => {
  it.each([
    [{ phase: 'Healthy', behind: false, maintenance: null }, 'Healthy'],
    [{ phase: 'Healthy', behind: true, maintenance: null }, 'Healthy,Behind'],
    [
      { phase: 'Missing', behind: true, maintenance: { reason: 'r', since: ago(1) } },
      'Missing,Behind,Maintenance',
    ],
  ] as const)('phase %p → %s', (p, expected) => {
    expect(placementPhase(p)).toBe(expected);
  });

  it('shows commits short and drift as last hour/all', () => {
    expect(shortCommit(c1)).toBe('a1b2c3d4e5f6');
    expect(shortCommit(null)).toBe('<none>');
    expect(driftCell({ driftCorrections: 7, driftCorrectionsLastHour: 2 })).toBe('2/7');
  });

  it('renders the matrix like kubectl', () => {
    expect(statusTable([healthy, waiting, missing], now)).toBe(
      [
        'APP   CLUSTER   PHASE                         READY   COMMIT         DESIRED        DRIFT   LAST REPORT',
        'web   prod-1    Healthy                       3/3     a1b2c3d4e5f6   a1b2c3d4e5f6   1/3     5s',
        'web   prod-2    Degraded,Behind,Maintenance   1/3     a1b2c3d4e5f6   ffeeddccbbaa   0/0     5s',
        'web   prod-3    Missing,Behind                -       <none>         a1b2c3d4e5f6   0/0     <none>',
        '',
      ].join('\n'),
    );
  });

  it('-o wide adds when it last applied, why it waits and the first failing object', () => {
    const lines = statusTable([healthy, waiting, missing], now, true).split('\n');
    expect(lines[0]).toMatch(/LAST REPORT {3}LAST APPLIED {3}WAITING {8}FAILING$/);
    expect(lines[1]).toMatch(/5s {12}20s {12}- {14}-$/);
    expect(lines[2]).toMatch(/maintenance {4}shop_web_apps_Deployment: ProgressDeadlineExceeded \(\+1\)$/);
    expect(lines[3]).toMatch(/<none> {8}<none> {9}notConnected {3}-$/);
  });
});
