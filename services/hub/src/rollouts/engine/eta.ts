import { runShared, type ShareClaim } from './fleet-share.js';
import { nextOpening } from './gates/windows.js';
import { type TimeWindow } from './gates/types.js';
import { type AssignmentPhase, IN_FLIGHT_PHASES, isFinished, type RolloutState } from './vocabulary.js';

/**
 * Estimated completion of a rollout and of each of its waves, from what a read of the rollout
 * already has (no query of its own): the per-cluster apply→healthy durations observed so far, the
 * waves' concurrency and the fleet budget's headroom, the soaks and approvals still ahead, and the
 * plan's time windows.
 */

/**
 * Where the estimate came from: `finished` (`at` is when it ended), `observed` (this rollout's own
 * pace: per slot, the time its settled clusters took; before 3 settled and with no earlier rollout,
 * the median apply→healthy duration of its healthy clusters), `previous` (fewer than 3 settled
 * here: the application's earlier rollouts' pace, {@link previousPace}), `awaitingApproval` (nobody
 * can say when an operator approves), `unknown` (paused, frozen, or no duration to go by yet).
 */
export const ETA_BASES = ['finished', 'observed', 'previous', 'awaitingApproval', 'unknown'] as const;
export type EtaBasis = (typeof ETA_BASES)[number];

export const ETA_CONFIDENCES = ['high', 'medium', 'low'] as const;
export type EtaConfidence = (typeof ETA_CONFIDENCES)[number];

export interface Eta {
  /** Estimated completion; null when it cannot be estimated (see basis). */
  at: Date | null;
  basis: EtaBasis;
  /** high: at least 10 clusters observed; medium: 3 to 9; low: fewer, or the earlier rollouts'. */
  confidence: EtaConfidence;
  /** The per-cluster apply→healthy duration the estimate assumes (seconds); null: none. */
  clusterSeconds: number | null;
}

export interface EtaCluster {
  phase: AssignmentPhase;
  assignedAt: Date | null;
  /** When the cluster's latest report came (for a Healthy cluster: when it became healthy, or later). */
  reportedAt: Date | null;
}

export interface EtaWave {
  /** Member clusters of the wave with their phases as the read computed them. */
  clusters: readonly EtaCluster[];
  concurrencyLimit: number;
  soakSeconds: number;
  requireApproval: boolean;
  startedAt: Date | null;
  healthyAt: Date | null;
  approvedAt: Date | null;
}

export interface EtaInput {
  now: Date;
  state: RolloutState;
  paused: boolean;
  finishedAt: Date | null;
  currentWave: number;
  waves: readonly EtaWave[];
  /** The plan's time windows (empty: always open). */
  windows: readonly TimeWindow[];
  /** Fleet-wide clusters changing now and the fleet budget (null: none). */
  fleet: { changing: number; changeLimit: number | null; frozen: boolean; sharing?: FleetSharing | null };
  /** The application's earlier rollouts' per-cluster pace ({@link previousPace}); null: none known. */
  previousClusterSeconds: number | null;
}

/**
 * The other rollouts sharing the fleet budget, and the fleet's pace, as the fleet gate state last
 * read them (null or absent: no budget, or not read; the estimate then goes by this rollout alone).
 */
export interface FleetSharing {
  /** Every other active rollout: clusters it still has to settle and how many it may change at once. */
  others: readonly ShareClaim[];
  /** Slot-seconds per cluster fleet-wide ({@link fleetClusterSeconds}); null: too little to go by. */
  clusterSeconds: number | null;
}

export interface RolloutEta {
  rollout: Eta;
  waves: Eta[];
}

/** Durations shorter than this are clock noise, not a measurement. */
const MIN_CLUSTER_SECONDS = 1;

