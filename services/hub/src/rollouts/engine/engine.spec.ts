import {
  applyDecision,
  classify,
  decide,
  type AssignmentRecord,
  type Decision,
  type RolloutSnapshot,
  type RolloutState,
  type WaveTimestamps,
} from './engine.js';
import { validatePlan, type WavePlan } from './plan.js';

const NEW = 'sha256:new';
const OLD = 'sha256:old';
const T0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

function plan(input: unknown): WavePlan {
  const result = validatePlan(input);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.plan;
}

function rec(name: string, wave: string, extra: Partial<AssignmentRecord> = {}): AssignmentRecord {
  return {
    clusterId: name,
    name,
    wave,
    digestAssigned: null,
    assignedAt: null,
    reported: { digest: OLD, phase: 'Healthy', at: T0 },
    clusterStatus: 'Ready',
    cordoned: false,
    skipped: false,
    timedOut: false,
    ...extra,
  };
}

/** Assigned to NEW at `assigned` seconds, with a report for `digest` in `phase`. */
function assigned(
  name: string,
  wave: string,
  phase: 'Healthy' | 'Failed' | 'Degraded' | 'Progressing' | 'Applying' | 'Pending' | 'Stalled' | null,
  extra: Partial<AssignmentRecord> = {},
  digest = NEW,
): AssignmentRecord {
  return rec(name, wave, {
    digestAssigned: NEW,
    assignedAt: at(0),
    reported: phase === null ? { digest: OLD, phase: 'Healthy', at: T0 } : { digest, phase, at: at(1) },
    ...extra,
  });
}

const started: WaveTimestamps = { startedAt: T0, healthyAt: null, approvedAt: null };

function snap(
  p: WavePlan,
  assignments: AssignmentRecord[],
  extra: Partial<RolloutSnapshot> = {},
): RolloutSnapshot {
  return {
    id: 'r1',
    digest: NEW,
    plan: p,
    currentWave: 0,
    state: 'Progressing',
    paused: false,
    waves: [],
    assignments,
    ...extra,
  };
}

const twoWaves = plan({
  waves: [
    { name: 'canary', selector: 'canary=true' },
    { name: 'prod', selector: 'env=prod', maxConcurrency: 2 },
  ],
});
const names = (n: number, prefix: string, wave: string): AssignmentRecord[] =>
  Array.from({ length: n }, (_, i) => rec(`${prefix}${i}`, wave));

function blockingOf(decision: Decision, clusterId: string): unknown {
  return decision.clusters.find((c) => c.clusterId === clusterId)?.blocking;
}

