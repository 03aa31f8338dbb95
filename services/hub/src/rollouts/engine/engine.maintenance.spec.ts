import { describe, expect, it } from '@jest/globals';
import { applyDecision, decide, type AssignmentRecord, type RolloutSnapshot } from './engine.js';
import { pendingMember } from './engine-fixtures.js';
import { validatePlan } from './plan.js';

// decide() with a cluster in maintenance, end to end through the gate registry: held while
// pending, never skipped, and assigned by the first pass after its maintenance ends.
const NEW = 'sha256:new';
const T0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const upgrade = { reason: 'node pool upgrade', since: at(-300) };
const held = { kind: 'maintenance', reason: 'node pool upgrade', since: at(-300) };

const member = pendingMember;

function snapshot(assignments: AssignmentRecord[]): RolloutSnapshot {
  const result = validatePlan({
    waves: [{ name: 'w', selector: 'env=prod', maxConcurrency: 3, progressDeadlineSeconds: 60 }],
  });
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return {
    id: 'r1',
    digest: NEW,
    plan: result.plan,
    currentWave: 0,
    state: 'Progressing',
    paused: false,
    waves: [],
    assignments,
  };
}

/** Every assigned cluster reports Healthy for the rollout's digest. */
function healthy(s: RolloutSnapshot, seconds: number): RolloutSnapshot {
  return {
    ...s,
    assignments: s.assignments.map((a) =>
      a.digestAssigned === NEW ? { ...a, reported: { digest: NEW, phase: 'Healthy', at: at(seconds) } } : a,
    ),
  };
}

describe('decide: a cluster in maintenance', () => {
  it('holds a pending cluster while the others proceed, waits for it, and assigns it once the maintenance ends', () => {
    let s = snapshot([member('a', 'w', { maintenance: upgrade }), member('b', 'w'), member('c', 'w')]);
    const first = decide(s, at(0));
    expect(first.assign).toEqual(['b', 'c']);
    expect(first.clusters.find((c) => c.clusterId === 'a')).toEqual({
      clusterId: 'a',
      wave: 'w',
      phase: 'Pending',
      blocking: held,
    });

    s = healthy(applyDecision(s, first, at(0)), 10);
    // Long past every deadline: a held cluster is neither timed out nor skipped, and the rollout waits.
    const waiting = decide(s, at(10_000));
    expect(waiting).toMatchObject({
      assign: [],
      markSkipped: [],
      markTimedOut: [],
      nextState: 'Progressing',
    });
    expect(waiting.waves[0]?.blocking).toEqual(held);
    expect(waiting.waves[0]?.counts).toMatchObject({ Pending: 1, Healthy: 2 });

    s = { ...s, assignments: s.assignments.map((a) => ({ ...a, maintenance: null })) };
    const resumed = decide(s, at(10_001));
    expect(resumed.assign).toEqual(['a']);
    s = healthy(applyDecision(s, resumed, at(10_001)), 10_002);
    expect(decide(s, at(10_003)).nextState).toBe('Succeeded');
  });

  it('lets a cluster already assigned keep going, and times it out as usual', () => {
    const assigned = member('a', 'w', { maintenance: upgrade, digestAssigned: NEW, assignedAt: at(0) });
    expect(decide(snapshot([assigned]), at(30)).clusters[0]?.blocking).toEqual({
      kind: 'deadline',
      at: at(60),
    });
    expect(decide(snapshot([assigned]), at(61)).markTimedOut).toEqual(['a']);
  });

  it('reports offline first for a silent cluster whose last report said maintenance', () => {
    const silent = member('a', 'w', {
      maintenance: upgrade,
      clusterStatus: 'Offline',
      clusterStatusSince: at(-5),
    });
    expect(decide(snapshot([silent]), at(0)).clusters[0]?.blocking).toEqual({
      kind: 'offline',
      since: at(-5),
    });
  });
});
