import { resolveCount } from './gates/settings.js';
import { type WavePlan } from './plan.js';

/**
 * The fleet change budget as processor sharing, for the ETA: the budget's slots are split among the
 * active rollouts by weight, none getting more than it may change at once (its wave's concurrency);
 * what a capped rollout leaves goes to the others, and when a rollout finishes its share goes to
 * those still running. Work is counted in clusters, each taking `clusterSeconds` of a slot. The
 * ETA weighs every rollout the same (see `eta.ts`), as the fleet budget gate shares the budget in
 * fact (`fair-share.ts`: the same water-filling, in whole clusters, among the rollouts contending
 * for it); the clusters each holds in flight are read too, for the fleet's pace.
 */

/** A rollout sharing the budget, as the simulation goes. */
export interface ShareClaim {
  /** Clusters it still has to settle. */
  remaining: number;
  /** How many it may change at once. */
  concurrency: number;
  /** Its weight in the split (below 1 counts as 1); as read, the clusters it holds in flight now. */
  holding: number;
}

/** Less than this much of a cluster left is done (floating-point dust). */
const DONE = 1e-9;

/**
 * Weighted water-filling: `slots` split among claims in proportion to their weights, none above its
 * cap; what a capped claim leaves is split among the others the same way. Caps and weights below 1
 * count as 1.
 */
export function shareOut(slots: number, claims: readonly { cap: number; weight: number }[]): number[] {
  const out = claims.map(() => 0);
  // The claims capped first are those whose cap is smallest against their weight.
  const order = claims
    .map((c, i) => ({ cap: Math.max(1, c.cap), weight: Math.max(1, c.weight), i }))
    .sort((a, b) => a.cap / a.weight - b.cap / b.weight);
  let left = slots;
  let weights = order.reduce((n, c) => n + c.weight, 0);
  for (const { cap, weight, i } of order) {
    const share = Math.min(cap, (left * weight) / weights);
    out[i] = share;
    left -= share;
    weights -= weight;
  }
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
      claims.map((c) => ({ cap: c.concurrency, weight: c.holding })),
    );
    // Until the first claim is done (or the limit): each drains `share` clusters per cluster time.
    const step = Math.min(limitMs - elapsed, ...claims.map((c, i) => (c.remaining / shares[i]!) * ms));
    // Nothing drains (a share of 0 or not a number): no time can be given, and no loop may spin.
    if (!(step > 0)) return Infinity;
    claims.forEach((c, i) => {
      c.remaining = Math.max(0, c.remaining - (shares[i]! * step) / ms);
    });
    elapsed += step;
    if (own !== null && own.remaining <= DONE) return elapsed;
    if (elapsed >= limitMs) return limitMs;
  }
}

/** Clusters settled in a window shorter than this say little about the fleet's pace. */
const MIN_SETTLED_FOR_FLEET_PACE = 10;

/**
 * Slot-seconds per cluster fleet-wide: the slots in use (the budget, or what the active rollouts
 * may change at once when that is less) × the window ÷ the clusters settled in it. A rollout
 * starved of the budget goes by this rather than by its own pace, which counts slots it did not
 * have. Null: fewer than 10 settled in the window, or no window.
 */
export function fleetClusterSeconds(
  rollouts: readonly ShareClaim[],
  changeLimit: number,
  windowSeconds: number,
  settled: number,
): number | null {
  if (settled < MIN_SETTLED_FOR_FLEET_PACE || windowSeconds <= 0) return null;
  const wanted = rollouts.reduce((n, r) => n + Math.min(Math.max(1, r.concurrency), r.remaining), 0);
  const slots = Math.max(1, Math.min(changeLimit, wanted));
  return (slots * windowSeconds) / settled;
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
  /** Members in flight (assigned, not settled). */
  inFlight: number;
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
 * Pure: each active rollout's claim (clusters left; its current wave's concurrency; what it holds)
 * and the fleet's pace over the last `windowSeconds`. The clusters settled in the window are taken
 * to be those assigned in it (as many in flight at its start as at its end); when the earliest
 * assignment on record is younger than the window, the window starts there, nothing was in flight
 * before it, and those in flight now are not settled (the first burst of assignments is no pace).
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
    return { id: load.id, remaining: load.remaining, concurrency, holding: load.inFlight };
  });
  const ages = loads.flatMap((l) => (l.firstAssignedSecondsAgo === null ? [] : [l.firstAssignedSecondsAgo]));
  const age = Math.max(...ages);
  const assigned = loads.reduce((n, l) => n + l.assignedRecently, 0);
  const settled = age < windowSeconds ? assigned - loads.reduce((n, l) => n + l.inFlight, 0) : assigned;
  return {
    rollouts,
    clusterSeconds:
      ages.length === 0
        ? null
        : fleetClusterSeconds(rollouts, changeLimit, Math.min(windowSeconds, age), settled),
  };
}