describe('decide: assignment and concurrency', () => {
  it('starts a pending rollout with the first cluster of the first wave', () => {
    const d = decide(
      snap(twoWaves, [...names(2, 'c', 'canary'), ...names(3, 'p', 'prod')], { state: 'Pending' }),
      at(0),
    );
    expect(d.nextState).toBe('Progressing');
    expect(d.currentWave).toBe(0);
    expect(d.assign).toEqual(['c0']);
    expect(d.waveStamps).toEqual([{ wave: 0, startedAt: at(0) }]);
    expect(blockingOf(d, 'c1')).toEqual({ kind: 'concurrency', inFlight: 1, limit: 1 });
    expect(blockingOf(d, 'p0')).toEqual({ kind: 'previousWave' });
    expect(d.waves[0]?.blocking).toEqual({ kind: 'concurrency', inFlight: 1, limit: 1 });
    expect(d.waves[1]?.blocking).toEqual({ kind: 'previousWave' });
    expect(d.events).toContain('wave canary started');
  });

  it.each<[number | string, number, number]>([
    [1, 5, 1],
    [2, 5, 2],
    [10, 5, 5],
    ['50%', 5, 3],
    ['20%', 5, 1],
    ['100%', 5, 5],
    ['10%', 60, 6],
  ])('maxConcurrency %p of a %p-cluster wave assigns %p', (maxConcurrency, size, expected) => {
    const p = plan({ waves: [{ name: 'w', maxConcurrency }] });
    expect(decide(snap(p, names(size, 'c', 'w')), at(0)).assign).toHaveLength(expected);
  });

  it('counts in-flight clusters against the limit', () => {
    const p = plan({ waves: [{ name: 'w', maxConcurrency: 2 }] });
    const d = decide(
      snap(p, [assigned('a', 'w', 'Progressing'), rec('b', 'w'), rec('c', 'w')], { waves: [started] }),
      at(5),
    );
    expect(d.assign).toEqual(['b']);
  });

  it('assigns in name order, not input order', () => {
    const p = plan({ waves: [{ name: 'w', maxConcurrency: 2 }] });
    const d = decide(snap(p, [rec('zeta', 'w'), rec('alpha', 'w'), rec('mid', 'w')]), at(0));
    expect(d.assign).toEqual(['alpha', 'mid']);
  });

  it('is idempotent: deciding again on the applied state assigns nothing new', () => {
    const s = snap(twoWaves, [...names(3, 'c', 'canary'), ...names(3, 'p', 'prod')], { state: 'Pending' });
    const d1 = decide(s, at(0));
    const s1 = applyDecision(s, d1, at(0));
    const d2 = decide(s1, at(0));
    expect(d2.assign).toEqual([]);
    expect(d2.waveStamps).toEqual([]);
    expect(d2.nextState).toBe(d1.nextState);
    expect(decide(s1, at(0))).toEqual(d2);
  });

  it('treats a reported Pending for our digest as Assigned', () => {
    expect(classify(assigned('a', 'w', 'Pending'), NEW)).toBe('Assigned');
  });

  it('does not assign NotReady clusters differently from Ready ones', () => {
    const p = plan({ waves: [{ name: 'w' }] });
    expect(decide(snap(p, [rec('a', 'w', { clusterStatus: 'NotReady' })]), at(0)).assign).toEqual(['a']);
  });
});

describe('decide: revision-aware health', () => {
  it.each<[string, string, AssignmentRecord]>([
    ['old Healthy, not assigned', 'Pending', rec('a', 'w')],
    ['assigned, old Healthy still reported', 'Assigned', assigned('a', 'w', null)],
    ['assigned, old Healthy newer than assignment', 'Assigned', assigned('a', 'w', 'Healthy', {}, OLD)],
    ['assigned, new Healthy', 'Healthy', assigned('a', 'w', 'Healthy')],
    ['assigned, new Progressing', 'Progressing', assigned('a', 'w', 'Progressing')],
    ['assigned, new Applying', 'Applying', assigned('a', 'w', 'Applying')],
    ['assigned, new Degraded', 'Degraded', assigned('a', 'w', 'Degraded')],
    ['assigned, new Failed', 'Failed', assigned('a', 'w', 'Failed')],
    ['assigned, new Stalled', 'Failed', assigned('a', 'w', 'Stalled')],
    ['assigned, old Failed', 'Assigned', assigned('a', 'w', 'Failed', {}, OLD)],
    [
      'new Healthy but not assigned by us',
      'Pending',
      rec('a', 'w', { reported: { digest: NEW, phase: 'Healthy', at: at(1) } }),
    ],
    ['timed out', 'TimedOut', assigned('a', 'w', 'Progressing', { timedOut: true })],
    ['skipped', 'Skipped', assigned('a', 'w', 'Failed', { skipped: true })],
    ['offline-failed', 'Failed', assigned('a', 'w', null, { offlineFailed: true })],
    ['failed before a retry', 'Assigned', assigned('a', 'w', 'Failed', { retriedAt: at(2) })],
    ['healthy after a retry', 'Healthy', assigned('a', 'w', 'Healthy', { retriedAt: at(0) })],
    ['cordoned, not assigned', 'Skipped', rec('a', 'w', { cordoned: true })],
    ['cordoned, assigned', 'Progressing', assigned('a', 'w', 'Progressing', { cordoned: true })],
  ])('%s → %s', (_label, phase, record) => {
    expect(classify(record, NEW)).toBe(phase);
  });

  it('never completes a wave on a Healthy for the old digest', () => {
    const p = plan({ waves: [{ name: 'w', maxConcurrency: '100%' }, { name: 'x' }] });
    const s = snap(
      p,
      [assigned('a', 'w', 'Healthy', {}, OLD), assigned('b', 'w', 'Healthy', {}, OLD), rec('c', 'x')],
      {
        waves: [started],
      },
    );
    const d = decide(s, at(10));
    expect(d.currentWave).toBe(0);
    expect(d.assign).toEqual([]);
    expect(d.waves[0]?.counts.Assigned).toBe(2);
  });

  it('uses the per-cluster digest when the rollout has one per cluster', () => {
    const s = snap(
      plan({ waves: [{ name: 'w', maxConcurrency: 5 }] }),
      [
        rec('a', 'w', {
          digestAssigned: 'sha256:a',
          assignedAt: at(0),
          reported: { digest: 'sha256:a', phase: 'Healthy', at: at(1) },
        }),
        rec('b', 'w', {
          digestAssigned: 'sha256:b',
          assignedAt: at(0),
          reported: { digest: 'sha256:a', phase: 'Healthy', at: at(1) },
        }),
        rec('c', 'w'),
      ],
      { digest: { a: 'sha256:a', b: 'sha256:b', c: 'sha256:c' }, waves: [started] },
    );
    const d = decide(s, at(10));
    expect(d.clusters.map((c) => c.phase)).toEqual(['Healthy', 'Assigned', 'Assigned']);
    expect(d.assign).toEqual(['c']);
    const applied = applyDecision(s, d, at(10));
    expect(applied.assignments.find((a) => a.clusterId === 'c')?.digestAssigned).toBe('sha256:c');
  });

  it('does not assign a cluster without a bundle and does not wait for it', () => {
    const s = snap(plan({}), [rec('a', 'rest'), rec('b', 'rest')], { digest: { a: NEW } });
    const d = decide(s, at(0));
    expect(d.assign).toEqual(['a']);
    expect(blockingOf(d, 'b')).toEqual({ kind: 'noBundle' });
  });
});

