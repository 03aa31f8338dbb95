import { resolveCount } from './gates/settings.js';
import { freezeHolds } from './gates/freeze.js';
import { type FairShare, type FleetFreeze, type TimeWindow } from './gates/types.js';
import { windowsAllow } from './gates/windows.js';
import { type WavePlan } from './plan.js';
import { type RolloutKind, type RolloutState } from './vocabulary.js';

/**
 * The fleet change budget shared fairly: each rollout contending for it may hold at most its fair
 * share. Without this a slot freed by a settled cluster went to whichever pass asked first (a
 * cluster's report runs its own rollout's pass first), so a rollout that got ahead kept more and
 * the ETA's even split (`fleet-share.ts`) misjudged both. With it, the split the ETA assumes is the
 * one the gate enforces.
 */

/** A rollout's load on the budget as read under the budget lock (RolloutsRepository.budgetLoads). */
export interface BudgetLoad {
  id: string;
  kind: RolloutKind;
  state: RolloutState;
  paused: boolean;
  plan: WavePlan;
  /** An admin let it past the freeze. */
  freezeOverridden: boolean;
  currentWave: number;
  /** Its current wave is done (verification checks or soak hold it, or the next wave's approval). */
  waveDone: boolean;
  /** Members of its current wave. */
  waveSize: number;
  /** Members of its current wave waiting to be assigned (live, not cordoned, with a bundle). */
  waiting: number;
  /** Members in flight (assigned, not settled), any wave: the budget slots it holds. */
  held: number;
}

/** A rollout's claim in the split: only contenders get a share; the others' holdings are spent. */
export interface BudgetClaim {
  id: string;
  held: number;
  /** It wants more of the budget now: clusters waiting and nothing else holding it. */
  contending: boolean;
  /** The most it can hold at once: its wave's concurrency, or what it holds plus waits for if fewer. */
  cap: number;
}

/**
 * Pure: whether a rollout contends for the budget at `now`, and how much it could use. Catch-ups
 * never contend: they count as held (their clusters change) but are throttled only by the budget
 * itself and the catch-up lane's own concurrency, so a joining cluster is never starved by shares.
 * Not contending: no clusters waiting in the current wave; its wave done (verification checks,
 * soak); paused, awaiting approval or otherwise neither Pending nor Progressing; outside its time
 * windows; held by the fleet freeze without an override. A rollout about to start its wave (no pass
 * yet, or just let go by a freeze) contends, so the first pass after it cannot take its share. What holds single clusters (offline,
 * maintenance, the per-cluster budget) is not seen here: such a rollout still gets its share.
 */
export function budgetClaim(load: BudgetLoad, now: Date, freeze: FleetFreeze | null): BudgetClaim {
  const settings =
    load.currentWave < load.plan.waves.length ? load.plan.waves[load.currentWave]! : load.plan.rest;
  const concurrency = Math.max(
    1,
    Math.min(resolveCount(settings.maxConcurrency, load.waveSize), load.waveSize),
  );
  const contending =
    load.kind !== 'catchup' &&
    (load.state === 'Progressing' || load.state === 'Pending') &&
    !load.paused &&
    !load.waveDone &&
    load.waiting > 0 &&
    windowsAllow(load.plan.windows ?? ([] as TimeWindow[]), now) &&
    (load.freezeOverridden || !freezeHolds(freeze, now));
  return { id: load.id, held: load.held, contending, cap: Math.min(concurrency, load.held + load.waiting) };
}

/**
 * Pure water-filling in whole clusters: the budget less what non-contenders hold is split evenly
 * among the contenders; one whose cap is below its even part takes its cap and leaves the rest to
 * the others, repeatedly. The remainder of the even split goes one each to the contenders in the
 * order given (the caller passes them oldest first), so the result is deterministic and never sums
 * above the budget. Returns each contender's share by id (non-contenders have none).
 */
export function fairShares(limit: number, claims: readonly BudgetClaim[]): Map<string, number> {
  const shares = new Map<string, number>();
  const spent = claims.reduce((n, c) => (c.contending ? n : n + c.held), 0);
  let left = Math.max(0, limit - spent);
  let open = claims.filter((c) => c.contending);
  for (;;) {
    const even = open.length === 0 ? 0 : Math.floor(left / open.length);
    const capped = open.filter((c) => c.cap <= even);
    if (capped.length === 0) break;
    for (const c of capped) {
      shares.set(c.id, c.cap);
      left -= c.cap;
    }
    open = open.filter((c) => c.cap > even);
  }
  // Every cap left is above the even part, so the one extra never passes a cap.
  const even = open.length === 0 ? 0 : Math.floor(left / open.length);
  let extra = left - even * open.length;
  for (const c of open) {
    shares.set(c.id, even + (extra > 0 ? 1 : 0));
    extra--;
  }
  return shares;
}

/**
 * Pure: the slots the shares split. The budget counts a cluster changing for several rollouts once
 * while each of them holds it, so what they hold together beyond the clusters changing (`changing`,
 * distinct) is added: otherwise rollouts sharing clusters would leave budget unused. The budget
 * itself still bounds the distinct count (the gate checks both).
 */
export function shareSlots(
  limit: number,
  changing: number,
  loads: readonly Pick<BudgetLoad, 'held'>[],
): number {
  const held = loads.reduce((n, l) => n + l.held, 0);
  return limit + Math.max(0, held - changing);
}

/**
 * Pure: the fair share of rollout `self`, which the pass found wanting to assign `wants` more
 * clusters (so it contends whatever its stored state says: the pass may have opened its next wave),
 * or null when it takes no share (a catch-up, or not among `loads`).
 */
export function fairShareOf(
  self: { id: string; wants: number },
  loads: readonly BudgetLoad[],
  slots: number,
  now: Date,
  freeze: FleetFreeze | null,
): FairShare | null {
  const claims = loads.map((load) => {
    const claim = budgetClaim(load, now, freeze);
    if (load.id !== self.id || load.kind === 'catchup') return claim;
    return { ...claim, contending: true, cap: claim.held + Math.max(1, self.wants) };
  });
  const share = fairShares(slots, claims).get(self.id);
  const own = claims.find((c) => c.id === self.id);
  return share === undefined || own === undefined ? null : { share, held: own.held };
}

/**
 * Pure: every contender's fair share and holding as the budget stands (for read views, which show
 * a rollout held by its share with the numbers); non-contenders are absent.
 */
export function fairShareMap(
  loads: readonly BudgetLoad[],
  slots: number,
  now: Date,
  freeze: FleetFreeze | null,
): Map<string, FairShare> {
  const claims = loads.map((load) => budgetClaim(load, now, freeze));
  const held = new Map(claims.map((c) => [c.id, c.held]));
  return new Map(
    [...fairShares(slots, claims)].map(([id, share]) => [id, { share, held: held.get(id) ?? 0 }]),
  );
}
