import { type BundlePhase, BundlePhaseSchema } from '@fleetwave/contracts';

/**
 * The rollout vocabulary, spelled once: states, phases and the sets built from them. Everything else
 * (engine, SQL parameters, GraphQL enums) derives from these arrays, so a new state cannot be missed
 * by one list and silently strand rollouts.
 */

export const ROLLOUT_STATES = [
  'Pending',
  'Progressing',
  'Soaking',
  'AwaitingApproval',
  'Succeeded',
  'Paused',
  'Failed',
  'Aborted',
  'RolledBack',
  'Superseded',
] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

/**
 * What a rollout is for: a new revision (`rollout`), a return to an earlier one (`rollback`),
 * bringing joining clusters to the application's settled revision (`catchup`), or the settled
 * revision again for the clusters whose bundle of it a label or values change altered
 * (`reconfigure`: the application's waves and gates; its failure never vetoes the commit).
 */
export const ROLLOUT_KINDS = ['rollout', 'rollback', 'catchup', 'reconfigure'] as const;
export type RolloutKind = (typeof ROLLOUT_KINDS)[number];

/**
 * Kinds that move the fleet: their newest Succeeded one is the application's settled revision, and
 * one of them running is "a rollout in progress". A catch-up only brings clusters to that revision.
 */
export const FLEET_KINDS = ['rollout', 'rollback'] as const satisfies readonly RolloutKind[];

/**
 * What a cluster joining an application's placement during a rollout gets: `wave` joins the rollout
 * (in the wave its labels match), `settled` gets the settled revision at once.
 */
export const JOIN_POLICIES = ['wave', 'settled'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

/**
 * Why a placement ended and the cluster was sent a withdrawal: its labels no longer match the
 * target, the application's target was narrowed, the cluster is being deregistered, the
 * application is being deleted.
 */
export const WITHDRAWAL_REASONS = ['labels', 'target', 'deregistered', 'deleted'] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/** Final states: nothing moves a rollout out of them. */
export const FINISHED_STATES = [
  'Succeeded',
  'Failed',
  'Aborted',
  'RolledBack',
  'Superseded',
] as const satisfies readonly RolloutState[];

/** States engine passes run on (the pass queue's SQL takes this list as a parameter). */
export const MOVABLE_STATES = ROLLOUT_STATES.filter(
  (state) => state !== 'Paused' && !(FINISHED_STATES as readonly RolloutState[]).includes(state),
);

/** States an operator can still act on: movable ones, and Paused (it can be resumed). */
export const ACTIVE_STATES: readonly RolloutState[] = ROLLOUT_STATES.filter(
  (state) => !(FINISHED_STATES as readonly RolloutState[]).includes(state),
);

/** States in which `decide` does nothing. */
export const INERT_STATES: ReadonlySet<RolloutState> = new Set(
  ROLLOUT_STATES.filter((state) => !MOVABLE_STATES.includes(state)),
);

/** Finished rollouts whose commit was good once (the last one is where a rollback goes). */
export const GOOD_FINAL_STATES = ['Succeeded', 'RolledBack'] as const satisfies readonly RolloutState[];

export function isFinished(state: RolloutState): boolean {
  return (FINISHED_STATES as readonly RolloutState[]).includes(state);
}

/** Phase the agent reports for a bundle: the agent API contract's, not restated here. */
export const REPORTED_PHASES = BundlePhaseSchema.options;
export type ReportedPhase = BundlePhase;

/** Phase of an assignment as the rollout sees it (DESIGN, Domain). */
export const ASSIGNMENT_PHASES = [
  'Pending',
  'Assigned',
  'Applying',
  'Progressing',
  'Healthy',
  'Degraded',
  'Failed',
  'TimedOut',
  'Skipped',
] as const;
export type AssignmentPhase = (typeof ASSIGNMENT_PHASES)[number];

/** Phases that count against a wave's failure budget. */
export const FAILURE_PHASES: ReadonlySet<AssignmentPhase> = new Set(['Failed', 'Degraded', 'TimedOut']);

/** Assigned and not settled yet: these count against concurrency and run against the deadline. */
export const IN_FLIGHT_PHASES: ReadonlySet<AssignmentPhase> = new Set([
  'Assigned',
  'Applying',
  'Progressing',
]);

/** Phases a cluster does not leave without an operator (or a retry). */
export const TERMINAL_PHASES: ReadonlySet<AssignmentPhase> = new Set([
  'Healthy',
  'Skipped',
  ...FAILURE_PHASES,
]);

/** Cluster status as the hub's registry knows it (see DESIGN, Domain). */
export const CLUSTER_STATUSES = ['Pending', 'Ready', 'NotReady', 'Unknown', 'Offline'] as const;
export type ClusterStatus = (typeof CLUSTER_STATUSES)[number];

/** Statuses the offline policy applies to. */
export const OFFLINE_STATUSES: ReadonlySet<ClusterStatus> = new Set(['Offline', 'Unknown']);

/** What to do with a cluster that is Offline or Unknown while its wave runs. */
export const OFFLINE_POLICIES = ['wait', 'skip', 'fail'] as const;
export type OfflinePolicy = (typeof OFFLINE_POLICIES)[number];

/**
 * Reasons that are not a gate: where a cluster stands in the rollout's structure. Gate reasons come
 * from the registry (gates/index.ts).
 */
export type StructuralReason =
  | { kind: 'previousWave' }
  | { kind: 'cordoned' }
  | { kind: 'noBundle' }
  /** Set by the read side for a paused rollout (decide itself does nothing while paused). */
  | { kind: 'paused' };

export const STRUCTURAL_REASONS: { readonly [K in StructuralReason['kind']]: string } = {
  previousWave: 'waiting for the previous wave',
  cordoned: 'cluster is cordoned',
  noBundle: 'no bundle for this cluster',
  paused: 'paused by an operator',
};
