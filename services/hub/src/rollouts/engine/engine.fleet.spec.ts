import { describe, expect, it } from '@jest/globals';
import { applyDecision, decide, nextWake, type AssignmentRecord, type RolloutSnapshot } from './engine.js';
import { type FleetState, OPEN_FLEET } from './gates/types.js';
import { freshSnapshot, pendingMember, planOf } from './engine-fixtures.js';

// decide() with time windows, a fleet freeze and the fleet change budget, end to end through the
// gate registry, on a fixed clock.
const NEW = 'sha256:new';
const T0 = new Date('2026-01-15T06:00:00Z'); // 06:00 UTC, outside the 08:00–18:00 window below
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const OPENS = new Date('2026-01-15T08:00:00Z');
const DAYTIME = [{ kind: 'allow', schedule: '0 8 * * *', duration: '10h', timeZone: 'UTC' }];

const member = pendingMember;

function snapshot(
  plan: unknown,
  assignments: AssignmentRecord[],
  fleet: FleetState = OPEN_FLEET,
): RolloutSnapshot {
  return { ...freshSnapshot(planOf(plan), assignments, NEW), fleet };
}

function healthy(s: RolloutSnapshot, seconds: number): RolloutSnapshot {
  return {
    ...s,
    assignments: s.assignments.map((a) =>
      a.digestAssigned === NEW ? { ...a, reported: { digest: NEW, phase: 'Healthy', at: at(seconds) } } : a,
    ),
  };
}

const twoWaves = (extra: Record<string, unknown> = {}) => ({
  waves: [
    { name: 'canary', selector: 'env=staging', maxConcurrency: 2 },
    { name: 'prod', selector: 'env=prod', maxConcurrency: 2 },
  ],
  ...extra,
});
const fleetOf = () => [
  member('c1', 'canary'),
  member('c2', 'canary'),
  member('p1', 'prod'),
  member('p2', 'prod'),
];

describe('decide: time windows', () => {
  it('starts no wave outside its window, says when it opens, wakes then and proceeds', () => {
    const s = snapshot(twoWaves({ windows: DAYTIME }), fleetOf());
    const held = decide(s, at(0));
    expect(held.assign).toEqual([]);
    expect(held.waveStamps).toEqual([]);
    expect(held.waves[0]!.blocking).toEqual({ kind: 'window', opensAt: OPENS });
    expect(held.clusters.map((c) => c.blocking?.kind)).toEqual([
      'window',
      'window',
      'previousWave',
      'previousWave',
    ]);
    expect(nextWake(held)).toEqual(OPENS);
    const opened = decide(s, OPENS);
    expect(opened.assign).toEqual(['c1', 'c2']);
  });

  it('lets assigned clusters finish when the window closes, but starts neither more of the wave nor the next', () => {
    const plan = twoWaves({ windows: DAYTIME });
    const inside = new Date('2026-01-15T17:59:00Z');
    let s = snapshot(
      { ...plan, waves: [{ name: 'canary', selector: 'env=staging', maxConcurrency: 1 }, plan.waves[1]] },
      fleetOf(),
    );
    const first = decide(s, inside);
    expect(first.assign).toEqual(['c1']);
    s = applyDecision(s, first, inside);
    const closed = new Date('2026-01-15T18:00:00Z');
    s = healthy(s, 3600 * 12);
    const after = decide(s, closed);
    expect(after.assign).toEqual([]); // c2 waits for the window
    expect(after.clusters.find((c) => c.clusterId === 'c1')!.phase).toBe('Healthy');
    expect(after.waves[0]!.blocking).toEqual({ kind: 'window', opensAt: new Date('2026-01-16T08:00:00Z') });
  });

  it('has nothing to hold when nothing is pending: the last wave finishes and the rollout succeeds', () => {
    let s = snapshot({ waves: [], windows: DAYTIME }, [member('a', 'rest')]);
    const first = decide(s, OPENS);
    s = healthy(applyDecision(s, first, OPENS), 3600 * 11);
    expect(decide(s, at(3600 * 20)).nextState).toBe('Succeeded');
  });
});

describe('decide: fleet freeze', () => {
  const freeze = { reason: 'year-end', by: 'ops-admin', since: at(-60), until: at(3600) };
  const frozen: FleetState = { ...OPEN_FLEET, freeze };

  it('holds the next wave until the freeze ends by itself, and wakes then', () => {
    const s = snapshot(twoWaves(), fleetOf(), frozen);
    const held = decide(s, at(0));
    expect(held.assign).toEqual([]);
    expect(held.waves[0]!.blocking).toEqual({ kind: 'freeze', ...freeze });
    expect(nextWake(held)).toEqual(at(3600));
    expect(decide(s, at(3600)).assign).toEqual(['c1', 'c2']);
  });

  it('lets a rollout an admin overrode the freeze for proceed', () => {
    const s = snapshot(twoWaves(), fleetOf(), { ...frozen, freezeOverridden: true });
    expect(decide(s, at(0)).assign).toEqual(['c1', 'c2']);
  });

  it('holds a cluster that joined a wave already passed (no assignment at all while frozen)', () => {
    const s: RolloutSnapshot = {
      ...snapshot(twoWaves(), [...fleetOf(), member('c3', 'canary')], frozen),
      currentWave: 1,
      state: 'Progressing',
      waves: [{ startedAt: at(-900), healthyAt: at(-600), approvedAt: null }],
    };
    const done = s.assignments.map((a) =>
      a.clusterId === 'c3' || a.wave === 'prod'
        ? a
        : {
            ...a,
            digestAssigned: NEW,
            assignedAt: at(-900),
            reported: { digest: NEW, phase: 'Healthy' as const, at: at(-700) },
          },
    );
    const decision = decide({ ...s, assignments: done }, at(0));
    expect(decision.assign).toEqual([]);
    expect(decision.clusters.find((c) => c.clusterId === 'c3')!.blocking?.kind).toBe('freeze');
  });
});

