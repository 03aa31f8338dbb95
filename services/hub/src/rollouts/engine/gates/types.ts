import { type WaveVerification } from '../verification/wave-state.js';
import { type AssignmentPhase, type ClusterStatus, type RolloutState } from '../vocabulary.js';

/**
 * Where in a pass a gate is asked (in registry order within each point):
 * - `beforeStart`: once, before a wave starts (the wave's clusters are all still pending);
 * - `cluster`: for each unsettled cluster of an opened wave; the first gate that does not answer
 *   `open` decides for that cluster;
 * - `wave`: over an opened wave's clusters once the cluster gates ran; a block fails the rollout;
 * - `assign`: before each pending cluster of an opened wave is assigned;
 * - `afterDone`: once the wave is done, before the next wave opens.
 */
export type GateStage = 'beforeStart' | 'cluster' | 'wave' | 'assign' | 'afterDone';

/**
 * A time window of a plan: from each start of `schedule` (5-field cron, minute precision, read in
 * `timeZone`) for `duration` of elapsed time. `allow` windows: changes start only inside one
 * (when the plan has any); `deny` windows: no change starts inside one.
 */
export interface TimeWindow {
  kind: 'allow' | 'deny';
  schedule: string;
  /**
   * Elapsed time as the plan spells it, normalised (`2h`, `1h30m`, `1d`): a 2h window over a DST
   * change is still two hours long.
   */
  duration: string;
  /** IANA time zone (e.g. Europe/Berlin); the schedule's wall-clock times are read there. */
  timeZone: string;
}

/** A fleet-wide freeze: no rollout's next wave and no catch-up starts while it holds. */
export interface FleetFreeze {
  reason: string;
  by: string;
  since: Date;
  /** When it lifts by itself; null: when an admin unfreezes. */
  until: Date | null;
}

/** What a pass knows about the whole fleet (read once per pass, the same for every wave). */
export interface FleetState {
  /** The freeze, if one is set (an expired one is treated as lifted). */
  freeze: FleetFreeze | null;
  /** An admin let this rollout past the freeze. */
  freezeOverridden: boolean;
  /** Clusters changing fleet-wide (assigned, not settled) across all rollouts and catch-ups. */
  changing: number;
  /** The fleet-wide change budget in clusters; null: none. */
  changeLimit: number | null;
  /**
   * Applications changing (assigned, not settled) on each cluster, across all rollouts and
   * catch-ups; a cluster changing none may be missing. Read only when `clusterChangeLimit` is set.
   */
  clusterChanging: Readonly<Record<string, number>>;
  /** At most this many applications changing at once on one cluster; null: no limit. */
  clusterChangeLimit: number | null;
  /**
   * This rollout's fair share of the fleet budget and what it holds of it (counting the pass's own
   * assignments), read under the budget lock (`fair-share.ts`); absent or null: not throttled by a
   * share (no budget, a catch-up, or a pass that would not assign).
   */
  fairShare?: FairShare | null;
}

/** A rollout's fair share of the fleet budget (see `fair-share.ts`). */
export interface FairShare {
  /** Clusters it may hold in flight at once. */
  share: number;
  /** Clusters it holds in flight now. */
  held: number;
}

/** No freeze, no fleet budget: what a pass without fleet-wide state sees. */
export const OPEN_FLEET: FleetState = Object.freeze({
  freeze: null,
  freezeOverridden: false,
  changing: 0,
  changeLimit: null,
  clusterChanging: Object.freeze({}),
  clusterChangeLimit: null,
});

/** A blocking reason: a machine-readable kind plus the fields people and clients need. */
export interface GateReason {
  kind: string;
}

/** One member cluster of the wave, as the pass sees it right now. */
export interface GateCluster {
  clusterId: string;
  /** The cluster's name (per-cluster verification checks name their target by it). */
  name: string;
  phase: AssignmentPhase;
  clusterStatus: ClusterStatus;
  clusterStatusSince: Date | null;
  assignedAt: Date | null;
  /** The cluster's own maintenance, as its agent last reported it (null: none). */
  maintenance: { reason: string; since: Date } | null;
  /** The cluster's labels now (failure correlation groups failed clusters by them). */
  labels: Readonly<Record<string, string>>;
}

export interface GateContext<S> {
  now: Date;
  /** The gate's own setting for this wave (defaults applied; undefined for a gate without one). */
  setting: S;
  waveName: string;
  /** Member clusters of the wave (their phases as of this pass). */
  clusters: readonly GateCluster[];
  /** Hub-clock stamps of the wave (a stamp made earlier in this pass counts). */
  startedAt: Date | null;
  healthyAt: Date | null;
  approvedAt: Date | null;
  /** Last resume after a pause. */
  resumedAt: Date | null;
  /** The plan asks for a rollback when a wave fails. */
  autoRollback: boolean;
  /** `cluster` and `assign` stages: the cluster being looked at. */
  cluster?: GateCluster;
  /** `assign` stage: clusters of the wave in flight now. */
  inFlight: number;
  /** The plan's time windows (empty: always open). */
  windows: readonly TimeWindow[];
  /**
   * Fleet-wide state of this pass; `fleet.changing` counts the assignments made so far in the pass
   * (a pass assigns a cluster once, so `fleet.clusterChanging` needs no such update).
   */
  fleet: FleetState;
  /** The wave's verification checks as recorded so far; null or absent: none started. */
  verification?: WaveVerification | null;
}

/** What the engine does for a cluster a gate settles (offline policy, deadline). */
export type SettleMark = 'skipped' | 'offlineFailed' | 'timedOut';

export type GateResult<R extends GateReason> =
  | { status: 'open' }
  | {
      status: 'blocked';
      reason: R;
      /** The rollout's state while this gate holds the wave (default: Progressing; `wave` stage: Failed). */
      state?: RolloutState;
      /** Recorded as a rollout event (beforeStart: only when the state changes to `state`). */
      event?: string;
    }
  | { status: 'settled'; mark: SettleMark; event: string };

/** How one plan field of a wave is read: default, and validation with today's messages. */
export interface GateSetting<K extends string, S> {
  key: K;
  default: S;
  /** Returns the value, or pushes `${path}.${key}: …` to errors and returns the default. */
  parse(raw: unknown, path: string, errors: string[]): S;
}

/**
 * One wave gate: the rule for one kind of wait, with its plan setting (if the plan tunes it), its
 * evaluation and its message. Adding a gate = a file implementing this, its table test, and one
 * line in gates/index.ts. A gate whose `K` is `never` has no setting (nothing in the plan).
 */
export interface WaveGate<R extends GateReason, K extends string = string, S = unknown> {
  kind: R['kind'];
  /** Where the gate is asked; a gate asked at several points holds at each of them. */
  stage: GateStage | readonly GateStage[];
  setting: [K] extends [never] ? undefined : GateSetting<K, S>;
  evaluate(context: GateContext<S>): GateResult<R>;
  /** When a rollout held by this reason should be looked at again without any report arriving. */
  recheckAt?(reason: R): Date | null;
  /** One line for people (times in UTC, ISO 8601 to the second). */
  message(reason: R): string;
  /** `cluster`/`assign` stages: the wave's reason from its blocked clusters' (default: the first). */
  waveReason?(reasons: readonly R[]): R;
}

export const OPEN = { status: 'open' } as const;

/** Times for people: UTC, ISO 8601 to the second. */
export function formatTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 0s, 59s, 4m12s, 1h0m5s: the largest unit first, like Go durations. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
