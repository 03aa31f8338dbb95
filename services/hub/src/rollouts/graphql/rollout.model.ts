import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ASSIGNMENT_PHASES,
  type AssignmentPhase,
  BLOCKING_KINDS,
  type BlockingKind,
  blockingMessage,
  type BlockingReason,
  type Eta,
  type EtaBasis,
  type EtaConfidence,
  ETA_BASES,
  ETA_CONFIDENCES,
  formatDuration,
  ROLLOUT_KINDS,
  ROLLOUT_STATES,
  type RolloutState,
  watchingUntil,
} from '../engine/index.js';
import { type RolloutKind, type RolloutRecord, type RolloutView } from '../rollouts.repository.js';
import { type ClusterDetail, type RolloutPreview, type WaveDetail } from '../rollouts.service.js';
import { encodeCursor } from '../../graphql/cursor.js';
import { enumOf } from '../../graphql/enum-of.js';
import { JsonScalar } from '../../graphql/json.scalar.js';
import {
  toVerificationRunModel,
  VerificationRunModel,
} from '../verification/graphql/verification-run.model.js';
import { forwardPageInfo, PageInfoModel } from '../../graphql/page-info.js';

export const RolloutStateEnum = enumOf<RolloutState>(ROLLOUT_STATES);
registerEnumType(RolloutStateEnum, {
  name: 'RolloutState',
  description:
    'Pending, Progressing, Soaking, AwaitingApproval and Paused can still move; the others are final.',
});

export const RolloutKindEnum = enumOf<RolloutKind>(ROLLOUT_KINDS);
registerEnumType(RolloutKindEnum, {
  name: 'RolloutKind',
  description:
    'rollout: a revision to the fleet; rollback: back to an earlier one; catchup: clusters that joined the ' +
    "placement brought to the application's settled revision (never rolled back, never the settled revision itself).",
});

export const AssignmentPhaseEnum = enumOf<AssignmentPhase>(ASSIGNMENT_PHASES);
registerEnumType(AssignmentPhaseEnum, {
  name: 'AssignmentPhase',
  description: "A member cluster's progress in a rollout (Failed, Degraded and TimedOut count as failures).",
});

export { blockingMessage, formatDuration, type BlockingKind };
export const BlockingKindEnum = enumOf<BlockingKind>(BLOCKING_KINDS);
registerEnumType(BlockingKindEnum, {
  name: 'BlockingKind',
  description: 'Why a rollout, wave or cluster is not moving on right now.',
});

@ObjectType('BlockingReason', {
  description: 'What a rollout, wave or cluster waits for; the fields that apply to its kind are set.',
})
export class BlockingReasonModel {
  @Field(() => BlockingKindEnum) kind!: BlockingKind;
  @Field(() => String, { description: 'For people, e.g. "soak: 4m12s left", "2/20 failed, budget 1".' })
  message!: string;
  @Field(() => Int, { nullable: true, description: 'soak: seconds until the soak ends.' })
  secondsLeft!: number | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'soak: when it ends; freeze: when it lifts by itself (null: when an admin unfreezes).',
  })
  until!: Date | null;
  @Field(() => Int, {
    nullable: true,
    description: 'budget, failureCorrelation: failed clusters in the wave.',
  })
  failed!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'budget: failures allowed; concurrency: clusters allowed in flight; fleetBudget: clusters allowed to change at once fleet-wide; clusterBudget: applications allowed to change at once on the cluster.',
  })
  limit!: number | null;
  @Field(() => Int, { nullable: true, description: 'budget: clusters in the wave.' }) size!: number | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'offline: last heartbeat (null when never seen); maintenance: when the cluster entered maintenance; freeze: when the fleet was frozen.',
  })
  since!: Date | null;
  @Field(() => String, {
    nullable: true,
    description:
      "maintenance: the cluster's reason (its fleetwave.io/maintenance annotation); freeze: the admin's reason.",
  })
  reason!: string | null;
  @Field(() => String, { nullable: true, description: 'freeze: the admin who froze the fleet.' })
  by!: string | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'window: when the time windows next let a change start (null: not within a year).',
  })
  opensAt!: Date | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'fleetBudget: clusters changing fleet-wide (assigned, not settled) across all rollouts; clusterBudget: applications changing on the cluster.',
  })
  changing!: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "fleetBudget: the rollout's fair share of the fleet budget (split evenly among the rollouts waiting for it), when that holds it.",
  })
  share!: number | null;
  @Field(() => Int, {
    nullable: true,
    description: 'fleetBudget (with share): clusters the rollout holds in flight.',
  })
  held!: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'failureCorrelation: the label key the failed clusters share a value of.',
  })
  label!: string | null;
  @Field(() => String, { nullable: true, description: 'failureCorrelation: the shared label value.' })
  value!: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'failureCorrelation: failed clusters with that label value.',
  })
  matching!: number | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'deadline: when the cluster times out.' })
  at!: Date | null;
  @Field(() => Int, { nullable: true, description: 'concurrency: clusters in flight.' })
  inFlight!: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'verification: pending (not started yet) or running.',
  })
  status!: string | null;
  @Field(() => [String], { nullable: true, description: 'verification: the checks not settled yet.' })
  running!: string[] | null;
  @Field(() => String, {
    nullable: true,
    description: 'verificationFailed, budget: the check that failed (budget: the first counted).',
  })
  check!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'verificationFailed: wave or updated-vs-baseline; budget: the cluster that check failed for.',
  })
  target!: string | null;
}

