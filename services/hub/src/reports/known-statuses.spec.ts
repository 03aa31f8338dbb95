import { describe, expect, it } from '@jest/globals';
import { type BundleStatus, type Report } from '@fleetwave/contracts';
import { type AcceptedReport, knownSetAfter, PAIRS_READ_MAX, planKnownStatuses } from './known-statuses.js';
import { type MemoSet } from './status-memo.js';
import { healthyStatus } from './bundle-status-fixtures.js';

const a = '11111111-1111-4111-8111-111111111111';
const b = '22222222-2222-4222-8222-222222222222';
const bundle = (application: string, driftCorrections = 0): BundleStatus =>
  healthyStatus(application, { driftCorrections });

const statusReport = (clusterId: string, seq: number, bundles: BundleStatus[]): Report => ({
  schemaVersion: 1,
  kind: 'status',
  clusterId,
  seq,
  sentAt: '2026-12-03T10:00:00.000Z',
  agentVersion: '1',
  clusterStatus: 'Ready',
  bundles,
});

const accepted = (report: Report, knownBundles?: boolean[], bundleHashes?: string[]): AcceptedReport => ({
  report,
  ...(knownBundles ? { knownBundles } : {}),
  ...(bundleHashes ? { bundleHashes } : {}),
});

const knownA: ReadonlyMap<string, MemoSet> = new Map([[a, new Map([['h-web', bundle('web')]])]]);

describe('planKnownStatuses', () => {
  it('reads every stored status of a cluster not known, only the new-bytes pairs of a known one', () => {
    const plan = planKnownStatuses(
      [
        accepted(statusReport(a, 1, [bundle('web'), bundle('api')]), [true, false]),
        accepted(statusReport(b, 1, [bundle('web')])),
      ],
      knownA,
    );
    expect(plan.wholeClusters).toEqual([b]);
    expect(plan.pairs).toEqual([{ clusterId: a, application: 'api' }]);
    expect(plan.recognised).toBe(1);
  });

  it('leaves known statuses out of drift counting, unless an earlier report of the batch moved their pair', () => {
    const first = statusReport(a, 1, [bundle('web', 5), bundle('api')]);
    const second = statusReport(a, 2, [bundle('web', 0), bundle('api')]);
    const plan = planKnownStatuses([accepted(first, [false, true]), accepted(second, [true, true])], knownA);
    // The second report's web is the stored status again, after the first moved it: counted (a
    // lower count, a fresh counter); its api was never moved: left out.
    expect(plan.driftReports).toEqual([
      { ...first, bundles: [bundle('web', 5)] },
      { ...second, bundles: [bundle('web', 0)] },
    ]);
    expect(plan.pairs).toEqual([{ clusterId: a, application: 'web' }]);
    expect(plan.recognised).toBe(3);
  });

  it('a known cluster whose report has no flags (a v1 report): every pair read and counted', () => {
    const report = statusReport(a, 1, [bundle('web'), bundle('api')]);
    const plan = planKnownStatuses([accepted(report)], knownA);
    expect(plan.wholeClusters).toEqual([]);
    expect(plan.pairs).toEqual([
      { clusterId: a, application: 'web' },
      { clusterId: a, application: 'api' },
    ]);
    expect(plan.driftReports).toEqual([report]);
    expect(plan.recognised).toBe(0);
  });

  it(`a known cluster with more than ${PAIRS_READ_MAX} pairs sent with new bytes: all its statuses read`, () => {
    const many = Array.from({ length: PAIRS_READ_MAX + 1 }, (_, i) => bundle(`app-${i}`));
    const plan = planKnownStatuses(
      [
        accepted(
          statusReport(a, 1, many),
          many.map(() => false),
        ),
      ],
      knownA,
    );
    expect(plan).toMatchObject({ wholeClusters: [a], pairs: [] });
    const few = many.slice(0, PAIRS_READ_MAX);
    expect(
      planKnownStatuses(
        [
          accepted(
            statusReport(a, 1, few),
            few.map(() => false),
          ),
        ],
        knownA,
      ),
    ).toMatchObject({
      wholeClusters: [],
      pairs: few.map((b) => ({ clusterId: a, application: b.application })),
    });
  });

  it('passes heartbeats through', () => {
    const heartbeat: Report = { ...statusReport(a, 3, []), kind: 'heartbeat' } as unknown as Report;
    expect(planKnownStatuses([accepted(heartbeat)], knownA).driftReports).toEqual([heartbeat]);
  });
});

describe('knownSetAfter', () => {
  it.each<[string, AcceptedReport, string[] | undefined]>([
    [
      'by fingerprint',
      accepted(statusReport(a, 1, [bundle('web'), bundle('api', 2)]), undefined, ['h1', 'h2']),
      ['h1', 'h2'],
    ],
    ['no fingerprints (v1)', accepted(statusReport(a, 1, [bundle('web')])), undefined],
    [
      'fingerprints not one per status',
      accepted(statusReport(a, 1, [bundle('web')]), undefined, ['h1', 'h2']),
      undefined,
    ],
    [
      'an application named twice: the stored row is the last, not knowable by bytes alone',
      accepted(statusReport(a, 1, [bundle('web'), bundle('web', 1)]), undefined, ['h1', 'h2']),
      undefined,
    ],
  ])('%s', (_name, newest, expected) => {
    const set = knownSetAfter(newest);
    expect(set && [...set.keys()]).toEqual(expected);
  });

  it('keeps the decoded statuses themselves (what stands in for them when sent again)', () => {
    const api = bundle('api', 2);
    const set = knownSetAfter(accepted(statusReport(a, 1, [api]), undefined, ['h1']));
    expect(set?.get('h1')).toBe(api);
  });
});
