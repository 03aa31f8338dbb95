import { describe, expect, it } from '@jest/globals';
import { type BundleStatus } from '@fleetwave/contracts';
import {
  type BundleStatusChanges,
  bundleStatusChanges,
  type ComparedSet,
  type StoredBundleStatus,
} from './bundle-status-changes.js';
import { pairKey } from './drift-count.js';
import { type BundleSet } from './report-fold.js';
import { DIGEST_2, healthyStatus } from './bundle-status-fixtures.js';

const a = '11111111-1111-4111-8111-111111111111';
const b = '22222222-2222-4222-8222-222222222222';
const D2 = DIGEST_2;
const AT = '2026-12-02T15:00:00.000Z';

const reported = (application: string, fields: Partial<BundleStatus> = {}): BundleStatus =>
  healthyStatus(application, { observedAt: AT, ...fields });

/** The same status as Postgres gives it back (a Date, jsonb's own key order for `failing`). */
const stored = (clusterId: string, status: BundleStatus): StoredBundleStatus => ({
  clusterId,
  ...status,
  failing: status.failing.map(({ message, id, reason }) => ({ message, id, reason })),
  observedAt: new Date(status.observedAt),
});

const storedMap = (...rows: StoredBundleStatus[]) =>
  new Map(rows.map((r) => [pairKey(r.clusterId, r.application), r]));

const failing = [{ id: 'web_deploy_apps_Deployment', reason: 'CrashLoop', message: 'back-off' }];

describe('bundleStatusChanges', () => {
  it.each<[string, Map<string, StoredBundleStatus>, BundleSet[], BundleStatusChanges]>([
    ['nothing reported', storedMap(stored(a, reported('web'))), [], { writes: [], deletions: [], moved: [] }],
    [
      'the very same report again: nothing written, nothing moved',
      storedMap(stored(a, reported('web')), stored(a, reported('api', { phase: 'Failed', failing }))),
      [{ clusterId: a, bundles: [reported('web'), reported('api', { phase: 'Failed', failing })] }],
      { writes: [], deletions: [], moved: [] },
    ],
    [
      'a new application: written and moved',
      storedMap(),
      [{ clusterId: a, bundles: [reported('web')] }],
      {
        writes: [{ clusterId: a, ...reported('web') }],
        deletions: [],
        moved: [{ clusterId: a, application: 'web' }],
      },
    ],
    [
      'one of 3 changed phase: only it is written and moved',
      storedMap(
        stored(a, reported('web', { phase: 'Progressing', ready: 0 })),
        stored(a, reported('api')),
        stored(a, reported('db')),
      ),
      [{ clusterId: a, bundles: [reported('web'), reported('api'), reported('db')] }],
      {
        writes: [{ clusterId: a, ...reported('web') }],
        deletions: [],
        moved: [{ clusterId: a, application: 'web' }],
      },
    ],
    [
      'a new digest in the same phase moves',
      storedMap(stored(a, reported('web'))),
      [{ clusterId: a, bundles: [reported('web', { digest: D2 })] }],
      {
        writes: [{ clusterId: a, ...reported('web', { digest: D2 }) }],
        deletions: [],
        moved: [{ clusterId: a, application: 'web' }],
      },
    ],
    [
      'ready count, drift count, failing message or observation time: written, not moved',
      storedMap(
        stored(a, reported('r', { phase: 'Progressing', ready: 0, total: 2 })),
        stored(a, reported('d')),
        stored(a, reported('f', { phase: 'Degraded', failing })),
        stored(a, reported('o')),
      ),
      [
        {
          clusterId: a,
          bundles: [
            reported('r', { phase: 'Progressing', ready: 1, total: 2 }),
            reported('d', { driftCorrections: 2 }),
            reported('f', { phase: 'Degraded', failing: [{ ...failing[0]!, message: 'other' }] }),
            reported('o', { observedAt: '2026-12-02T15:05:00.000Z' }),
          ],
        },
      ],
      {
        writes: [
          { clusterId: a, ...reported('r', { phase: 'Progressing', ready: 1, total: 2 }) },
          { clusterId: a, ...reported('d', { driftCorrections: 2 }) },
          {
            clusterId: a,
            ...reported('f', { phase: 'Degraded', failing: [{ ...failing[0]!, message: 'other' }] }),
          },
          { clusterId: a, ...reported('o', { observedAt: '2026-12-02T15:05:00.000Z' }) },
        ],
        deletions: [],
        moved: [],
      },
    ],
    [
      'an application no longer reported is deleted and moves; other clusters are left alone',
      storedMap(stored(a, reported('web')), stored(a, reported('gone')), stored(b, reported('gone'))),
      [{ clusterId: a, bundles: [reported('web')] }],
      {
        writes: [],
        deletions: [{ clusterId: a, application: 'gone' }],
        moved: [{ clusterId: a, application: 'gone' }],
      },
    ],
    [
      'two clusters: each compared with its own rows',
      storedMap(stored(a, reported('web')), stored(b, reported('web', { phase: 'Progressing' }))),
      [
        { clusterId: a, bundles: [reported('web')] },
        { clusterId: b, bundles: [reported('web')] },
      ],
      {
        writes: [{ clusterId: b, ...reported('web') }],
        deletions: [],
        moved: [{ clusterId: b, application: 'web' }],
      },
    ],
    [
      'an application listed twice: one write, the last entry',
      storedMap(),
      [{ clusterId: a, bundles: [reported('web', { phase: 'Progressing' }), reported('web')] }],
      {
        writes: [{ clusterId: a, ...reported('web') }],
        deletions: [],
        moved: [{ clusterId: a, application: 'web' }],
      },
    ],
  ])('%s', (_name, before, sets, expected) => {
    expect(bundleStatusChanges(before, sets)).toEqual(expected);
  });
});

