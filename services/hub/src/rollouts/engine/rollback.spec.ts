import { decide, applyDecision, type RolloutSnapshot } from './engine.js';
import { effectiveWaves, validatePlan, type WavePlan } from './plan.js';
import { rollbackPlan } from './rollback.js';

function plan(input: unknown): WavePlan {
  const result = validatePlan(input);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.plan;
}

const original = plan({
  waves: [
    { name: 'canary', selector: 'canary=true', soakSeconds: 600, requireApproval: true },
    {
      name: 'staging',
      selector: 'env=staging',
      maxConcurrency: 2,
      soakSeconds: 60,
      failureCorrelation: { labels: ['region'] },
    },
    { name: 'prod', selector: 'env=prod', requireApproval: true },
  ],
  rest: { soakSeconds: 30 },
  autoRollback: true,
});

describe('rollbackPlan', () => {
  it('keeps only changed clusters, in reverse wave order, without soak or approval', () => {
    const result = rollbackPlan(original, [
      { clusterId: 'c1', wave: 'canary' },
      { clusterId: 's2', wave: 'staging' },
      { clusterId: 's1', wave: 'staging' },
      { clusterId: 's1', wave: 'staging' },
    ]);
    expect(result.waves).toEqual([
      { name: 'staging', clusterIds: ['s1', 's2'] },
      { name: 'canary', clusterIds: ['c1'] },
    ]);
    expect(
      result.plan.waves.map((w) => [w.name, w.soakSeconds, w.requireApproval, w.maxConcurrency]),
    ).toEqual([
      ['staging', 0, false, 2],
      ['canary', 0, false, 1],
    ]);
    expect(result.plan.autoRollback).toBe(false);
    expect(result.plan.waves.every((w) => w.failureBudget === '100%')).toBe(true);
    expect(result.plan.waves.every((w) => w.failureCorrelation === null)).toBe(true);
  });

  it('puts the rest wave first when it was changed', () => {
    const result = rollbackPlan(original, [
      { clusterId: 'c1', wave: 'canary' },
      { clusterId: 'r1', wave: 'rest' },
      { clusterId: 'x', wave: 'unknown' },
    ]);
    expect(result.waves.map((w) => w.name)).toEqual(['rest', 'canary']);
    expect(result.waves[0]?.clusterIds).toEqual(['r1', 'x']);
    expect(effectiveWaves(result.plan).map((w) => w.name)).toEqual(['rest', 'canary']);
  });

  it('is empty when nothing changed', () => {
    const result = rollbackPlan(original, []);
    expect(result.waves).toEqual([]);
    expect(effectiveWaves(result.plan).map((w) => w.name)).toEqual(['rest']);
  });

  it('drives the engine to Succeeded with no gate or soak', () => {
    const rb = rollbackPlan(original, [
      { clusterId: 'c1', wave: 'canary' },
      { clusterId: 'p1', wave: 'prod' },
    ]);
    let snapshot: RolloutSnapshot = {
      id: 'rb',
      digest: 'sha256:good',
      plan: rb.plan,
      currentWave: 0,
      state: 'Pending',
      paused: false,
      waves: [],
      assignments: rb.waves.flatMap((w) =>
        w.clusterIds.map((clusterId) => ({
          clusterId,
          name: clusterId,
          wave: w.name,
          digestAssigned: null,
          assignedAt: null,
          reported: null,
          clusterStatus: 'Ready' as const,
          cordoned: false,
          skipped: false,
          timedOut: false,
        })),
      ),
    };
    const order: string[] = [];
    const now = new Date(0);
    for (let step = 0; step < 10 && snapshot.state !== 'Succeeded'; step++) {
      const decision = decide(snapshot, now);
      order.push(...decision.assign);
      snapshot = applyDecision(snapshot, decision, now);
      snapshot = {
        ...snapshot,
        assignments: snapshot.assignments.map((a) =>
          a.digestAssigned === 'sha256:good'
            ? { ...a, reported: { digest: 'sha256:good', phase: 'Healthy', at: now } }
            : a,
        ),
      };
    }
    expect(snapshot.state).toBe('Succeeded');
    expect(order).toEqual(['p1', 'c1']);
  });
});