export const EtaBasisEnum = enumOf<EtaBasis>(ETA_BASES);
registerEnumType(EtaBasisEnum, {
  name: 'EtaBasis',
  description:
    'finished: `at` is when it ended; observed: from its own pace (before 3 settled and without history: the median apply→healthy time of its healthy clusters); previous: fewer than 3 settled, from the application’s earlier rollouts’ pace; awaitingApproval: an approval lies ahead; unknown: paused, frozen, or nothing to go by yet.',
});

export const EtaConfidenceEnum = enumOf<EtaConfidence>(ETA_CONFIDENCES);
registerEnumType(EtaConfidenceEnum, {
  name: 'EtaConfidence',
  description: 'high: 10 or more observed cluster durations; medium: 3 to 9; low: fewer.',
});

@ObjectType('Eta', {
  description:
    'Estimated completion from the observed per-cluster durations, concurrency and fleet budget, soaks, approvals and time windows.',
})
export class EtaModel {
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'null: cannot be estimated (see basis).' })
  at!: Date | null;
  @Field(() => EtaBasisEnum) basis!: EtaBasis;
  @Field(() => EtaConfidenceEnum) confidence!: EtaConfidence;
  @Field(() => Int, {
    nullable: true,
    description: 'The apply→healthy seconds per cluster the estimate assumes.',
  })
  clusterSeconds!: number | null;
}

export function toEtaModel(eta: Eta): EtaModel {
  return {
    at: eta.at,
    basis: eta.basis,
    confidence: eta.confidence,
    clusterSeconds: eta.clusterSeconds === null ? null : Math.round(eta.clusterSeconds),
  };
}

@ObjectType('WavePhaseCounts', { description: "Number of the wave's clusters in each phase." })
export class WavePhaseCountsModel {
  @Field(() => Int) pending!: number;
  @Field(() => Int) assigned!: number;
  @Field(() => Int) applying!: number;
  @Field(() => Int) progressing!: number;
  @Field(() => Int) healthy!: number;
  @Field(() => Int) degraded!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) timedOut!: number;
  @Field(() => Int) skipped!: number;
}

@ObjectType('RolloutWave', { description: "One wave of a rollout, with the engine's view of it now." })
export class RolloutWaveModel {
  @Field(() => Int) index!: number;
  @Field(() => String) name!: string;
  @Field(() => String) selector!: string;
  @Field(() => Int, { description: 'Member clusters.' }) size!: number;
  @Field(() => WavePhaseCountsModel) counts!: WavePhaseCountsModel;
  @Field(() => Int, {
    description:
      'Failed, Degraded or TimedOut clusters, and clusters a per-cluster verification check failed for good on (as the failure budget counts them).',
  })
  failed!: number;
  @Field(() => Int, { description: 'Failures the wave may have without failing the rollout.' })
  failureLimit!: number;
  @Field(() => Int, { description: 'Clusters in flight at once.' }) concurrencyLimit!: number;
  @Field(() => Int) soakSeconds!: number;
  @Field(() => Boolean) requireApproval!: boolean;
  @Field(() => Int) progressDeadlineSeconds!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When every member was done.' })
  healthyAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) approvedAt!: Date | null;
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field(() => BlockingReasonModel, { nullable: true }) blocking!: BlockingReasonModel | null;
  // eta: resolved by RolloutWaveResolver (it may read the application's earlier rollouts).
  @Field(() => [VerificationRunModel], {
    description: "Attempts of the wave's verification checks, oldest first.",
  })
  verificationRuns!: VerificationRunModel[];
  /** Not in the schema: the rollout the wave belongs to, for its resolved fields. */
  rolloutId!: string;
}

