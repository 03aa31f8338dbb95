import { type EventEntity } from '../events/event.entity.js';
import { type BlockingKind, type Decision, FINISHED_STATES } from './engine/index.js';

/**
 * Blocking kinds whose release nothing signals to this replica's scheduler and that expose no
 * wake-up time: the fleet and per-cluster change budgets (freed by other rollouts, catch-ups and
 * replicas), a missing bundle (a render elsewhere), verification checks (their lease may sit with
 * another replica until it expires). A rollout held by one is passed by every periodic sweep.
 */
const UNSIGNALLED: ReadonlySet<BlockingKind> = new Set<BlockingKind>([
  'fleetBudget',
  'clusterBudget',
  'noBundle',
  'verification',
]);

/** How this replica's last pass over a rollout ended. */
export interface PassRecord {
  /** When the pass ended, by the hub clock (ms). */
  at: number;
  /**
   * The pass changed nothing and nothing unsignalled holds the rollout: it moves only on a signal
   * (report, cluster change, mutation, check settled) or at `wakeAt`.
   */
  quiet: boolean;
  /** The earliest moment a gate asked to be looked at again (soak end, deadline, window, freeze end). */
  wakeAt: number | null;
  /** The scheduler's change epoch when the pass started (see RolloutScheduler.forgetAll). */
  epoch: number;
}

export interface SweepInput {
  /** This replica's last pass over the rollout, if it remembers one. */
  last: PassRecord | undefined;
  /**
   * A pass is queued or running for the rollout (a signal, a request, an earlier sweep): it reads
   * what the sweep's would, so the sweep adds nothing (asking again would only queue one more
   * after it; under load that kept passes running back to back).
   */
  pending: boolean;
  /** The scheduler's change epoch now. */
  epoch: number;
  now: number;
  /** Even a quiet rollout is passed this often: a signal lost costs latency, never correctness. */
  quietIntervalMs: number;
}

/** Whether the periodic sweep passes a rollout, or leaves it until it is signalled or due. */
export function sweepPasses({ last, pending, epoch, now, quietIntervalMs }: SweepInput): boolean {
  if (pending) return false;
  if (last === undefined || !last.quiet || last.epoch !== epoch) return true;
  if (last.wakeAt !== null && last.wakeAt <= now) return true;
  // A clock stepped back (now < at) counts as due: the record cannot be trusted.
  return now < last.at || now - last.at >= quietIntervalMs;
}

/** A pass that changed nothing may be quiet; it is not when an unsignalled kind holds a wave or a cluster. */
export function heldUnsignalled(decision: Pick<Decision, 'waves' | 'clusters'>): boolean {
  for (const view of decision.waves) if (view.blocking && UNSIGNALLED.has(view.blocking.kind)) return true;
  for (const view of decision.clusters) if (view.blocking && UNSIGNALLED.has(view.blocking.kind)) return true;
  return false;
}

const BROAD_KINDS: ReadonlySet<string> = new Set(['application', 'placement']);
/**
 * Frequent changes of those kinds that move no rollout: a fetched or verified revision (a rollout
 * of it is requested when it starts), drift an agent corrected (its report signals its phase).
 */
const NARROW_ACTIONS: ReadonlySet<string> = new Set([
  'application.revisionFetched',
  'application.revisionVerified',
  'placement.driftCorrected',
]);

/**
 * A rollout starting or finishing: the set of rollouts sharing the fleet budget changed. (The
 * finishing actions are the engine's `rollout.<state>` events.)
 */
const STARTED_OR_FINISHED: ReadonlySet<string> = new Set([
  'rollout.started',
  'rollout.catchupStarted',
  'rollout.reconfigureStarted',
  'rollout.rollbackStarted',
  ...FINISHED_STATES.map((state) => `rollout.${state.charAt(0).toLowerCase()}${state.slice(1)}`),
]);

/** What changes committed on this replica concern, beyond what reports signal. */
export interface CommittedConcern {
  /** The fleet freeze was set or lifted: every rollout looks again at once. */
  fleet: boolean;
  /**
   * A rollout started or finished: the fleet budget's sharers changed, so the read views' copy of
   * the fleet state (the ETA's shares) is read again now rather than at the next pass interval.
   */
  sharers: boolean;
  /** Something any rollout may depend on (an application, a placement, a deregistration). */
  all: boolean;
  /** Clusters changed by an operator or by their facts (labels, cordon, maintenance, status). */
  clusterIds: string[];
  /** Rollouts changed by anyone but an engine pass (approval, retry, joined clusters…). */
  rolloutIds: string[];
}

/**
 * Reads audit events after commit for the scheduler: a change that no report signals must reach
 * the rollouts it may move, since the sweep no longer passes quiet ones every interval.
 */
export function concernOf(
  events: readonly Pick<EventEntity, 'targetKind' | 'targetId' | 'action' | 'actor'>[],
): CommittedConcern {
  const concern: CommittedConcern = {
    fleet: false,
    sharers: false,
    all: false,
    clusterIds: [],
    rolloutIds: [],
  };
  for (const e of events) {
    if (e.targetKind === 'fleet') concern.fleet = true;
    if (e.targetKind === 'rollout' && STARTED_OR_FINISHED.has(e.action)) concern.sharers = true;
    if (BROAD_KINDS.has(e.targetKind) ? !NARROW_ACTIONS.has(e.action) : e.action === 'cluster.deregistered')
      concern.all = true;
    if (e.targetKind === 'cluster') concern.clusterIds.push(e.targetId);
    if (e.targetKind === 'rollout' && e.actor !== 'engine') concern.rolloutIds.push(e.targetId);
  }
  return concern;
}