describe('decide: waves, soak and approval', () => {
  const soaked = plan({
    waves: [
      { name: 'canary', soakSeconds: 300 },
      { name: 'prod', requireApproval: true },
    ],
  });

  it('advances to the next wave in the same pass when the wave is done and nothing gates', () => {
    const s = snap(twoWaves, [assigned('c0', 'canary', 'Healthy'), ...names(3, 'p', 'prod')], {
      waves: [started],
    });
    const d = decide(s, at(10));
    expect(d.currentWave).toBe(1);
    expect(d.assign).toEqual(['p0', 'p1']);
    expect(d.waveStamps).toEqual([
      { wave: 0, healthyAt: at(10) },
      { wave: 1, startedAt: at(10) },
    ]);
    expect(d.events).toEqual(['wave canary done', 'wave prod started']);
  });

  it('soaks from the hub clock after the wave is done', () => {
    const s = snap(soaked, [assigned('c0', 'canary', 'Healthy'), rec('p0', 'prod')], { waves: [started] });
    const d = decide(s, at(10));
    expect(d.nextState).toBe('Soaking');
    expect(d.waves[0]?.blocking).toEqual({ kind: 'soak', secondsLeft: 300, until: at(310) });
    expect(d.waveStamps).toEqual([{ wave: 0, healthyAt: at(10) }]);
    expect(d.assign).toEqual([]);
  });

  it.each<[number, string, unknown]>([
    [10, 'Soaking', { kind: 'soak', secondsLeft: 300, until: at(310) }],
    [109.5, 'Soaking', { kind: 'soak', secondsLeft: 201, until: at(310) }],
    [309, 'Soaking', { kind: 'soak', secondsLeft: 1, until: at(310) }],
    [310, 'AwaitingApproval', undefined],
    [5000, 'AwaitingApproval', undefined],
  ])('at t=%ps after the wave was healthy at 10s → %s', (t, state, blocking) => {
    const s = snap(soaked, [assigned('c0', 'canary', 'Healthy'), rec('p0', 'prod')], {
      state: 'Soaking',
      waves: [{ startedAt: T0, healthyAt: at(10), approvedAt: null }],
    });
    const d = decide(s, at(t));
    expect(d.nextState).toBe(state);
    expect(d.waves[0]?.blocking).toEqual(blocking);
  });

  it('ignores the report time for soak: a late-arriving report does not shorten it', () => {
    const s = snap(
      soaked,
      [
        assigned('c0', 'canary', 'Healthy', { reported: { digest: NEW, phase: 'Healthy', at: at(-10000) } }),
        rec('p0', 'prod'),
      ],
      { waves: [started] },
    );
    expect(decide(s, at(10)).nextState).toBe('Soaking');
  });

  it('waits for approval before a gated wave and starts it once approved', () => {
    const waves = [{ startedAt: T0, healthyAt: at(10), approvedAt: null }];
    const s = snap(soaked, [assigned('c0', 'canary', 'Healthy'), rec('p0', 'prod')], { waves });
    const d = decide(s, at(400));
    expect(d).toMatchObject({ nextState: 'AwaitingApproval', currentWave: 1, assign: [] });
    expect(d.waves[1]?.blocking).toEqual({ kind: 'approval' });
    expect(blockingOf(d, 'p0')).toEqual({ kind: 'approval' });
    expect(d.events).toEqual(['wave prod awaits approval']);
    const again = decide({ ...s, state: 'AwaitingApproval', currentWave: 1 }, at(500));
    expect(again.events).toEqual([]);
    const approved = decide(
      {
        ...s,
        state: 'AwaitingApproval',
        currentWave: 1,
        waves: [...waves, { startedAt: null, healthyAt: null, approvedAt: at(450) }],
      },
      at(500),
    );
    expect(approved).toMatchObject({ nextState: 'Progressing', currentWave: 1, assign: ['p0'] });
  });

  it('reassigns a cluster retried in a finished wave while the next wave awaits approval', () => {
    const waves = [{ startedAt: T0, healthyAt: at(10), approvedAt: null }];
    // c0 was Healthy; retryCluster cleared its assignment and set retriedAt.
    const retried = rec('c0', 'canary', {
      retriedAt: at(300),
      reported: { digest: NEW, phase: 'Healthy', at: at(5) },
    });
    const s = snap(soaked, [retried, rec('p0', 'prod')], {
      waves,
      state: 'AwaitingApproval',
      currentWave: 1,
    });
    const d = decide(s, at(400));
    expect(d).toMatchObject({ nextState: 'AwaitingApproval', currentWave: 1, assign: ['c0'] });
    expect(blockingOf(d, 'p0')).toEqual({ kind: 'approval' });
    // Once reassigned, a report older than the retry does not complete it.
    const next = applyDecision(s, d, at(400));
    expect(decide(next, at(401)).clusters.find((c) => c.clusterId === 'c0')?.phase).toBe('Assigned');
  });

  it('gates the first wave too', () => {
    const p = plan({ waves: [{ name: 'w', requireApproval: true }] });
    const d = decide(snap(p, [rec('a', 'w')], { state: 'Pending' }), at(0));
    expect(d).toMatchObject({ nextState: 'AwaitingApproval', currentWave: 0, assign: [] });
  });

  it('does not gate or soak an empty wave', () => {
    const p = plan({
      waves: [
        { name: 'empty', requireApproval: true, soakSeconds: 100 },
        { name: 'w', soakSeconds: 0 },
      ],
    });
    const d = decide(snap(p, [rec('a', 'w')], { state: 'Pending' }), at(0));
    expect(d).toMatchObject({ nextState: 'Progressing', currentWave: 1, assign: ['a'] });
  });

  it('succeeds after the last wave (and soak)', () => {
    const p = plan({ waves: [{ name: 'w', soakSeconds: 60 }] });
    const s = snap(p, [assigned('a', 'w', 'Healthy')], { waves: [started] });
    expect(decide(s, at(10)).nextState).toBe('Soaking');
    const d = decide({ ...s, waves: [{ ...started, healthyAt: at(10) }] }, at(70));
    expect(d.nextState).toBe('Succeeded');
    expect(d.currentWave).toBe(1);
    expect(d.events).toContain('rollout r1 succeeded');
  });

  it('succeeds at once with no clusters', () => {
    expect(decide(snap(twoWaves, [], { state: 'Pending' }), at(0)).nextState).toBe('Succeeded');
  });

  it('puts records of an unknown wave into the last wave', () => {
    const d = decide(snap(twoWaves, [rec('x', 'gone')]), at(0));
    expect(d.clusters[0]?.wave).toBe('rest');
    expect(d.currentWave).toBe(2);
    expect(d.assign).toEqual(['x']);
  });

  it('clamps an out-of-range current wave', () => {
    const d = decide(snap(twoWaves, [rec('x', 'rest')], { currentWave: 99 }), at(0));
    expect(d.currentWave).toBe(2);
  });

  it('counts clusters by phase per wave', () => {
    const p = plan({ waves: [{ name: 'w', maxConcurrency: 10, failureBudget: 5 }] });
    const s = snap(
      p,
      [
        assigned('a', 'w', 'Healthy'),
        assigned('b', 'w', 'Failed'),
        assigned('c', 'w', 'Progressing'),
        assigned('d', 'w', null),
        rec('e', 'w', { skipped: true }),
        rec('f', 'w'),
      ],
      { waves: [started] },
    );
    expect(decide(s, at(5)).waves[0]?.counts).toEqual({
      Pending: 0,
      Assigned: 2,
      Applying: 0,
      Progressing: 1,
      Healthy: 1,
      Degraded: 0,
      Failed: 1,
      TimedOut: 0,
      Skipped: 1,
    });
  });

  it('catches up a cluster of an earlier wave that became assignable (uncordoned)', () => {
    const s = snap(twoWaves, [rec('c0', 'canary'), assigned('p0', 'prod', 'Progressing')], {
      currentWave: 1,
      waves: [{ startedAt: T0, healthyAt: at(1), approvedAt: null }, started],
    });
    expect(decide(s, at(5)).assign).toEqual(['c0']);
  });
});

