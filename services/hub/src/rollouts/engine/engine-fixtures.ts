import { type AssignmentRecord, type RolloutSnapshot } from './engine.js';
import { validatePlan, type WavePlan } from './plan.js';

/** Test support for decide(): a plan from plan input (throws on errors), a pending member, a PRNG. */
export function planOf(input: unknown): WavePlan {
  const result = validatePlan(input);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.plan;
}

/** A member never assigned, Ready, with nothing reported (its id is its name). */
export function pendingMember(
  name: string,
  wave: string,
  extra: Partial<AssignmentRecord> = {},
): AssignmentRecord {
  return {
    clusterId: name,
    name,
    wave,
    digestAssigned: null,
    assignedAt: null,
    reported: null,
    clusterStatus: 'Ready',
    cordoned: false,
    skipped: false,
    timedOut: false,
    ...extra,
  };
}

/** A rollout that has not started: wave 0, Pending, no wave stamps. */
export function freshSnapshot(
  plan: WavePlan,
  assignments: AssignmentRecord[],
  digest = 'sha256:new',
): RolloutSnapshot {
  return { id: 'r1', digest, plan, currentWave: 0, state: 'Pending', paused: false, waves: [], assignments };
}

/** mulberry32: tiny seeded PRNG so every failing run can be replayed by its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
