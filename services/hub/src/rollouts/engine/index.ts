export {
  applyDecision,
  ASSIGNMENT_PHASES,
  classify,
  decide,
  INERT_STATES,
  nextWake,
  targetDigest,
  type AssignmentPhase,
  type AssignmentRecord,
  type BlockingReason,
  type ClusterView,
  type Decision,
  type ReportedPhase,
  type RolloutSnapshot,
  type RolloutState,
  type WaveTimestamps,
  type WaveView,
} from './engine.js';
export {
  assignWaves,
  type ClusterStatus,
  type ExcludedCluster,
  type FleetCluster,
  type Membership,
  type WaveMembership,
} from './membership.js';
export {
  DEFAULT_WAVE_SETTINGS,
  defaultPlan,
  effectiveWaves,
  REST_WAVE,
  resolveCount,
  validatePlan,
  type CountOrPercent,
  type OfflinePolicy,
  type ValidatePlanResult,
  type Wave,
  type WavePlan,
  type WaveSettings,
} from './plan.js';
export {
  catchupNeeds,
  catchupPlan,
  catchupVerdict,
  type CatchupNeeds,
  type CatchupState,
  type CatchupWait,
  type InProgress,
} from './catchup.js';
export { placementsFor } from './placement.js';
export {
  withdrawalsNeeded,
  type LeavingCluster,
  type Withdrawal,
  type WithdrawalState,
  type WithdrawalsNeeded,
} from './withdrawal.js';
export {
  type AssignedBundle,
  reconfigureCandidates,
  reconfigureTargets,
  type ReconfigureState,
} from './reconfigure.js';
export { rollbackPlan, type ChangedCluster, type RollbackPlan } from './rollback.js';
export {
  ACTIVE_STATES,
  CLUSTER_STATUSES,
  FINISHED_STATES,
  FLEET_KINDS,
  GOOD_FINAL_STATES,
  JOIN_POLICIES,
  isFinished,
  WITHDRAWAL_REASONS,
  MOVABLE_STATES,
  REPORTED_PHASES,
  ROLLOUT_KINDS,
  ROLLOUT_STATES,
  type JoinPolicy,
  type RolloutKind,
  type WithdrawalReason,
} from './vocabulary.js';
export { BLOCKING_KINDS, blockingMessage, GATES, gatesAt, type BlockingKind } from './gates/index.js';
export {
  formatDuration,
  OPEN_FLEET,
  type FairShare,
  type FleetFreeze,
  type FleetState,
  type TimeWindow,
} from './gates/types.js';
export { freezeHolds } from './gates/freeze.js';
export {
  estimateEta,
  ETA_BASES,
  ETA_CONFIDENCES,
  type Eta,
  type EtaBasis,
  type EtaCluster,
  type EtaConfidence,
  type EtaInput,
  type EtaWave,
  type FleetSharing,
  type PaceWave,
  previousPace,
  type RolloutEta,
  wantsPreviousPace,
} from './eta.js';
export { type FleetLoad, fleetShares, type FleetShares } from './fleet-share.js';
export { type BudgetLoad, fairShareMap, fairShareOf, shareSlots } from './fair-share.js';
export {
  type Degradation,
  degradationOf,
  newDegradations,
  type WatchedCluster,
  watchingUntil,
} from './watch.js';
export { JOB_MANIFEST_MAX_BYTES, readJobManifest } from './verification/job-manifest.js';
