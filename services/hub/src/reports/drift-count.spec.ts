import { describe, expect, it } from '@jest/globals';
import { type BundleStatus, type Report } from '@fleetwave/contracts';
import { announceDrift, driftIncreases, pairKey, type ReportedDrift } from './drift-count.js';
import { healthyStatus } from './bundle-status-fixtures.js';

const a = '11111111-1111-4111-8111-111111111111';
const b = '22222222-2222-4222-8222-222222222222';
const d1 = `sha256:${'1'.repeat(64)}`;
const d2 = `sha256:${'2'.repeat(64)}`;

const bundle = (application: string, digest: string, driftCorrections: number): BundleStatus =>
  healthyStatus(application, { digest, driftCorrections, observedAt: '2026-12-02T08:00:00.000Z' });
let seq = 0;
const status = (clusterId: string, ...bundles: BundleStatus[]): Report => ({
  schemaVersion: 1,
  kind: 'status',
  clusterId,
  seq: seq++,
  sentAt: '2026-12-02T08:00:00.000Z',
  agentVersion: '0.1.0',
  clusterStatus: 'Ready',
  bundles,
});
const stored = (entries: [string, string, ReportedDrift][]): Map<string, ReportedDrift> =>
  new Map(entries.map(([cluster, app, drift]) => [pairKey(cluster, app), drift]));

describe('driftIncreases', () => {
  it.each<
    [
      string,
      Map<string, ReportedDrift>,
      Report[],
      { clusterId: string; application: string; corrections: number }[],
    ]
  >([
    ['nothing reported', stored([]), [], []],
    ['a first report with no corrections adds nothing', stored([]), [status(a, bundle('web', d1, 0))], []],
    [
      'a first report counts all it says',
      stored([]),
      [status(a, bundle('web', d1, 2))],
      [{ clusterId: a, application: 'web', corrections: 2 }],
    ],
    [
      'same digest: the difference',
      stored([[a, 'web', { digest: d1, driftCorrections: 3 }]]),
      [status(a, bundle('web', d1, 5))],
      [{ clusterId: a, application: 'web', corrections: 2 }],
    ],
    [
      'same digest, same count: nothing',
      stored([[a, 'web', { digest: d1, driftCorrections: 3 }]]),
      [status(a, bundle('web', d1, 3))],
      [],
    ],
    [
      'a new digest restarts the count',
      stored([[a, 'web', { digest: d1, driftCorrections: 3 }]]),
      [status(a, bundle('web', d2, 1))],
      [{ clusterId: a, application: 'web', corrections: 1 }],
    ],
    [
      'a lower count (agent restarted) counts all it says',
      stored([[a, 'web', { digest: d1, driftCorrections: 3 }]]),
      [status(a, bundle('web', d1, 1))],
      [{ clusterId: a, application: 'web', corrections: 1 }],
    ],
    [
      'several reports in a batch: each step counts, a restart in between included',
      stored([[a, 'web', { digest: d1, driftCorrections: 1 }]]),
      [status(a, bundle('web', d1, 4)), status(a, bundle('web', d1, 2)), status(a, bundle('web', d1, 3))],
      [{ clusterId: a, application: 'web', corrections: 3 + 2 + 1 }],
    ],
    [
      'pairs are apart: clusters and applications',
      stored([[b, 'web', { digest: d1, driftCorrections: 1 }]]),
      [status(a, bundle('web', d1, 1), bundle('api', d1, 0)), status(b, bundle('web', d1, 2))],
      [
        { clusterId: a, application: 'web', corrections: 1 },
        { clusterId: b, application: 'web', corrections: 1 },
      ],
    ],
  ])('%s', (_name, before, reports, expected) => {
    expect(driftIncreases(before, reports)).toEqual(expected);
  });

  it('ignores heartbeats', () => {
    expect(
      driftIncreases(stored([]), [
        {
          schemaVersion: 1,
          kind: 'heartbeat',
          clusterId: a,
          seq: 1,
          sentAt: '2026-12-02T08:00:00.000Z',
          agentVersion: '0.1.0',
          clusterStatus: 'Ready',
        },
      ]),
    ).toEqual([]);
  });
});

describe('announceDrift (at most one event per pair per 10 minutes)', () => {
  const t0 = new Date('2026-12-02T08:00:00.000Z');
  const at = (minutes: number): Date => new Date(t0.getTime() + minutes * 60_000);
  it.each<
    [
      string,
      { lastEventAt: Date | null; unannounced: number },
      number,
      Date,
      number | null,
      { lastEventAt: Date | null; unannounced: number },
    ]
  >([
    [
      'never announced: at once',
      { lastEventAt: null, unannounced: 0 },
      2,
      t0,
      2,
      { lastEventAt: t0, unannounced: 0 },
    ],
    [
      'within the interval: kept',
      { lastEventAt: t0, unannounced: 0 },
      1,
      at(9),
      null,
      { lastEventAt: t0, unannounced: 1 },
    ],
    [
      'kept ones add up',
      { lastEventAt: t0, unannounced: 4 },
      1,
      at(9.99),
      null,
      { lastEventAt: t0, unannounced: 5 },
    ],
    [
      'after the interval: everything since the last event',
      { lastEventAt: t0, unannounced: 5 },
      1,
      at(10),
      6,
      { lastEventAt: at(10), unannounced: 0 },
    ],
    [
      'no new corrections: no event, even when due',
      { lastEventAt: t0, unannounced: 5 },
      0,
      at(30),
      null,
      { lastEventAt: t0, unannounced: 5 },
    ],
  ])('%s', (_name, state, corrections, now, announce, next) => {
    expect(announceDrift(state, corrections, now)).toEqual({ announce, next });
  });
});
