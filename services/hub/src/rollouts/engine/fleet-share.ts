import { resolveCount } from './gates/settings.js';
import { type WavePlan } from './plan.js';

/**
 * The fleet change budget as processor sharing, for the ETA: the budget's slots are split evenly
 * among the active rollouts, none getting more than it may change at once (its wave's concurrency);
 * what a capped rollout leaves goes to the others, and when a rollout finishes its share goes to
 * those still running. Work is counted in clusters, each taking `clusterSeconds` of one slot.
 */

/** A rollout sharing the budget, as the simulation goes: clusters left and its concurrency. */
export interface ShareClaim {
  remaining: number;
  concurrency: number;
}

/** Less than this much of a cluster left is done (floating-point dust). */
const DONE = 1e-9;

/** Water-filling: `slots` split evenly among claims, none above its cap (caps below 1 count as 1). */
export function shareOut(slots: number, caps: readonly number[]): number[] {
  const out = caps.map(() => 0);
  const order = caps.map((cap, i) => ({ cap: Math.max(1, cap), i })).sort((a, b) => a.cap - b.cap);
  let left = slots;
  order.forEach(({ cap, i }, k) => {
    const share = Math.min(cap, left / (order.length - k));
    out[i] = share;
    left -= share;
  });
  return out;
}

/**
 * Runs the fleet from now for at most `limitMs`: `own` (this rollout's current wave, null while it
 * holds no slot: a soak, a time window) and `others` (changed in place) drain at their shares of
 * `slots`. Returns the milliseconds until `own` is done, or `limitMs` when it is not done by then
 * (Infinity: until it is done).
 */
export function runShared(
  others: ShareClaim[],
  own: ShareClaim | null,
  slots: number,
  clusterSeconds: number,
  limitMs = Infinity,
): number {
  const ms = clusterSeconds * 1000;
  let elapsed = 0;
  for (;;) {
    const active = others.filter((o) => o.remaining > DONE);
    const claims = own === null ? active : [own, ...active];
    if (claims.length === 0 || (own === null && limitMs === Infinity)) return limitMs;
    const shares = shareOut(
      Math.max(1, slots),
      claims.map((c) => c.concurrency),
    );
    // Until the first claim is done (or the limit): each drains `share` clusters per cluster time.
    const step = Math.min(limitMs - elapsed, ...claims.map((c, i) => (c.remaining / shares[i]!) * ms));
    claims.forEach((c, i) => {
      c.remaining = Math.max(0, c.remaining - (shares[i]! * step) / ms);
    });
    elapsed += step;
    if (own !== null && own.remaining <= DONE) return elapsed;
    if (elapsed >= limitMs) return limitMs;
  }
}

/** Clusters assigned in a window shorter than this say little about the fleet's pace. */
const MIN_ASSIGNED_FOR_FLEET_PACE = 10;

/** One active rollout as the fleet gate state reads it. */
export interface FleetRolloutLoad extends ShareClaim {
  /** Clusters it assigned within the window. */
  assignedRecently: number;
}

/**
 * Slot-seconds per cluster fleet-wide: the slots in use (the budget, or what the active rollouts
 * may change at once when that is less) × the window ÷ the clusters assigned in it. A rollout
 * starved of the budget goes by this rather than by its own pace, which counts slots it did not
 * have. Null: fewer than 10 assigned in the window, or no window.
 */
export function fleetClusterSeconds(
  rollouts: readonly FleetRolloutLoad[],
  changeLimit: number,
  windowSeconds: number,
): number | null {
  const assigned = rollouts.reduce((n, r) => n + r.assignedRecently, 0);
  if (assigned < MIN_ASSIGNED_FOR_FLEET_PACE || windowSeconds <= 0) return null;
  const wanted = rollouts.reduce((n, r) => n + Math.min(Math.max(1, r.concurrency), r.remaining), 0);
  const slots = Math.max(1, Math.min(changeLimit, wanted));
  return (slots * windowSeconds) / assigned;
}

/** An active rollout's load on the fleet budget, as the hub reads it (RolloutsRepository.fleetLoads). */
export interface FleetLoad {
  id: string;
  plan: WavePlan;
  currentWave: number;
  /** Members of its current wave. */
  waveSize: number;
  /** Members not settled yet (pending or in flight; skipped, timed out and failed offline left out). */
  remaining: number;
  /** Members assigned within the window asked for. */
  assignedRecently: number;
  /** Seconds since its earliest assignment still on record; null: none assigned. */
  firstAssignedSecondsAgo: number | null;
}

/** The active rollouts' claims on the fleet budget and the fleet's pace, for every ETA read. */
export interface FleetShares {
  rollouts: readonly (ShareClaim & { id: string })[];
  clusterSeconds: number | null;
}

/**
 * Pure: each active rollout's claim (clusters left; its current wave's concurrency) and the fleet's
 * pace over the last `windowSeconds` (shorter when the earliest assignment on record is younger).
 */
export function fleetShares(
  loads: readonly FleetLoad[],
  changeLimit: number,
  windowSeconds: number,
): FleetShares {
  const rollouts = loads.map((load) => {
    const { plan, currentWave, waveSize } = load;
    const settings = currentWave < plan.waves.length ? plan.waves[currentWave]! : plan.rest;
    const concurrency = Math.max(1, Math.min(resolveCount(settings.maxConcurrency, waveSize), waveSize));
    return { id: load.id, remaining: load.remaining, concurrency, assignedRecently: load.assignedRecently };
  });
  const ages = loads.flatMap((l) => (l.firstAssignedSecondsAgo === null ? [] : [l.firstAssignedSecondsAgo]));
  const window = Math.min(windowSeconds, Math.max(...ages));
  return {
    rollouts: rollouts.map(({ id, remaining, concurrency }) => ({ id, remaining, concurrency })),
    clusterSeconds: ages.length === 0 ? null : fleetClusterSeconds(rollouts, changeLimit, window),
  };
}