@ObjectType('FailingObject', { description: 'A Kubernetes object the agent reports as not healthy.' })
export class FailingObjectModel {
  @Field(() => String, { description: 'namespace_name_group_kind' }) id!: string;
  @Field(() => String) reason!: string;
  @Field(() => String) message!: string;
}

@ObjectType('RolloutCluster', { description: 'One member cluster of a rollout.' })
export class RolloutClusterModel {
  @Field(() => ID) clusterId!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The wave it belongs to.' }) wave!: string;
  @Field(() => AssignmentPhaseEnum) phase!: AssignmentPhase;
  @Field(() => String, { nullable: true, description: 'The bundle this rollout moves it to.' })
  targetDigest!: string | null;
  @Field(() => String, { nullable: true }) targetCommit!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) assignedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The bundle its agent last reported about.' })
  reportedDigest!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) reportedAt!: Date | null;
  @Field(() => [FailingObjectModel], { description: 'From the latest report about the target bundle.' })
  failing!: FailingObjectModel[];
  @Field(() => BlockingReasonModel, { nullable: true }) blocking!: BlockingReasonModel | null;
}

@ObjectType('WatchDegradation', {
  description: 'A member cluster that degraded while a Succeeded rollout was watched (plan watchSeconds).',
})
export class WatchDegradationModel {
  @Field(() => ID) clusterId!: string;
  @Field(() => String, { description: 'The cluster name.' }) cluster!: string;
  @Field(() => String, { description: 'e.g. "phase Degraded", "not ready (1/2)".' }) reason!: string;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@ObjectType('Rollout', {
  description:
    'A revision of an application moving through the fleet wave by wave (or a rollback). waves, clusters and blocking are computed when read.',
})
export class RolloutModel {
  @Field(() => ID) id!: string;
  /** Not a field: what the application and revision fields load by. */
  applicationId!: string;
  @Field(() => String) applicationName!: string;
  @Field(() => String, { description: 'The commit rolled out (for a rollback: the commit returned to).' })
  commit!: string;
  @Field(() => RolloutKindEnum) kind!: RolloutKind;
  @Field(() => ID, { nullable: true, description: 'For a rollback: the rollout it undoes.' })
  rollbackOf!: string | null;
  @Field(() => ID, { nullable: true, description: 'The rollback that undoes this rollout, if any.' })
  rolledBackBy!: string | null;
  @Field(() => RolloutStateEnum) state!: RolloutState;
  @Field(() => Boolean) paused!: boolean;
  @Field(() => Int, { description: 'Index of the wave in progress (see waves).' }) currentWave!: number;
  @Field(() => JsonScalar, { description: 'The wave plan as it was when the rollout started.' })
  plan!: unknown;
  @Field(() => String, { description: 'Who started it (audit name; "git" for the auto sync policy).' })
  createdBy!: string;
  @Field(() => String, { nullable: true, description: 'Why it failed, was aborted or superseded.' })
  message!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The admin who let it past the fleet freeze (overrideFreeze); null: held like any other.',
  })
  freezeOverriddenBy!: string | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'Succeeded and watched (plan watchSeconds): until when a degrading cluster is notified (and, with rollbackOnWatchFailure, rolls it back).',
  })
  watchingUntil!: Date | null;
  @Field(() => [WatchDegradationModel], {
    description: 'Clusters that degraded while it was watched after success, oldest first.',
  })
  degradedAfterSuccess!: WatchDegradationModel[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
}

