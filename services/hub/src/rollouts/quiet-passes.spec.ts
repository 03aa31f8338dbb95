import { type Decision } from './engine/index.js';
import { concernOf, heldUnsignalled, type PassRecord, sweepPasses } from './quiet-passes.js';

const MINUTE = 60_000;
const T = Date.parse('2026-12-03T04:00:00Z');

/** A quiet pass one second before T, nothing due for an hour, in epoch 3. */
const quiet: PassRecord = { at: T - 1_000, quiet: true, wakeAt: T + 60 * MINUTE, epoch: 3 };

describe('sweepPasses: does the periodic sweep pass a rollout?', () => {
  const base = { last: quiet, pending: false, epoch: 3, now: T, quietIntervalMs: MINUTE };

  it.each([
    ['no pass remembered (a fresh replica, a failed pass)', { last: undefined }, true],
    ['quiet, nothing due, nothing pending', {}, false],
    ['a pass is queued or running (a signal arrived): it is coming anyway', { pending: true }, false],
    ['a pass is queued or running, nothing remembered', { pending: true, last: undefined }, false],
    ['the last pass moved or something unsignalled holds it', { last: { ...quiet, quiet: false } }, true],
    ['a broad change since the pass started (epoch moved)', { epoch: 4 }, true],
    ['its wake-up is now', { last: { ...quiet, wakeAt: T } }, true],
    ['its wake-up has passed (a timer lost)', { last: { ...quiet, wakeAt: T - 1 } }, true],
    ['its wake-up is a millisecond ahead', { last: { ...quiet, wakeAt: T + 1 } }, false],
    ['no wake-up at all, inside the quiet interval', { last: { ...quiet, wakeAt: null } }, false],
    ['quiet interval elapsed exactly (safety net)', { now: quiet.at + MINUTE }, true],
    [
      'quiet interval elapsed, no wake-up',
      { last: { ...quiet, wakeAt: null }, now: quiet.at + MINUTE + 1 },
      true,
    ],
    ['just inside the quiet interval', { now: quiet.at + MINUTE - 1 }, false],
    ['a shorter quiet interval elapsed', { quietIntervalMs: 1_000 }, true],
    ['the clock stepped back before the pass', { now: quiet.at - 1 }, true],
  ] as const)('%s → %s', (_what, change, expected) => {
    expect(sweepPasses({ ...base, ...change })).toBe(expected);
  });
});

describe('heldUnsignalled: may a pass that changed nothing be quiet?', () => {
  const wave = (kind?: string) =>
    ({ blocking: kind === undefined ? undefined : { kind } }) as unknown as Decision['waves'][number];
  const cluster = (kind?: string) =>
    ({ blocking: kind === undefined ? undefined : { kind } }) as unknown as Decision['clusters'][number];

  it.each([
    ['nothing holds it (waiting for reports)', [wave()], [cluster()], false],
    ['soak (a wake-up time)', [wave('soak')], [], false],
    [
      'a deadline, a window, the freeze, approval, concurrency',
      [wave('window'), wave('freeze'), wave('approval')],
      [cluster('deadline'), cluster('concurrency')],
      false,
    ],
    [
      'offline, maintenance, cordoned (cluster changes signal)',
      [],
      [cluster('offline'), cluster('maintenance'), cluster('cordoned')],
      false,
    ],
    ['the fleet change budget (freed by other rollouts)', [wave('fleetBudget')], [], true],
    ['a cluster held by its change budget', [], [cluster('concurrency'), cluster('clusterBudget')], true],
    ['a cluster without a bundle', [], [cluster('noBundle')], true],
    ['verification checks (leases held elsewhere expire)', [wave('verification')], [], true],
  ] as const)('%s → %s', (_what, waves, clusters, expected) => {
    expect(heldUnsignalled({ waves: [...waves], clusters: [...clusters] })).toBe(expected);
  });
});

describe('concernOf: what committed changes ask of the scheduler', () => {
  const event = (targetKind: string, targetId: string, action: string, actor = 'alice') =>
    ({ targetKind, targetId, action, actor }) as Parameters<typeof concernOf>[0][number];
  const none = { fleet: false, sharers: false, all: false, clusterIds: [], rolloutIds: [] };

  it.each([
    ['nothing', [], none],
    ['a freeze set or lifted', [event('fleet', 'fleet', 'fleet.unfrozen')], { ...none, fleet: true }],
    ['a cordon', [event('cluster', 'c1', 'cluster.cordoned')], { ...none, clusterIds: ['c1'] }],
    [
      'fact labels and maintenance',
      [
        event('cluster', 'c1', 'cluster.labelsChanged', 'cluster:c1'),
        event('cluster', 'c2', 'cluster.maintenanceChanged'),
      ],
      { ...none, clusterIds: ['c1', 'c2'] },
    ],
    [
      'a deregistration (its rollouts may not find it any more)',
      [event('cluster', 'c1', 'cluster.deregistered')],
      { ...none, all: true, clusterIds: ['c1'] },
    ],
    ['an approval', [event('rollout', 'r1', 'rollout.waveApproved')], { ...none, rolloutIds: ['r1'] }],
    [
      'clusters joining a rollout',
      [event('rollout', 'r1', 'rollout.clustersJoined', 'hub')],
      { ...none, rolloutIds: ['r1'] },
    ],
    ['an engine pass of its own', [event('rollout', 'r1', 'rollout.progressed', 'engine')], none],
    [
      'a rollout started (the fleet budget has one more sharer)',
      [event('rollout', 'r1', 'rollout.started')],
      { ...none, sharers: true, rolloutIds: ['r1'] },
    ],
    [
      'a catch-up or rollback started',
      [
        event('rollout', 'r1', 'rollout.catchupStarted', 'hub'),
        event('rollout', 'r2', 'rollout.rollbackStarted', 'engine'),
      ],
      { ...none, sharers: true, rolloutIds: ['r1'] },
    ],
    [
      'a rollout finished by a pass (one sharer fewer)',
      [
        event('rollout', 'r1', 'rollout.succeeded', 'engine'),
        event('rollout', 'r2', 'rollout.rolledBack', 'engine'),
      ],
      { ...none, sharers: true },
    ],
    ['an application edited', [event('application', 'a1', 'application.updated')], { ...none, all: true }],
    ['a placement withdrawn', [event('placement', 'p1', 'placement.withdrawn')], { ...none, all: true }],
    [
      'a fetched revision, drift corrected',
      [
        event('application', 'a1', 'application.revisionFetched'),
        event('placement', 'p1', 'placement.driftCorrected'),
      ],
      none,
    ],
    ['a project edited', [event('project', 'p1', 'project.updated')], none],
  ] as const)('%s', (_what, events, expected) => {
    expect(concernOf(events)).toEqual(expected);
  });
});
