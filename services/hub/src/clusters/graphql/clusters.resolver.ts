import { Inject } from '@nestjs/common';
import { Args, Context, Info, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { type GraphQLResolveInfo } from 'graphql';
import { matchesSelector } from '@fleetwave/labels';
import { type Logger } from 'pino';
import { requireRole } from '../../common/roles.js';
import { type Actor } from '../../common/actor.js';
import { notFound } from '../../common/domain-error.js';
import { LOGGER } from '../../logging/logging.module.js';
import { CLUSTER_CHANGED_TOPIC } from './cluster-changes.feed.js';
import { decodeCursor } from '../../graphql/cursor.js';
import { filterAsyncIterator } from '../../graphql/filter-iterator.js';
import { maySelectField } from '../../graphql/selected-fields.js';
import { CurrentActor, type GraphqlContext } from '../../graphql/graphql-context.js';
import { codedGraphQLError } from '../../graphql/graphql-errors.js';
import { LabelsScalar } from '../../graphql/labels.scalar.js';
import {
  ClusterChangeModel,
  ClusterConnectionModel,
  ClusterModel,
  ClusterStatusEnum,
  toClusterConnection,
  toClusterModel,
} from './cluster.model.js';
import { type DeletionPolicy } from '@fleetwave/contracts';
import { type ClusterStatus } from '../cluster.entity.js';
import { DeletionPolicyEnum } from './deletion-policy.enum.js';
import { ClustersService, DEFAULT_PAGE_SIZE, parseSelectorArgument } from '../clusters.service.js';

const nameArg = { type: () => String, description: 'The cluster name.' } as const;

/** Thin: arguments → ClustersService → GraphQL models. Roles are checked by @CurrentActor. */
@Resolver(() => ClusterModel)
export class ClustersResolver {
  constructor(
    @Inject(ClustersService) private readonly service: ClustersService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Query(() => ClusterConnectionModel, {
    description: 'Clusters in name order, filtered by label selector and status.',
  })
  async clusters(
    @CurrentActor('viewer') _actor: Actor,
    @Args('selector', {
      type: () => String,
      nullable: true,
      description:
        'kubectl label-selector syntax, e.g. "env=prod,region in (eu-west-1,eu-central-1),!canary".',
    })
    selector: string | null,
    @Args('status', { type: () => ClusterStatusEnum, nullable: true }) status: ClusterStatus | null,
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: 'At most 500.',
    })
    first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'A cursor from a previous page.' })
    after: string | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ClusterConnectionModel> {
    const page = await this.service.list({
      selector: selector ?? undefined,
      status: status ?? undefined,
      first: first ?? undefined,
      afterName: after ? decodeCursor(after) : undefined,
      // Counting reads every matching cluster: only for a query that may show the total.
      count: maySelectField(info.fieldNodes, 'totalCount'),
    });
    return toClusterConnection(page);
  }

  @Query(() => ClusterModel, { nullable: true, description: 'One cluster by name; null when there is none.' })
  async cluster(
    @CurrentActor('viewer') _actor: Actor,
    @Args('name', nameArg) name: string,
  ): Promise<ClusterModel | null> {
    const cluster = await this.service.findByName(name);
    return cluster ? toClusterModel(cluster) : null;
  }

  @Mutation(() => ClusterModel, { description: 'Adds or overwrites the given labels; other labels stay.' })
  async setClusterLabels(
    @CurrentActor('operator') actor: Actor,
    @Args('name', nameArg) name: string,
    @Args('labels', { type: () => LabelsScalar }) labels: Record<string, string>,
  ): Promise<ClusterModel> {
    return toClusterModel(await this.service.setLabels(actor, name, labels));
  }

  @Mutation(() => ClusterModel, { description: 'Removes the given label keys; absent keys are ignored.' })
  async removeClusterLabels(
    @CurrentActor('operator') actor: Actor,
    @Args('name', nameArg) name: string,
    @Args('keys', { type: () => [String] }) keys: string[],
  ): Promise<ClusterModel> {
    return toClusterModel(await this.service.removeLabels(actor, name, keys));
  }

  @Mutation(() => ClusterModel, { description: 'Leaves the cluster out of new rollout waves.' })
  async cordonCluster(
    @CurrentActor('operator') actor: Actor,
    @Args('name', nameArg) name: string,
  ): Promise<ClusterModel> {
    return toClusterModel(await this.service.setCordoned(actor, name, true));
  }

  @Mutation(() => ClusterModel)
  async uncordonCluster(
    @CurrentActor('operator') actor: Actor,
    @Args('name', nameArg) name: string,
  ): Promise<ClusterModel> {
    return toClusterModel(await this.service.setCordoned(actor, name, false));
  }

  @Mutation(() => ClusterModel, {
    description:
      "Admin only. Revokes the cluster's credential and report-signing key without deregistering it: its agent's polls and reports are refused (CREDENTIAL_REVOKED) and credential.state is Revoked; the cluster, its labels and history stay. It comes back when its agent registers again with a registration token. Idempotent.",
  })
  async revokeClusterCredential(
    @CurrentActor('admin') actor: Actor,
    @Args('name', nameArg) name: string,
  ): Promise<ClusterModel> {
    return toClusterModel(await this.service.revokeCredential(actor, name));
  }

  @Mutation(() => ClusterModel, {
    description:
      'Deregisters the cluster: it becomes Deregistering, its agent is sent a withdrawal of every application it runs (with deletionPolicy) and keeps its credential until it confirmed them all; then the cluster is deleted (at once when it runs nothing). force deletes it now: its credential stops working and its objects stay in place. Returns the cluster after the call (as it was, when deleted).',
  })
  async deregisterCluster(
    @CurrentActor('operator') actor: Actor,
    @Args('name', nameArg) name: string,
    @Args('deletionPolicy', {
      type: () => DeletionPolicyEnum,
      nullable: true,
      description: 'Default prune.',
    })
    deletionPolicy: DeletionPolicy | null,
    @Args('force', {
      type: () => Boolean,
      nullable: true,
      description: 'Delete the cluster now, without withdrawals: its objects stay. Default false.',
    })
    force: boolean | null,
  ): Promise<ClusterModel> {
    return toClusterModel(
      await this.service.deregister(actor, name, {
        deletionPolicy: deletionPolicy ?? 'prune',
        force: force ?? false,
      }),
    );
  }

  @Subscription(() => ClusterChangeModel, {
    description:
      'Every change to a cluster matching the selector (all clusters without one), from any hub replica.',
    resolve: (payload: ClusterChangeModel) => payload,
  })
  async clusterChanged(
    @Context() context: GraphqlContext,
    @Args('selector', { type: () => String, nullable: true }) selector: string | null,
  ): Promise<AsyncIterableIterator<ClusterChangeModel>> {
    // Errors here skip the HTTP error formatter, so they are coded on the spot (same mapping).
    try {
      requireRole(context.auth, 'viewer');
      const parsed = parseSelectorArgument(selector);
      if (!context.pubsub) throw notFound('subscriptions are not available on this transport');
      const source = (await context.pubsub.subscribe(
        CLUSTER_CHANGED_TOPIC,
      )) as AsyncIterable<ClusterChangeModel>;
      return filterAsyncIterator(source[Symbol.asyncIterator](), (change) =>
        matchesSelector(parsed, change.cluster.labels),
      );
    } catch (error) {
      throw codedGraphQLError(error, this.logger);
    }
  }
}