describe('decide: budgets and deadlines', () => {
  it.each<[string, number | string, number, number, RolloutState]>([
    ['budget 0, one failure', 0, 5, 1, 'Failed'],
    ['budget 1, one failure', 1, 5, 1, 'Progressing'],
    ['budget 1, two failures', 1, 5, 2, 'Failed'],
    ['10% of 20 (2), two failures', '10%', 20, 2, 'Progressing'],
    ['10% of 20 (2), three failures', '10%', 20, 3, 'Failed'],
    ['1% of 5 rounds up to 1', '1%', 5, 1, 'Progressing'],
    ['100%, all failed', '100%', 4, 4, 'Succeeded'],
  ])('%s → %s', (_label, failureBudget, size, failures, state) => {
    const p = plan({ waves: [{ name: 'w', failureBudget, maxConcurrency: '100%' }] });
    const records = Array.from({ length: size }, (_, i) =>
      assigned(`c${i}`, 'w', i < failures ? 'Failed' : 'Progressing'),
    );
    expect(decide(snap(p, records, { waves: [started] }), at(5)).nextState).toBe(state);
  });

  it('reports the budget breach with numbers and requests rollback only when configured', () => {
    const records = [
      assigned('a', 'w', 'Failed'),
      assigned('b', 'w', 'Degraded'),
      assigned('c', 'w', 'Healthy'),
    ];
    for (const autoRollback of [false, true]) {
      const p = plan({ waves: [{ name: 'w', failureBudget: 1, maxConcurrency: 3 }], autoRollback });
      const d = decide(snap(p, records, { waves: [started] }), at(5));
      expect(d.nextState).toBe('Failed');
      expect(d.rollback).toBe(autoRollback);
      expect(d.assign).toEqual([]);
      expect(d.waves[0]?.blocking).toEqual({ kind: 'budget', failed: 2, limit: 1, size: 3 });
    }
  });

  describe('a per-cluster check failed for good counts against the failure budget', () => {
    const healthz = { name: 'healthz', kind: 'http', url: 'http://x.test/${cluster.name}' };
    const checked = (failureBudget: number, autoRollback = true) =>
      plan({
        autoRollback,
        waves: [
          { name: 'canary', selector: 'canary=true', failureBudget, verification: [healthz] },
          { name: 'prod', selector: 'env=prod' },
        ],
      });
    const canaryDone: WaveTimestamps = { startedAt: T0, healthyAt: at(2), approvedAt: null };
    const records = [
      assigned('c1', 'canary', 'Healthy'),
      assigned('c2', 'canary', 'Healthy'),
      rec('p1', 'prod'),
    ];
    const verification = {
      canary: {
        status: 'passed' as const,
        running: [],
        failed: null,
        failedClusters: [{ check: 'healthz', target: 'c2', message: 'status 500, expected 200' }],
        passedAt: at(4),
      },
    };

    it('within the budget the next wave starts, the failure counted in the wave view', () => {
      const d = decide(snap(checked(1), records, { waves: [canaryDone], verification }), at(5));
      expect(d.nextState).toBe('Progressing');
      expect(d.rollback).toBe(false);
      expect(d.assign).toEqual(['p1']);
      expect(d.waves[0]).toMatchObject({ failed: 1, failureLimit: 1 });
    });

    it('beyond it the rollout fails and rolls back when the plan says so', () => {
      for (const autoRollback of [true, false]) {
        const d = decide(
          snap(checked(0, autoRollback), records, { waves: [canaryDone], verification }),
          at(5),
        );
        expect(d.nextState).toBe('Failed');
        expect(d.rollback).toBe(autoRollback);
        expect(d.assign).toEqual([]);
        expect(d.waves[0]?.blocking).toEqual({
          kind: 'budget',
          failed: 1,
          limit: 0,
          size: 2,
          check: 'healthz',
          target: 'c2',
          detail: 'status 500, expected 200',
        });
      }
    });
  });

  it('fails on a failure in an earlier wave during the next wave', () => {
    const s = snap(twoWaves, [assigned('c0', 'canary', 'Failed'), assigned('p0', 'prod', 'Progressing')], {
      currentWave: 1,
      waves: [{ startedAt: T0, healthyAt: at(1), approvedAt: null }, started],
    });
    expect(decide(s, at(5)).nextState).toBe('Failed');
  });

  it('fails on a failure reported while the wave soaks', () => {
    const p = plan({ waves: [{ name: 'w', soakSeconds: 600 }] });
    const s = snap(p, [assigned('a', 'w', 'Degraded')], {
      state: 'Soaking',
      waves: [{ ...started, healthyAt: at(5) }],
    });
    expect(decide(s, at(100)).nextState).toBe('Failed');
  });

  it('gives in-flight clusters a deadline blocking reason', () => {
    const p = plan({ waves: [{ name: 'w', progressDeadlineSeconds: 120 }] });
    const d = decide(snap(p, [assigned('a', 'w', 'Progressing')], { waves: [started] }), at(60));
    expect(blockingOf(d, 'a')).toEqual({ kind: 'deadline', at: at(120) });
    expect(d.waves[0]?.blocking).toEqual({ kind: 'deadline', at: at(120) });
    expect(d.markTimedOut).toEqual([]);
  });

  it.each<[number, number, string[], RolloutState]>([
    [119, 0, [], 'Progressing'],
    [120, 0, ['a'], 'Failed'],
    [120, 1, ['a'], 'Progressing'],
  ])('at t=%p with budget %p times out %p and is %s', (t, failureBudget, timedOut, state) => {
    const p = plan({ waves: [{ name: 'w', progressDeadlineSeconds: 120, failureBudget }] });
    const d = decide(snap(p, [assigned('a', 'w', null), rec('b', 'w')], { waves: [started] }), at(t));
    expect(d.markTimedOut).toEqual(timedOut);
    expect(d.nextState).toBe(state);
    if (state === 'Progressing' && timedOut.length > 0) expect(d.assign).toEqual(['b']);
  });

  it('does not time out a cluster that is Healthy or Failed', () => {
    const p = plan({
      waves: [{ name: 'w', progressDeadlineSeconds: 1, failureBudget: 5, maxConcurrency: 5 }],
    });
    const d = decide(
      snap(p, [assigned('a', 'w', 'Healthy'), assigned('b', 'w', 'Failed')], { waves: [started] }),
      at(999),
    );
    expect(d.markTimedOut).toEqual([]);
  });
});

