import { type CatchupWait, REPORTED_PHASES, type ReportedPhase } from '../rollouts/engine/index.js';

/**
 * A placement's phase: what its agent reports for the application (the bundle phases), or `Missing`
 * when it reports nothing for it (never applied, or the agent has not reported yet).
 * `Removing` is the phase of a pair the hub withdrew (a tombstone, see docs/rollouts.md) until its
 * agent confirms; nothing is desired of it any more, so it is never behind.
 */
export type PlacementPhase = 'Missing' | ReportedPhase | 'Removing';
export const PLACEMENT_PHASES: readonly PlacementPhase[] = ['Missing', ...REPORTED_PHASES, 'Removing'];

/** Phases that count as failing in `Application.sync.failing`. */
export const FAILING_PLACEMENT_PHASES: readonly PlacementPhase[] = ['Degraded', 'Failed', 'Stalled'];

/** Why a placement that does not run its desired revision is not moving towards it now. */
export type PlacementWaitKind = 'maintenance' | 'inRollout' | 'queued' | CatchupWait['kind'];

export interface PlacementWait {
  kind: PlacementWaitKind;
  message: string;
}

/** What decides a behind placement's waiting reason (see {@link placementWait}). */
export interface WaitInput {
  behind: boolean;
  maintenance: { reason: string; since: Date } | null;
  /** The rollout (of any kind) the cluster is a member of, unfinished; null: none. */
  activeRolloutId: string | null;
  /** The catch-up lane's verdict for this cluster (`catchupNeeds`); null: it would catch it up or join it now. */
  catchup: CatchupWait | null;
}

const CATCHUP_MESSAGES: { readonly [K in CatchupWait['kind']]: string } = {
  rolloutInProgress: 'waits for the rollback of the application running now',
  offline: 'the cluster is offline or unknown; it catches up when it is back',
  notConnected: 'the agent has not reported yet',
  triedBefore: 'a catch-up to this commit already tried it (see its phase); a new commit or retry moves it',
};

/**
 * Why a behind placement waits, first reason first: maintenance (no new change starts on the
 * cluster), a running rollout it is a member of (its waves decide when), the catch-up lane's reasons,
 * else `queued` (the lane starts it at its next sweep, within its fleet-wide concurrency). A
 * placement at its desired revision waits for nothing.
 */
export function placementWait(input: WaitInput): PlacementWait | null {
  if (!input.behind) return null;
  if (input.maintenance !== null)
    return {
      kind: 'maintenance',
      message: `cluster in maintenance since ${input.maintenance.since.toISOString()}: ${input.maintenance.reason}`,
    };
  if (input.activeRolloutId !== null)
    return {
      kind: 'inRollout',
      message: `member of rollout ${input.activeRolloutId}: its waves decide when`,
    };
  if (input.catchup !== null)
    return { kind: input.catchup.kind, message: CATCHUP_MESSAGES[input.catchup.kind] };
  return { kind: 'queued', message: 'the catch-up lane starts it (HUB_CATCHUP_MAX_CONCURRENCY at once)' };
}

export const SYNC_STATES = ['InSync', 'Progressing', 'OutOfSync', 'HeldBack'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/** What an application's sync state is decided from. */
export interface SyncInput {
  /** The newest commit the hub fetched of the application's ref. */
  latestCommit: string | null;
  /** latestCommit is vetoed (an operator's veto or an automatic rollback's). */
  headVetoed: boolean;
  /** The commit of the newest Succeeded rollout or rollback. */
  settledCommit: string | null;
  /** A rollout, rollback or catch-up of the application is unfinished. */
  inProgress: boolean;
  /** Placed clusters (target selector, not cordoned) not running their desired revision. */
  behind: number;
}

/**
 * The application's sync state, first rule that holds:
 * 1. `Progressing`: a rollout, rollback or catch-up of it is unfinished;
 * 2. `HeldBack`: its head commit is vetoed and the fleet is settled at another commit;
 * 3. `OutOfSync`: placed clusters are behind their desired revision with nothing running to move
 *    them (waiting: offline, maintenance, tried before…), or the head commit is not the settled one
 *    (manual sync, an unusable revision, a failed rollout);
 * 4. `InSync`: every placed cluster runs the settled revision, which is the head commit.
 */
export function syncState(input: SyncInput): SyncState {
  if (input.inProgress) return 'Progressing';
  if (input.headVetoed && input.latestCommit !== input.settledCommit) return 'HeldBack';
  if (input.behind > 0) return 'OutOfSync';
  if (input.latestCommit !== null && input.latestCommit !== input.settledCommit) return 'OutOfSync';
  return 'InSync';
}
