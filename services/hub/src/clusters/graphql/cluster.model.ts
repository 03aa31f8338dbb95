import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { encodeCursor } from '../../graphql/cursor.js';
import { LabelsScalar } from '../../graphql/labels.scalar.js';
import { forwardPageInfo, PageInfoModel } from '../../graphql/page-info.js';
import { type DeletionPolicy } from '@fleetwave/contracts';
import {
  type ClusterEntity,
  type ClusterStatus,
  deregistrationOf,
  maintenanceFrom,
} from '../cluster.entity.js';
import { DeletionPolicyEnum } from './deletion-policy.enum.js';
import { type ClusterSnapshot } from '../clusters.service.js';
import { type ClusterView } from '../page-sql.js';
import { type CredentialState } from '../cluster-credential.js';

export const ClusterStatusEnum: { [S in ClusterStatus]: S } = {
  Pending: 'Pending',
  Ready: 'Ready',
  NotReady: 'NotReady',
  Unknown: 'Unknown',
  Offline: 'Offline',
};
registerEnumType(ClusterStatusEnum, {
  name: 'ClusterStatus',
  description:
    'Pending until the first heartbeat; Unknown after missed heartbeats; Offline after long silence.',
});

export const CredentialStateEnum: { [S in CredentialState]: S } = {
  Active: 'Active',
  Expired: 'Expired',
  Revoked: 'Revoked',
};
registerEnumType(CredentialStateEnum, {
  name: 'CredentialState',
  description:
    "A cluster credential's standing: Revoked (by an admin) or Expired: its agent's polls and reports are refused until it registers again.",
});

@ObjectType('ClusterCredential', {
  description: "The cluster's credential and report-signing key (never the secrets themselves).",
})
export class ClusterCredentialModel {
  /** `state` is resolved by the hub clock (ClusterCredentialResolver). */
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When it stops working (agents rotate before); null for credentials issued before they expired.',
  })
  expiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
  /** Not a field: what `state` is judged from. */
  previousValidUntil!: Date | null;
}

@ObjectType('ClusterFacts', { description: 'What the agent reports about its cluster.' })
export class ClusterFactsModel {
  @Field(() => String, { nullable: true }) kubernetesVersion!: string | null;
  @Field(() => Int, { nullable: true }) nodeCount!: number | null;
  @Field(() => String, { nullable: true }) provider!: string | null;
  @Field(() => String, { nullable: true }) region!: string | null;
}

@ObjectType('ClusterMaintenance', {
  description:
    'The cluster is in maintenance (its fleetwave.io/maintenance annotation, as its agent reports it): no rollout assigns it a new change until it ends.',
})
export class ClusterMaintenanceModel {
  @Field(() => String) reason!: string;
  @Field(() => GraphQLISODateTime, { description: 'When its agent first saw the maintenance.' })
  since!: Date;
}

@ObjectType('ClusterDeregistration', {
  description:
    'The cluster is Deregistering: it left every placement and is deleted once its agent confirmed every withdrawal (see withdrawals).',
})
export class ClusterDeregistrationModel {
  @Field(() => DeletionPolicyEnum) policy!: DeletionPolicy;
  @Field(() => GraphQLISODateTime) requestedAt!: Date;
  @Field(() => String) requestedBy!: string;
}