describe('decide: offline clusters and cordons', () => {
  const since = at(-60);
  const withPolicy = (offlinePolicy: string, failureBudget = 0): WavePlan =>
    plan({ waves: [{ name: 'w', offlinePolicy, failureBudget, maxConcurrency: 3 }, { name: 'x' }] });

  it.each<['Offline' | 'Unknown']>([['Offline'], ['Unknown']])(
    'waits for a %s cluster under policy wait',
    (status) => {
      const s = snap(withPolicy('wait'), [
        rec('a', 'w', { clusterStatus: status, clusterStatusSince: since }),
        rec('b', 'w'),
        rec('z', 'x'),
      ]);
      const d = decide(s, at(0));
      expect(d.assign).toEqual(['b']);
      expect(blockingOf(d, 'a')).toEqual({ kind: 'offline', since });
      expect(d.waves[0]?.blocking).toEqual({ kind: 'offline', since });
    },
  );

  it('blocks the wave on an offline cluster even when everything else is done', () => {
    const s = snap(
      withPolicy('wait'),
      [rec('a', 'w', { clusterStatus: 'Offline' }), assigned('b', 'w', 'Healthy'), rec('z', 'x')],
      {
        waves: [started],
      },
    );
    const d = decide(s, at(5));
    expect(d.currentWave).toBe(0);
    expect(d.waves[0]?.blocking).toEqual({ kind: 'offline', since: null });
  });

  it('does not time out an in-flight cluster that went offline under policy wait', () => {
    const s = snap(withPolicy('wait'), [assigned('a', 'w', 'Progressing', { clusterStatus: 'Offline' })], {
      waves: [started],
    });
    const d = decide(s, at(100000));
    expect(d.markTimedOut).toEqual([]);
    expect(d.nextState).toBe('Progressing');
  });

  it('skips offline clusters under policy skip and moves on', () => {
    const s = snap(
      withPolicy('skip'),
      [rec('a', 'w', { clusterStatus: 'Offline' }), assigned('b', 'w', 'Healthy'), rec('z', 'x')],
      {
        waves: [started],
      },
    );
    const d = decide(s, at(5));
    expect(d.markSkipped).toEqual(['a']);
    expect(d.currentWave).toBe(1);
    expect(d.assign).toEqual(['z']);
  });

  it.each<[number, RolloutState]>([
    [0, 'Failed'],
    [1, 'Progressing'],
  ])('counts offline clusters as failed under policy fail (budget %p → %s)', (budget, state) => {
    const s = snap(withPolicy('fail', budget), [
      rec('a', 'w', { clusterStatus: 'Unknown' }),
      rec('b', 'w'),
      rec('z', 'x'),
    ]);
    const d = decide(s, at(0));
    expect(d.markOfflineFailed).toEqual(['a']);
    expect(d.nextState).toBe(state);
  });

  it('never assigns a cordoned cluster and does not wait for it', () => {
    const p = plan({ waves: [{ name: 'w' }, { name: 'x' }] });
    const d = decide(snap(p, [rec('a', 'w', { cordoned: true }), rec('z', 'x')]), at(0));
    expect(d.assign).toEqual(['z']);
    expect(blockingOf(d, 'a')).toEqual({ kind: 'cordoned' });
  });

  it('lets an already assigned cluster that gets cordoned finish', () => {
    const p = plan({ waves: [{ name: 'w' }, { name: 'x' }] });
    const s = snap(p, [assigned('a', 'w', 'Progressing', { cordoned: true }), rec('z', 'x')], {
      waves: [started],
    });
    expect(decide(s, at(1)).assign).toEqual([]);
  });
});