@ObjectType('RolloutEdge')
export class RolloutEdgeModel {
  @Field(() => String) cursor!: string;
  @Field(() => RolloutModel) node!: RolloutModel;
}

@ObjectType('RolloutConnection', { description: 'Rollouts, newest first, Relay-style.' })
export class RolloutConnectionModel {
  @Field(() => [RolloutEdgeModel]) edges!: RolloutEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
  @Field(() => Int, { description: 'Rollouts matching the filter, across all pages.' }) totalCount!: number;
}

@ObjectType('PreviewCluster')
export class PreviewClusterModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'Its bundle; null when it does not render.' })
  digest!: string | null;
}

@ObjectType('PreviewWave')
export class PreviewWaveModel {
  @Field(() => Int) index!: number;
  @Field(() => String) name!: string;
  @Field(() => String) selector!: string;
  @Field(() => [PreviewClusterModel], { description: 'In the order they would be assigned.' })
  clusters!: PreviewClusterModel[];
}

@ObjectType('ExcludedCluster', { description: 'A targeted cluster a rollout would leave out.' })
export class ExcludedClusterModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The wave it would have joined.' }) wave!: string;
  @Field(() => String, { description: 'e.g. cordoned' }) reason!: string;
}

@ObjectType('PreviewBundle', { description: 'One distinct bundle a rollout would assign.' })
export class PreviewBundleModel {
  @Field(() => String) digest!: string;
  @Field(() => Int, { description: 'Clusters that would get it.' }) clusters!: number;
  @Field(() => Int, { description: 'Kubernetes objects in it.' }) objects!: number;
}

@ObjectType('ObjectChange', {
  description: "One object's change from a cluster's current bundle to its new one.",
})
export class ObjectChangeModel {
  @Field(() => String, { description: '`Kind namespace/name` (no namespace: cluster-scoped).' })
  object!: string;
  @Field(() => String, { description: 'added, removed or changed.' }) change!: string;
  @Field(() => String, { description: "A unified diff of the object's YAML, as kubectl diff prints it." })
  diff!: string;
}

@ObjectType('PreviewDiffGroup', {
  description: 'Clusters whose move to the new revision changes exactly the same objects.',
})
export class PreviewDiffGroupModel {
  @Field(() => [String], { description: 'Cluster names, in order.' }) clusters!: string[];
  @Field(() => [ObjectChangeModel], { description: 'Empty: their bundle does not change.' })
  changes!: ObjectChangeModel[];
}

@ObjectType('RenderedBundle', {
  description: 'What one cluster would get from an application at one commit.',
})
export class RenderedBundleModel {
  @Field(() => String, { description: 'The commit rendered.' }) commit!: string;
  @Field(() => String, { nullable: true, description: 'null when it does not render.' }) digest!:
    string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The multi-document YAML stream the agent would apply.',
  })
  manifests!: string | null;
  @Field(() => String, { nullable: true, description: 'Why it does not render for this cluster.' })
  error!: string | null;
}

@ObjectType('RolloutPreview', { description: 'What startRollout would do now; nothing is written.' })
export class RolloutPreviewModel {
  @Field(() => String) application!: string;
  @Field(() => String, { nullable: true, description: 'null when nothing has been fetched yet.' })
  commit!: string | null;
  @Field(() => JsonScalar, { description: 'The plan, defaults filled in.' }) plan!: unknown;
  @Field(() => [PreviewWaveModel], { description: 'Every wave in order, the implicit rest last.' })
  waves!: PreviewWaveModel[];
  @Field(() => [ExcludedClusterModel]) excluded!: ExcludedClusterModel[];
  @Field(() => [String], { description: 'One line per cluster the revision does not render for.' })
  renderErrors!: string[];
  @Field(() => [PreviewBundleModel], { description: 'Each distinct bundle, most clusters first.' })
  bundles!: PreviewBundleModel[];
  @Field(() => [PreviewDiffGroupModel], {
    description:
      'The pre-flight diff: what changes on each cluster from the bundle it runs now to its new one, object by object, identical diffs grouped (largest group first).',
  })
  diff!: PreviewDiffGroupModel[];
}

