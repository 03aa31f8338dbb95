import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ClusterMaintenanceModel } from '../../clusters/graphql/cluster.model.js';
import { encodeCursor } from '../../graphql/cursor.js';
import { enumOf } from '../../graphql/enum-of.js';
import { forwardPageInfo, PageInfoModel } from '../../graphql/page-info.js';
import { FailingObjectModel } from '../../rollouts/graphql/rollout.model.js';
import {
  PLACEMENT_PHASES,
  type PlacementPhase,
  type PlacementWaitKind,
  SYNC_STATES,
  type SyncState,
} from '../placement-status.js';
import { type ApplicationSync, type Placement, type PlacementPage } from '../placements.service.js';

/** How many failing objects a placement shows (the agent reports up to 50). */
export const FAILING_SHOWN = 5;

export const PlacementPhaseEnum = enumOf<PlacementPhase>(PLACEMENT_PHASES);
registerEnumType(PlacementPhaseEnum, {
  name: 'PlacementPhase',
  description:
    "What the cluster's agent reports for the application (Pending … Stalled), Missing when it reports nothing for it, Removing while the hub withdraws it.",
});

const WAIT_KINDS: readonly PlacementWaitKind[] = [
  'maintenance',
  'inRollout',
  'queued',
  'rolloutInProgress',
  'offline',
  'notConnected',
  'triedBefore',
];
export const PlacementWaitKindEnum = enumOf<PlacementWaitKind>(WAIT_KINDS);
registerEnumType(PlacementWaitKindEnum, {
  name: 'PlacementWaitKind',
  description: 'Why a placement behind its desired revision is not moving to it now.',
});

export const SyncStateEnum = enumOf<SyncState>(SYNC_STATES);
registerEnumType(SyncStateEnum, {
  name: 'SyncState',
  description:
    'Progressing: a rollout, rollback or catch-up runs; HeldBack: the head commit is vetoed and the fleet is held at an older one; OutOfSync: clusters are behind with nothing moving them, or the head is not rolled out; InSync: otherwise.',
});

@ObjectType('PlacementWait')
export class PlacementWaitModel {
  @Field(() => PlacementWaitKindEnum) kind!: PlacementWaitKind;
  @Field(() => String) message!: string;
}

@ObjectType('PlacementCluster')
export class PlacementClusterModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

@ObjectType('Placement', {
  description:
    'One (cluster, application) pair: the cluster is in the application placement, is assigned it, or is being withdrawn from it (Removing).',
})
export class PlacementModel {
  @Field(() => PlacementClusterModel) cluster!: PlacementClusterModel;
  @Field(() => String) application!: string;
  @Field(() => Boolean, {
    description: "In the application's placement (target selector, not cordoned); false: only assigned it.",
  })
  placed!: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      'What the hub wants it to run: the target of a rollout it is in, else the settled revision (placed), else its assignment.',
  })
  desiredCommit!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'null while the desired revision is not rendered for it yet.',
  })
  desiredDigest!: string | null;
  @Field(() => String, { nullable: true }) reportedCommit!: string | null;
  @Field(() => String, { nullable: true }) reportedDigest!: string | null;
  @Field(() => PlacementPhaseEnum) phase!: PlacementPhase;
  @Field(() => Boolean, { description: 'It does not report its desired revision.' }) behind!: boolean;
  @Field(() => Int, { nullable: true }) ready!: number | null;
  @Field(() => Int, { nullable: true }) total!: number | null;
  @Field(() => [FailingObjectModel], { description: `The first ${FAILING_SHOWN} failing objects.` })
  failing!: FailingObjectModel[];
  @Field(() => Int, { description: 'How many objects are failing in all.' }) failingCount!: number;
  @Field(() => Int, { description: 'Drift corrections the hub counted for the pair, in all.' })
  driftCorrections!: number;
  @Field(() => Int, { description: 'Drift corrections in the last 60 minutes (minute granularity).' })
  driftCorrectionsLastHour!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastDriftAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the hub assigned its current revision.',
  })
  assignedAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the agent last reconciled (applied) the bundle it reports.',
  })
  lastAppliedAt!: Date | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the hub last heard from the cluster.',
  })
  lastReportAt!: Date | null;
  @Field(() => ClusterMaintenanceModel, { nullable: true }) maintenance!: ClusterMaintenanceModel | null;
  @Field(() => PlacementWaitModel, { nullable: true, description: 'Why it waits, while behind.' })
  waiting!: PlacementWaitModel | null;
}