describe('decide: inert states', () => {
  it.each<[RolloutState]>([
    ['Paused'],
    ['Failed'],
    ['Aborted'],
    ['Superseded'],
    ['RolledBack'],
    ['Succeeded'],
  ])('does nothing in %s', (state) => {
    const d = decide(
      snap(twoWaves, [rec('c0', 'canary'), assigned('c1', 'canary', 'Progressing')], {
        state,
        waves: [started],
      }),
      at(99999),
    );
    expect(d).toMatchObject({
      nextState: state,
      assign: [],
      markTimedOut: [],
      markSkipped: [],
      waveStamps: [],
      events: [],
    });
    expect(d.clusters).toHaveLength(2);
  });

  it('does nothing while the paused flag is set, but still reports phases', () => {
    const d = decide(snap(twoWaves, [rec('c0', 'canary')], { paused: true }), at(0));
    expect(d.assign).toEqual([]);
    expect(d.waves[0]?.counts.Pending).toBe(1);
  });
});

describe('decide: after a wave is done', () => {
  const p = plan({ waves: [{ name: 'w', soakSeconds: 600, progressDeadlineSeconds: 60 }, { name: 'x' }] });
  const doneWaves = [{ startedAt: T0, healthyAt: at(30), approvedAt: null }];

  it('does not reopen or time out a wave when a cluster regresses to Progressing during soak', () => {
    const s = snap(p, [assigned('a', 'w', 'Progressing'), rec('z', 'x')], {
      state: 'Soaking',
      waves: doneWaves,
    });
    const d = decide(s, at(300));
    expect(d).toMatchObject({ nextState: 'Soaking', markTimedOut: [], assign: [] });
  });

  it('still counts a failure reported during soak against the budget', () => {
    const s = snap(p, [assigned('a', 'w', 'Degraded'), rec('z', 'x')], {
      state: 'Soaking',
      waves: doneWaves,
    });
    expect(decide(s, at(300)).nextState).toBe('Failed');
  });

  it('still times out a catch-up cluster assigned after the wave was done', () => {
    const s = snap(p, [assigned('a', 'w', null, { assignedAt: at(100) }), rec('z', 'x')], {
      state: 'Soaking',
      waves: doneWaves,
    });
    expect(decide(s, at(200)).markTimedOut).toEqual(['a']);
  });
});

