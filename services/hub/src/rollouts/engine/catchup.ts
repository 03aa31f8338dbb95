import { type Decision } from './engine.js';
import { type FleetCluster } from './membership.js';
import { DEFAULT_WAVE_SETTINGS, type WavePlan } from './plan.js';
import { type JoinPolicy, OFFLINE_STATUSES } from './vocabulary.js';

/** Why a placed cluster that does not run the settled revision is not caught up now. */
export type CatchupWait =
  /** Join policy `wave` and a rollback of the application is running: the cluster waits for it. */
  | { kind: 'rolloutInProgress' }
  /** Offline or Unknown: assigning it would only run down the catch-up's deadline. */
  | { kind: 'offline' }
  /** Registered, its agent not heard from yet (Pending): likewise, and it may take a while to start. */
  | { kind: 'notConnected' }
  /** A catch-up to this commit already assigned it: its outcome is shown there (no retry loop). */
  | { kind: 'triedBefore' };

/** The application's unfinished rollout or rollback (at most one: a start supersedes the others). */
export interface InProgress {
  id: string;
  commit: string;
  /** A rollout (not a rollback) that has not finished: clusters can join its waves. */
  joinable: boolean;
}

/** One application's placement as the catch-up lane reads it. */
export interface CatchupState {
  /** The commit of the application's newest Succeeded rollout or rollback; null: nothing to catch up to. */
  settledCommit: string | null;
  joinPolicy: JoinPolicy;
  inProgress: InProgress | null;
  /** The placement ({@link placementsFor}), in order. */
  placed: readonly FleetCluster[];
  /** Per cluster: the commit of the application it is assigned now (none: never assigned). */
  assignedCommit: ReadonlyMap<string, string>;
  /** Members of any unfinished rollout of the application (catch-ups included): they move with it. */
  inActiveRollout: ReadonlySet<string>;
  /** Clusters a catch-up to `settledCommit` already tried. */
  tried: ReadonlySet<string>;
}

export interface CatchupNeeds {
  /** Clusters to catch up to the settled revision now, in placement order. */
  catchUp: string[];
  /**
   * Join policy `wave`: clusters to add to the running rollout, in the wave their labels match (the
   * engine assigns them with that wave, or at once if it already passed). Offline ones too: the
   * rollout's offline policy decides for them as for any member.
   */
  join: string[];
  waiting: { clusterId: string; reason: CatchupWait }[];
}

/**
 * What each placed cluster that a running rollout does not count yet needs: with join policy `wave`
 * and a rollout running, to join it (unless it already runs that commit; during a rollback it
 * waits); otherwise the settled revision if it runs another commit or none, unless it waits (see
 * {@link CatchupWait}). Pure: the lane reads the state, this decides, so replicas agree.
 */
export function catchupNeeds(state: CatchupState): CatchupNeeds {
  const needs: CatchupNeeds = { catchUp: [], join: [], waiting: [] };
  const settled = state.settledCommit;
  const running = state.joinPolicy === 'wave' ? state.inProgress : null;
  for (const cluster of state.placed) {
    const id = cluster.id;
    if (state.inActiveRollout.has(id)) continue;
    const assigned = state.assignedCommit.get(id);
    if (running !== null) {
      if (running.joinable) {
        if (assigned !== running.commit) needs.join.push(id);
      } else if (settled !== null && assigned !== settled) {
        needs.waiting.push({ clusterId: id, reason: { kind: 'rolloutInProgress' } });
      }
      continue;
    }
    if (settled === null || assigned === settled) continue;
    const reason: CatchupWait | null = OFFLINE_STATUSES.has(cluster.status)
      ? { kind: 'offline' }
      : cluster.status === 'Pending'
        ? { kind: 'notConnected' }
        : state.tried.has(id)
          ? { kind: 'triedBefore' }
          : null;
    if (reason === null) needs.catchUp.push(id);
    else needs.waiting.push({ clusterId: id, reason });
  }
  return needs;
}

/**
 * The plan of a catch-up: one wave, every member at once (the lane bounds how many clusters are
 * caught up fleet-wide), no soak or approval, a failure budget of 100% so one cluster that cannot
 * take the revision does not hold the others, and never an automatic rollback: the revision is
 * already the fleet's, a joining cluster failing it says nothing against it. An offline member is
 * skipped (the lane tries it again when it is back). The deadline is the application's own.
 */
export function catchupPlan(progressDeadlineSeconds: number): WavePlan {
  return {
    waves: [],
    rest: {
      ...DEFAULT_WAVE_SETTINGS,
      maxConcurrency: '100%',
      soakSeconds: 0,
      requireApproval: false,
      failureBudget: '100%',
      offlinePolicy: 'skip',
      progressDeadlineSeconds,
    },
    autoRollback: false,
  };
}

/**
 * A catch-up's decision with its verdict: once every member settled, it ends Failed if any member
 * failed or had no bundle (Succeeded would claim they all run the settled revision), with a message
 * naming how many. Never a rollback: its plan asks for none.
 */
export function catchupVerdict(decision: Decision): { decision: Decision; message: string | null } {
  if (decision.nextState !== 'Succeeded') return { decision, message: null };
  const failed =
    decision.waves.reduce((n, wave) => n + wave.failed, 0) +
    decision.clusters.filter((cluster) => cluster.blocking?.kind === 'noBundle').length;
  if (failed === 0) return { decision, message: null };
  return {
    decision: { ...decision, nextState: 'Failed' },
    message: `${failed} cluster(s) did not take the settled revision; see each cluster's phase`,
  };
}