/** Apply→healthy durations (seconds) of the healthy clusters given. */
export function observedClusterSeconds(clusters: readonly EtaCluster[]): number[] {
  const samples: number[] = [];
  for (const c of clusters) {
    if (c.phase !== 'Healthy' || c.assignedAt === null || c.reportedAt === null) continue;
    const seconds = (c.reportedAt.getTime() - c.assignedAt.getTime()) / 1000;
    if (seconds >= 0) samples.push(Math.max(MIN_CLUSTER_SECONDS, seconds));
  }
  return samples;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function confidenceOf(samples: number): EtaConfidence {
  if (samples >= 10) return 'high';
  if (samples >= 3) return 'medium';
  return 'low';
}

const unknown = (basis: EtaBasis = 'unknown'): Eta => ({
  at: null,
  basis,
  confidence: 'low',
  clusterSeconds: null,
});

/**
 * When `pending` clusters of `seconds` each finish on `slots` parallel slots, the first of which
 * free up at `freeAt` (ms): each pending cluster takes the earliest free slot.
 */
function drain(freeAt: number[], pending: number, seconds: number): number {
  const slots = [...freeAt].sort((a, b) => a - b);
  const ms = seconds * 1000;
  if (slots.length === 0) return Number.NaN;
  // Equal durations keep the slot order: slot i takes clusters i, i + n, i + 2n, ...
  const rounds = Math.floor(pending / slots.length);
  const extra = pending % slots.length;
  let end = Math.max(...slots);
  slots.forEach((free, i) => {
    const count = rounds + (i < extra ? 1 : 0);
    if (count > 0) end = Math.max(end, free + count * ms);
  });
  return end;
}

/** Clusters a pace is read from: fewer say more about chance than about the rollout. */
const MIN_FINISHED_FOR_PACE = 3;

/** What a wave's pace is read from: when it ran, on how many slots, and how many clusters it settled. */
export interface PaceWave {
  startedAt: Date | null;
  /** When it was done; null: still running (counted to now). */
  healthyAt: Date | null;
  slots: number;
  settled: number;
}

/** Slot-seconds per settled cluster over the waves given (null when none settled or no time ran). */
function paceOf(waves: readonly PaceWave[], now: Date): { seconds: number; finished: number } | null {
  let slotSeconds = 0;
  let finished = 0;
  for (const wave of waves) {
    if (wave.startedAt === null) continue;
    const end = (wave.healthyAt ?? now).getTime();
    slotSeconds += (Math.max(0, end - wave.startedAt.getTime()) / 1000) * Math.max(1, wave.slots);
    finished += wave.settled;
  }
  if (finished === 0 || slotSeconds <= 0) return null;
  return { seconds: slotSeconds / finished, finished };
}

/**
 * The time one slot takes per cluster as the rollout has actually gone: the started waves' time
 * running (start → done, or now) × the slots each ran on ÷ the clusters they settled. Unlike the
 * apply→healthy samples it includes the report's way in and the pass that assigns the next cluster,
 * and it is not moved by later reports (a cluster's report time moves with every report it sends,
 * other applications' changes included). Slots are read with today's fleet budget room: under a
 * budget shared with other rollouts that room is what this one gets. Null until enough settled.
 */
function observedCycle(
  waves: readonly EtaWave[],
  now: Date,
  budgetRoom: number,
): { seconds: number; finished: number } | null {
  const pace = paceOf(
    waves.map((wave) => ({
      startedAt: wave.startedAt,
      healthyAt: wave.healthyAt,
      slots: Math.min(wave.concurrencyLimit, budgetRoom, wave.clusters.length),
      settled: wave.clusters.filter((c) => c.phase !== 'Pending' && !IN_FLIGHT_PHASES.has(c.phase)).length,
    })),
    now,
  );
  return pace !== null && pace.finished >= MIN_FINISHED_FOR_PACE ? pace : null;
}

/**
 * Whether an estimate of this rollout would use the application's earlier rollouts: it is not
 * finished and has settled too few clusters for a pace of its own. The hub reads that history only then.
 */
export function wantsPreviousPace(input: Pick<EtaInput, 'state' | 'waves' | 'now' | 'fleet'>): boolean {
  if (isFinished(input.state)) return false;
  return observedCycle(input.waves, input.now, Infinity) === null;
}

/**
 * The per-cluster pace of an application's earlier (finished) rollouts, each a list of its waves:
 * the median of their paces (each as {@link observedCycle} reads a running one, on the slots each
 * wave had), so one unusual rollout does not move it. Null: no earlier rollout settled anything.
 */
export function previousPace(rollouts: readonly (readonly PaceWave[])[]): number | null {
  const paces: number[] = [];
  for (const waves of rollouts) {
    const ended = waves.filter((w) => w.healthyAt !== null);
    const pace = paceOf(ended, new Date(0));
    if (pace !== null) paces.push(pace.seconds);
  }
  return median(paces);
}

/** Pure: the rollout's and each wave's estimated completion (see {@link EtaInput}). */
export function estimateEta(input: EtaInput): RolloutEta {
  const { now, waves } = input;
  if (isFinished(input.state)) {
    const done: Eta = { at: input.finishedAt, basis: 'finished', confidence: 'high', clusterSeconds: null };
    return { rollout: done, waves: waves.map(() => done) };
  }
  // The fleet budget's room for this rollout: what is free fleet-wide plus what it holds itself.
  const ownInFlight = waves.reduce(
    (n, w) => n + w.clusters.filter((c) => IN_FLIGHT_PHASES.has(c.phase)).length,
    0,
  );
  const budgetRoom =
    input.fleet.changeLimit === null
      ? Infinity
      : Math.max(1, input.fleet.changeLimit - input.fleet.changing + ownInFlight);
  const samples = waves.flatMap((w) => observedClusterSeconds(w.clusters));
  const cycle = observedCycle(waves, now, budgetRoom);
  // Below 3 settled clusters the earlier rollouts' pace says more than one or two samples here.
  const observed = cycle?.seconds ?? (input.previousClusterSeconds === null ? median(samples) : null);
  const clusterSeconds = observed ?? input.previousClusterSeconds;
  const basis: EtaBasis = observed !== null ? 'observed' : 'previous';
  const confidence: EtaConfidence =
    observed !== null ? confidenceOf(Math.max(samples.length, cycle?.finished ?? 0)) : 'low';
  const shared = sharedFleet(input);
  const out: Eta[] = [];
  let blocked: Eta | null = null;
  if (input.paused || input.fleet.frozen || clusterSeconds === null) blocked = unknown();
  let t = now.getTime();
  waves.forEach((wave, index) => {
    const done =
      wave.healthyAt !== null &&
      !wave.clusters.some((c) => c.phase === 'Pending' || IN_FLIGHT_PHASES.has(c.phase));
    if (index < input.currentWave || (done && index <= input.currentWave)) {
      const end = wave.healthyAt?.getTime() ?? t;
      // A soak still running holds the next wave.
      if (wave.clusters.length > 0 && wave.soakSeconds > 0) t = Math.max(t, end + wave.soakSeconds * 1000);
      out.push({ at: new Date(end), basis: 'finished', confidence: 'high', clusterSeconds: null });
      return;
    }
    if (blocked !== null) {
      out.push(blocked);
      return;
    }
    if (wave.clusters.length === 0) {
      out.push({ at: new Date(t), basis, confidence, clusterSeconds });
      return;
    }
    if (wave.startedAt === null) {
      if (wave.requireApproval && wave.approvedAt === null) {
        blocked = unknown('awaitingApproval');
        out.push(blocked);
        return;
      }
      const opens = input.windows.length === 0 ? new Date(t) : nextOpening(input.windows, new Date(t));
      if (opens === null) {
        blocked = unknown();
        out.push(blocked);
        return;
      }
      t = Math.max(t, opens.getTime());
    }
    if (shared !== null) {
      const end = shared.drain(wave, t, clusterSeconds!);
      out.push({
        at: new Date(end),
        basis,
        confidence,
        clusterSeconds: shared.clusterSeconds ?? clusterSeconds,
      });
      t = end + (wave.soakSeconds > 0 ? wave.soakSeconds * 1000 : 0);
      return;
    }
    const seconds = clusterSeconds!;
    const slots = Math.max(1, Math.min(wave.concurrencyLimit, budgetRoom));
    const inFlight = wave.clusters.filter((c) => IN_FLIGHT_PHASES.has(c.phase));
    const pending = wave.clusters.filter((c) => c.phase === 'Pending').length;
    // A cluster in flight frees its slot when its expected duration is up (now at the earliest).
    const freeAt = inFlight
      .slice(0, slots)
      .map((c) => Math.max(t, (c.assignedAt?.getTime() ?? t) + seconds * 1000));
    while (freeAt.length < slots) freeAt.push(t);
    const end = pending === 0 && inFlight.length === 0 ? t : drain(freeAt, pending, seconds);
    out.push({ at: new Date(end), basis, confidence, clusterSeconds: seconds });
    t = end + (wave.soakSeconds > 0 ? wave.soakSeconds * 1000 : 0);
  });
  const last = out.at(-1);
  if (blocked !== null) return { rollout: blocked, waves: out };
  // The rollout ends when its last wave's soak is over.
  const rollout: Eta =
    last === undefined
      ? unknown()
      : { at: new Date(t), basis, confidence, clusterSeconds: shared?.clusterSeconds ?? clusterSeconds };
  return { rollout, waves: out };
}

/** One weight for every rollout sharing the budget: an even split. */
const EVEN = 1;

/**
 * Under a fleet budget shared with other active rollouts: the waves drain at this rollout's share
 * of the budget ({@link runShared}), which grows as the others finish, at the fleet's pace when it
 * is known (a starved rollout's own pace counts slots it did not have). Null: no budget or no other
 * rollout with clusters left (the rollout alone: its own pace on its own slots).
 */
function sharedFleet(input: EtaInput) {
  const { changeLimit, sharing } = input.fleet;
  if (changeLimit === null || !sharing || !sharing.others.some((o) => o.remaining > 0)) return null;
  // An even split, whatever each holds now: the fleet budget gate enforces it (each contending
  // rollout holds at most its water-filled fair share, `fair-share.ts`), so a rollout behind now
  // catches up to its share as the one ahead's clusters settle (bench/README.md, "Fleet budget and ETA").
  const others: ShareClaim[] = sharing.others.map((o) => ({ ...o, holding: EVEN }));
  // The time the others have been run to.
  let ranTo = input.now.getTime();
  return {
    clusterSeconds: sharing.clusterSeconds,
    /** When `wave`, starting at `start` (ms), is done; the others run alongside. */
    drain(wave: EtaWave, start: number, ownSeconds: number): number {
      const seconds = sharing.clusterSeconds ?? ownSeconds;
      const ms = seconds * 1000;
      // While this rollout holds no slot (a soak, a window) the others have the budget.
      if (start > ranTo) runShared(others, null, changeLimit, seconds, start - ranTo);
      ranTo = Math.max(ranTo, start);
      // A cluster in flight is as far along as its time in flight says.
      let remaining = 0;
      let open = 0;
      for (const c of wave.clusters) {
        if (c.phase === 'Pending') remaining += 1;
        else if (IN_FLIGHT_PHASES.has(c.phase)) {
          const since = c.assignedAt?.getTime() ?? start;
          remaining += Math.min(1, Math.max(0, since + ms - start) / ms);
        } else continue;
        open++;
      }
      if (remaining === 0) return start;
      const concurrency = Math.max(1, Math.min(wave.concurrencyLimit, open));
      ranTo = start + runShared(others, { remaining, concurrency, holding: EVEN }, changeLimit, seconds);
      return ranTo;
    },
  };
}