@ObjectType('Cluster', { description: 'A registered Kubernetes cluster.' })
export class ClusterModel {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'DNS-1123 name, unique in the fleet.' }) name!: string;
  @Field(() => LabelsScalar, {
    description:
      'Set by operators, plus read-only fact labels under fleetwave.io/ (provider, region, kubernetes-version, node-count) from what the agent reports; every selector matches on them all.',
  })
  labels!: Record<string, string>;
  @Field(() => ClusterFactsModel) facts!: ClusterFactsModel;
  @Field(() => ClusterStatusEnum) status!: ClusterStatus;
  @Field(() => Boolean, { description: 'A cordoned cluster is left out of new rollout waves.' })
  cordoned!: boolean;
  @Field(() => ClusterMaintenanceModel, {
    nullable: true,
    description: 'Null when not in maintenance (as of its newest report).',
  })
  maintenance!: ClusterMaintenanceModel | null;
  @Field(() => ClusterDeregistrationModel, {
    nullable: true,
    description: 'Null unless the cluster is Deregistering.',
  })
  deregistration!: ClusterDeregistrationModel | null;
  @Field(() => String, { nullable: true }) agentVersion!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastHeartbeatAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => ClusterCredentialModel, {
    nullable: true,
    description: 'Null only for a cluster that was deregistered.',
  })
  credential!: ClusterCredentialModel | null;
}

@ObjectType('ClusterEdge')
export class ClusterEdgeModel {
  @Field(() => String) cursor!: string;
  @Field(() => ClusterModel) node!: ClusterModel;
}

@ObjectType('ClusterConnection', { description: 'Clusters in name order, Relay-style.' })
export class ClusterConnectionModel {
  @Field(() => [ClusterEdgeModel]) edges!: ClusterEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
  @Field(() => Int, { description: 'Clusters matching the filter, across all pages.' }) totalCount!: number;
}

@ObjectType('ClusterChange', { description: 'A change to one cluster, as clusterChanged delivers it.' })
export class ClusterChangeModel {
  @Field(() => String, { description: 'e.g. cluster.labelsChanged, cluster.cordoned, cluster.deregistered' })
  action!: string;
  @Field(() => String, { description: 'Who made the change (audit name).' }) actor!: string;
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => ClusterModel, {
    description: 'The cluster after the change; for cluster.deregistered, its last state before deletion.',
  })
  cluster!: ClusterModel;
}

export function toClusterModel(cluster: ClusterView): ClusterModel {
  return {
    id: cluster.id,
    name: cluster.name,
    labels: cluster.labels,
    facts: toFacts(cluster.facts),
    status: cluster.status,
    cordoned: cluster.cordoned,
    maintenance: maintenanceFrom(cluster.maintenanceReason, cluster.maintenanceSince),
    deregistration: deregistrationOf(cluster),
    agentVersion: cluster.agentVersion,
    lastHeartbeatAt: cluster.lastHeartbeatAt,
    createdAt: cluster.createdAt,
    credential: {
      expiresAt: cluster.credentialExpiresAt,
      revokedAt: cluster.credentialRevokedAt,
      previousValidUntil: cluster.previousValidUntil,
    },
  };
}

export function snapshotToClusterModel(snapshot: ClusterSnapshot): ClusterModel {
  return {
    ...snapshot,
    facts: toFacts(snapshot.facts),
    // Snapshots recorded before maintenance was tracked have none.
    maintenance:
      snapshot.maintenance == null
        ? null
        : { reason: snapshot.maintenance.reason, since: new Date(snapshot.maintenance.since) },
    // A snapshot is a deregistered cluster's last state: it had left.
    deregistration: null,
    lastHeartbeatAt: snapshot.lastHeartbeatAt === null ? null : new Date(snapshot.lastHeartbeatAt),
    createdAt: new Date(snapshot.createdAt),
    credential: null,
  };
}

function toFacts(facts: ClusterEntity['facts'] | null | undefined): ClusterFactsModel {
  return {
    kubernetesVersion: facts?.kubernetesVersion ?? null,
    nodeCount: facts?.nodeCount ?? null,
    provider: facts?.provider ?? null,
    region: facts?.region ?? null,
  };
}

export function toClusterConnection(page: {
  clusters: ClusterView[];
  hasNextPage: boolean;
  totalCount: number;
}): ClusterConnectionModel {
  const edges = page.clusters.map((cluster) => ({
    cursor: encodeCursor(cluster.name),
    node: toClusterModel(cluster),
  }));
  return {
    edges,
    pageInfo: forwardPageInfo(edges, page.hasNextPage),
    totalCount: page.totalCount,
  };
}