describe('decide: pause and resume', () => {
  const p = plan({ waves: [{ name: 'w', progressDeadlineSeconds: 60 }] });

  it('runs the deadline from the resume, not from the assignment, after a pause', () => {
    const s = snap(p, [assigned('a', 'w', 'Progressing')], { waves: [started], resumedAt: at(3600) });
    const d = decide(s, at(3630));
    expect(d.markTimedOut).toEqual([]);
    expect(blockingOf(d, 'a')).toEqual({ kind: 'deadline', at: at(3660) });
    expect(decide(s, at(3660)).markTimedOut).toEqual(['a']);
  });

  it('ignores an old resume time', () => {
    const s = snap(p, [assigned('a', 'w', 'Progressing', { assignedAt: at(100) })], {
      waves: [started],
      resumedAt: at(10),
    });
    expect(decide(s, at(160)).markTimedOut).toEqual(['a']);
  });
});

describe('decide: two passes at once (two hub replicas)', () => {
  it('computes the same decision from the same state, so a conditional write makes the second a no-op', () => {
    const p = plan({
      waves: [
        { name: 'w', maxConcurrency: 3 },
        { name: 'x', maxConcurrency: '50%' },
      ],
    });
    const s = snap(p, [...names(5, 'a', 'w'), ...names(4, 'b', 'x')], { state: 'Pending' });
    const first = decide(s, at(0));
    const second = decide(s, at(0));
    expect(second).toEqual(first);
    // The persistence layer assigns only where digestAssigned differs: the loser's assign list is already applied.
    const applied = applyDecision(s, first, at(0));
    const loser = second.assign.filter(
      (id) => applied.assignments.find((a) => a.clusterId === id)?.digestAssigned !== NEW,
    );
    expect(loser).toEqual([]);
    expect(decide(applied, at(1)).assign).toEqual([]);
  });
});