export function toRolloutModel(rollout: RolloutRecord): RolloutModel {
  return {
    id: rollout.id,
    applicationId: rollout.applicationId,
    applicationName: rollout.applicationName,
    commit: rollout.commit,
    kind: rollout.kind,
    rollbackOf: rollout.rollbackOf,
    rolledBackBy: rollout.rolledBackBy,
    state: rollout.state,
    paused: rollout.paused,
    currentWave: rollout.currentWave,
    plan: rollout.plan,
    createdBy: rollout.createdBy,
    message: rollout.message,
    freezeOverriddenBy: rollout.freezeOverriddenBy,
    watchingUntil: watchingUntil(rollout, rollout.plan.watchSeconds),
    degradedAfterSuccess: rollout.watchDegraded,
    createdAt: rollout.createdAt,
    updatedAt: rollout.updatedAt,
    finishedAt: rollout.finishedAt,
  };
}

export function toRolloutConnection(page: {
  rollouts: readonly RolloutView[];
  hasNextPage: boolean;
  totalCount: number;
}): RolloutConnectionModel {
  const edges = page.rollouts.map(({ rollout }) => ({
    cursor: encodeCursor(rollout.id),
    node: toRolloutModel(rollout),
  }));
  return {
    edges,
    pageInfo: forwardPageInfo(edges, page.hasNextPage),
    totalCount: page.totalCount,
  };
}

export function toWaveModel(wave: WaveDetail, rolloutId: string): RolloutWaveModel {
  const c = wave.counts;
  return {
    ...wave,
    rolloutId,
    counts: {
      pending: c.Pending,
      assigned: c.Assigned,
      applying: c.Applying,
      progressing: c.Progressing,
      healthy: c.Healthy,
      degraded: c.Degraded,
      failed: c.Failed,
      timedOut: c.TimedOut,
      skipped: c.Skipped,
    },
    blocking: toBlockingModel(wave.blocking),
    verificationRuns: wave.verificationRuns.map(toVerificationRunModel),
  };
}

export function toRolloutClusterModel(cluster: ClusterDetail): RolloutClusterModel {
  return {
    clusterId: cluster.clusterId,
    name: cluster.name,
    wave: cluster.wave,
    phase: cluster.phase,
    targetDigest: cluster.targetDigest,
    targetCommit: cluster.targetCommit,
    assignedAt: cluster.assignedAt,
    reportedDigest: cluster.reportedDigest,
    reportedAt: cluster.reportedAt,
    failing: cluster.failing.map((f) => ({ id: f.id, reason: f.reason, message: f.message })),
    blocking: toBlockingModel(cluster.blocking),
  };
}

export function toPreviewModel(preview: RolloutPreview): RolloutPreviewModel {
  return {
    application: preview.application,
    commit: preview.commit,
    plan: preview.plan,
    waves: preview.waves.map((w) => ({
      index: w.index,
      name: w.name,
      selector: w.selector,
      clusters: w.clusters.map((c) => ({ id: c.id, name: c.name, digest: c.digest })),
    })),
    excluded: preview.excluded.map((e) => ({ id: e.id, name: e.name, wave: e.wave, reason: e.reason })),
    renderErrors: preview.renderErrors,
    bundles: preview.bundles,
    diff: preview.diff ?? [],
  };
}

export function toBlockingModel(reason: BlockingReason | null | undefined): BlockingReasonModel | null {
  if (reason === null || reason === undefined) return null;
  // A reason carries only the fields of its kind; whichever of the model's fields it has are shown.
  const fields = reason as Partial<Record<keyof BlockingReasonModel, unknown>>;
  const field = <T>(key: keyof BlockingReasonModel): T | null => (fields[key] as T | undefined) ?? null;
  return {
    kind: reason.kind,
    message: blockingMessage(reason),
    secondsLeft: field('secondsLeft'),
    until: field('until'),
    failed: field('failed'),
    limit: field('limit'),
    size: field('size'),
    since: field('since'),
    reason: field('reason'),
    at: field('at'),
    inFlight: field('inFlight'),
    by: field('by'),
    opensAt: field('opensAt'),
    changing: field('changing'),
    share: field('share'),
    held: field('held'),
    label: field('label'),
    value: field('value'),
    matching: field('matching'),
    status: field('status'),
    running: field('running'),
    check: field('check'),
    target: field('target'),
  };
}