describe('bundleStatusChanges with the stored set known (only pairs sent with new bytes read)', () => {
  it.each<[string, Map<string, StoredBundleStatus>, ComparedSet[], BundleStatusChanges]>([
    [
      'every status known: nothing read, nothing written, nothing moved',
      storedMap(),
      [
        {
          clusterId: a,
          bundles: [reported('web'), reported('api')],
          known: [true, true],
          storedApplications: ['web', 'api'],
        },
      ],
      { writes: [], deletions: [], moved: [] },
    ],
    [
      'one sent with new bytes: compared with its stored row, written and moved alone',
      storedMap(stored(a, reported('api', { phase: 'Progressing' }))),
      [
        {
          clusterId: a,
          bundles: [reported('web'), reported('api')],
          known: [true, false],
          storedApplications: ['web', 'api'],
        },
      ],
      {
        writes: [{ clusterId: a, ...reported('api') }],
        deletions: [],
        moved: [{ clusterId: a, application: 'api' }],
      },
    ],
    [
      'new bytes, same fields (e.g. another key order): compared, nothing written',
      storedMap(stored(a, reported('api'))),
      [
        {
          clusterId: a,
          bundles: [reported('web'), reported('api')],
          known: [true, false],
          storedApplications: ['web', 'api'],
        },
      ],
      { writes: [], deletions: [], moved: [] },
    ],
    [
      'a stored application no longer reported: deleted and moved, from the known applications',
      storedMap(),
      [{ clusterId: a, bundles: [reported('web')], known: [true], storedApplications: ['web', 'gone'] }],
      {
        writes: [],
        deletions: [{ clusterId: a, application: 'gone' }],
        moved: [{ clusterId: a, application: 'gone' }],
      },
    ],
    [
      'a new application next to known ones: written and moved',
      storedMap(),
      [
        {
          clusterId: a,
          bundles: [reported('web'), reported('new')],
          known: [true, false],
          storedApplications: ['web'],
        },
      ],
      {
        writes: [{ clusterId: a, ...reported('new') }],
        deletions: [],
        moved: [{ clusterId: a, application: 'new' }],
      },
    ],
    [
      'a known cluster next to one compared whole: each by its own path',
      storedMap(
        stored(b, reported('web')),
        stored(b, reported('old')),
        stored(a, reported('api', { ready: 0 })),
      ),
      [
        {
          clusterId: a,
          bundles: [reported('web'), reported('api')],
          known: [true, false],
          storedApplications: ['web', 'api'],
        },
        { clusterId: b, bundles: [reported('web')] },
      ],
      {
        writes: [{ clusterId: a, ...reported('api') }],
        deletions: [{ clusterId: b, application: 'old' }],
        moved: [{ clusterId: b, application: 'old' }],
      },
    ],
  ])('%s', (_name, before, sets, expected) => {
    expect(bundleStatusChanges(before, sets)).toEqual(expected);
  });
});