@ObjectType('PlacementEdge')
export class PlacementEdgeModel {
  @Field(() => String) cursor!: string;
  @Field(() => PlacementModel) node!: PlacementModel;
}

@ObjectType('PlacementConnection', {
  description: 'Placements in (application name, cluster name) order, Relay-style.',
})
export class PlacementConnectionModel {
  @Field(() => [PlacementEdgeModel]) edges!: PlacementEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
}

@InputType('PlacementFilter')
export class PlacementFilterInput {
  @Field(() => String, { nullable: true, description: 'An application name.' }) application?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'A label selector over the clusters (kubectl syntax).',
  })
  clusterSelector?: string | null;
  @Field(() => [PlacementPhaseEnum], { nullable: true, description: 'Only these phases.' })
  phase?: PlacementPhase[] | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only pairs with drift corrections in the last hour; false: only those without.',
  })
  drifted?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true: only pairs behind their desired revision.' })
  behind?: boolean | null;
}

@ObjectType('ApplicationSync', { description: "The application's fleet at a glance." })
export class ApplicationSyncModel {
  @Field(() => SyncStateEnum) state!: SyncState;
  @Field(() => String, {
    nullable: true,
    description: 'The commit the fleet is moving to (a running rollout) or settled at.',
  })
  desiredCommit!: string | null;
  @Field(() => Int, { description: 'Clusters in its placement.' }) clusters!: number;
  @Field(() => Int) clustersAtDesired!: number;
  @Field(() => Int, { description: 'Placed clusters not reporting their desired revision.' }) behind!: number;
  @Field(() => Int, { description: 'Pairs with drift corrections in the last hour.' }) drifted!: number;
  @Field(() => Int, { description: 'Pairs in phase Degraded, Failed or Stalled.' }) failing!: number;
}

/** Cursor of a pair: its application and cluster names (neither holds a slash). */
export function placementCursor(p: { application: string; clusterName: string }): string {
  return encodeCursor(`${p.application}/${p.clusterName}`);
}

export function toPlacementModel(p: Placement): PlacementModel {
  return {
    cluster: { id: p.clusterId, name: p.clusterName },
    application: p.application,
    placed: p.placed,
    desiredCommit: p.desiredCommit,
    desiredDigest: p.desiredDigest,
    reportedCommit: p.reportedCommit,
    reportedDigest: p.reportedDigest,
    phase: p.phase,
    behind: p.behind,
    ready: p.ready,
    total: p.total,
    failing: p.failing.slice(0, FAILING_SHOWN),
    failingCount: p.failing.length,
    driftCorrections: p.driftCorrections,
    driftCorrectionsLastHour: p.driftCorrectionsLastHour,
    lastDriftAt: p.lastDriftAt,
    assignedAt: p.assignedAt,
    lastAppliedAt: p.lastAppliedAt,
    lastReportAt: p.lastReportAt,
    maintenance: p.maintenance,
    waiting: p.waiting,
  };
}

export function toPlacementConnection(page: PlacementPage): PlacementConnectionModel {
  const edges = page.placements.map((p) => ({ cursor: placementCursor(p), node: toPlacementModel(p) }));
  return { edges, pageInfo: forwardPageInfo(edges, page.hasMore) };
}

export function toApplicationSyncModel(sync: ApplicationSync): ApplicationSyncModel {
  return { ...sync };
}