describe('decide: fleet change budget', () => {
  it('assigns only up to the fleet budget, counting its own assignments of the pass', () => {
    const s = snapshot(
      { waves: [], rest: { maxConcurrency: 5 } },
      ['a', 'b', 'c', 'd'].map((n) => member(n, 'rest')),
      {
        ...OPEN_FLEET,
        changing: 1,
        changeLimit: 3,
      },
    );
    const decision = decide(s, at(0));
    expect(decision.assign).toEqual(['a', 'b']);
    expect(decision.clusters.map((c) => c.blocking?.kind)).toEqual([
      'deadline',
      'deadline',
      'fleetBudget',
      'fleetBudget',
    ]);
    expect(decision.waves[0]!.blocking).toEqual({ kind: 'fleetBudget', changing: 3, limit: 3 });
  });

  it('assigns only up to its fair share of the budget, counting its own assignments of the pass', () => {
    const s = snapshot(
      { waves: [], rest: { maxConcurrency: 5 } },
      ['a', 'b', 'c', 'd'].map((n) => member(n, 'rest')),
      { ...OPEN_FLEET, changing: 4, changeLimit: 10, fairShare: { share: 3, held: 1 } },
    );
    const decision = decide(s, at(0));
    expect(decision.assign).toEqual(['a', 'b']);
    expect(decision.waves[0]!.blocking).toEqual({
      kind: 'fleetBudget',
      changing: 6,
      limit: 10,
      share: 3,
      held: 3,
    });
  });

  it('assigns nothing when the fleet is at its budget, and does not fail or wake for it', () => {
    const s = snapshot({ waves: [] }, [member('a', 'rest')], { ...OPEN_FLEET, changing: 3, changeLimit: 3 });
    const decision = decide(s, at(0));
    expect(decision.assign).toEqual([]);
    expect(decision.nextState).toBe('Progressing');
    expect(nextWake(decision)).toBeNull();
  });
});

describe('decide: per-cluster application budget', () => {
  it('skips a cluster changing its limit of applications and assigns the next one', () => {
    const s = snapshot(
      { waves: [], rest: { maxConcurrency: 1 } },
      ['a', 'b', 'c'].map((n) => member(n, 'rest')),
      { ...OPEN_FLEET, clusterChanging: { a: 2, b: 1 }, clusterChangeLimit: 2 },
    );
    const decision = decide(s, at(0));
    expect(decision.assign).toEqual(['b']);
    expect(decision.clusters.map((c) => c.blocking?.kind)).toEqual([
      'clusterBudget',
      'deadline',
      'concurrency',
    ]);
    expect(decision.clusters[0]!.blocking).toEqual({ kind: 'clusterBudget', changing: 2, limit: 2 });
    expect(decision.nextState).toBe('Progressing');
    expect(nextWake(decision)).toEqual(at(600));
  });

  it('assigns the cluster once one of its applications settled', () => {
    const s = snapshot({ waves: [] }, [member('a', 'rest')], {
      ...OPEN_FLEET,
      clusterChanging: { a: 1 },
      clusterChangeLimit: 2,
    });
    expect(decide(s, at(0)).assign).toEqual(['a']);
  });
});

describe('decide: failure correlation', () => {
  const failed = (s: RolloutSnapshot, ids: string[]): RolloutSnapshot => ({
    ...s,
    assignments: s.assignments.map((a) =>
      ids.includes(a.clusterId) ? { ...a, reported: { digest: NEW, phase: 'Failed', at: at(10) } } : a,
    ),
  });
  const plan = {
    waves: [],
    rest: { maxConcurrency: 4, failureBudget: 3, failureCorrelation: { labels: ['region'] } },
    autoRollback: true,
  };
  const fleet = [
    member('a', 'rest', { labels: { region: 'us' } }),
    member('b', 'rest', { labels: { region: 'us' } }),
    member('c', 'rest', { labels: { region: 'eu' } }),
    member('d', 'rest', { labels: { region: 'eu' } }),
  ];

  it('fails the rollout inside the failure budget when the failures share a region, asking for a rollback', () => {
    const started = applyDecision(snapshot(plan, fleet), decide(snapshot(plan, fleet), at(0)), at(0));
    const decision = decide(failed(started, ['a', 'b']), at(20));
    expect(decision.nextState).toBe('Failed');
    expect(decision.rollback).toBe(true);
    expect(decision.waves[0]!.blocking).toEqual({
      kind: 'failureCorrelation',
      label: 'region',
      value: 'us',
      matching: 2,
      failed: 2,
    });
    expect(decision.events).toContain(
      'rollout failed: wave rest: 2/2 failed clusters share region=us; rollback requested',
    );
  });

  it('keeps going when the same failures are spread over regions', () => {
    const started = applyDecision(snapshot(plan, fleet), decide(snapshot(plan, fleet), at(0)), at(0));
    const decision = decide(failed(started, ['a', 'c']), at(20));
    expect(decision.nextState).toBe('Progressing');
    expect(decision.waves[0]!.blocking?.kind).toBe('deadline');
    expect(decision.rollback).toBe(false);
  });
});
