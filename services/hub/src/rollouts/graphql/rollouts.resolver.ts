import { type GraphQLResolveInfo, Kind } from 'graphql';
import { Inject } from '@nestjs/common';
import {
  Args,
  Context,
  ID,
  Info,
  Int,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { type Logger } from 'pino';
import {
  ApplicationModel,
  RevisionModel,
  toApplicationModel,
  toRevisionModel,
} from '../../applications/graphql/application.model.js';
import { ApplicationLoaders } from '../../applications/graphql/application.loaders.js';
import {
  ROLLOUT_CHANGED_TOPIC,
  type RolloutChangedSignal,
} from '../../clusters/graphql/cluster-changes.feed.js';
import { type Actor, projectsInView } from '../../common/actor.js';
import { notFound } from '../../common/domain-error.js';
import { requireCaller } from '../../common/roles.js';
import { seesProject } from '../../projects/project-rules.js';
import { decodeCursor } from '../../graphql/cursor.js';
import { filterAsyncIterator } from '../../graphql/filter-iterator.js';
import { CurrentActor, CurrentCaller, type GraphqlContext } from '../../graphql/graphql-context.js';
import { codedGraphQLError } from '../../graphql/graphql-errors.js';
import { uuidArgument } from '../../graphql/ids.js';
import { JsonScalar } from '../../graphql/json.scalar.js';
import { renewRequestLoaders } from '../../graphql/request-loaders.js';
import { LOGGER } from '../../logging/logging.module.js';
import { MAX_CLUSTER_PAGE_SIZE, pageOfClusters } from '../cluster-page.js';
import { type AssignmentPhase, type RolloutState } from '../engine/index.js';
import {
  DEFAULT_PAGE_SIZE,
  type RolloutDetail,
  RolloutsService,
  waitsForNothing,
} from '../rollouts.service.js';
import { RolloutDetailCache } from '../rollout-detail-cache.js';
import { RolloutLoaders } from './rollout.loaders.js';
import {
  toVerificationRunModel,
  VerificationRunModel,
} from '../verification/graphql/verification-run.model.js';
import {
  AssignmentPhaseEnum,
  BlockingReasonModel,
  EtaModel,
  RolloutClusterModel,
  RolloutConnectionModel,
  RolloutModel,
  RenderedBundleModel,
  RolloutPreviewModel,
  RolloutStateEnum,
  RolloutWaveModel,
  toBlockingModel,
  toEtaModel,
  toPreviewModel,
  toRolloutClusterModel,
  toRolloutConnection,
  toRolloutModel,
  toWaveModel,
} from './rollout.model.js';

const idArg = { type: () => ID, description: 'The rollout id.' } as const;
const revisionDescription = 'A full 40-hex commit id the hub has fetched; default: the latest commit.';

/**
 * Thin: arguments → RolloutsService → GraphQL models. A rollout is read with its waves, application
 * and commit metadata in one statement (a page of them too); waves, clusters and blocking come from
 * one RolloutsService.detail per rollout and request, whose member clusters are batched for the
 * whole response (rollout.loaders.ts). So rollout(id) or a page of rollouts costs two statements
 * beyond authentication, however many rollouts and clusters.
 */
@Resolver(() => RolloutModel)
export class RolloutsResolver {
  constructor(
    @Inject(RolloutsService) private readonly service: RolloutsService,
    @Inject(RolloutLoaders) private readonly loaders: RolloutLoaders,
    @Inject(ApplicationLoaders) private readonly applications: ApplicationLoaders,
    @Inject(RolloutDetailCache) private readonly details: RolloutDetailCache,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Query(() => RolloutPreviewModel, {
    description: 'The waves (clusters in assignment order), exclusions and render errors of a rollout now.',
  })
  async previewRollout(
    @CurrentCaller() actor: Actor,
    @Args('application', { type: () => String }) application: string,
    @Args('revision', { type: () => String, nullable: true, description: revisionDescription })
    revision: string | null,
    @Args('plan', {
      type: () => JsonScalar,
      nullable: true,
      description: "A wave plan to try instead of the application's.",
    })
    plan: unknown,
    @Info() info: GraphQLResolveInfo,
  ): Promise<RolloutPreviewModel> {
    // The diff reads every cluster's current bundle: computed only when the query asks for it.
    const withDiff = info.fieldNodes.some((node) =>
      node.selectionSet?.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'diff'),
    );
    return toPreviewModel(
      await this.service.preview(actor, application, revision, plan ?? undefined, withDiff),
    );
  }

  @Query(() => RenderedBundleModel, {
    description:
      'Exactly what one cluster would get from an application (rendered now, nothing written): `fleetctl apps render`.',
  })
  async renderApplication(
    @CurrentCaller() actor: Actor,
    @Args('application', { type: () => String }) application: string,
    @Args('cluster', { type: () => String }) cluster: string,
    @Args('revision', { type: () => String, nullable: true, description: revisionDescription })
    revision: string | null,
  ): Promise<RenderedBundleModel> {
    return this.service.renderFor(actor, application, cluster, revision);
  }

  @Query(() => RolloutConnectionModel, {
    description:
      "Rollouts newest first, optionally filtered; a caller bound to a project sees only its project's.",
  })
  async rollouts(
    @CurrentCaller() actor: Actor,
    @Context() context: GraphqlContext,
    @Args('application', { type: () => String, nullable: true }) application: string | null,
    @Args('state', {
      type: () => [RolloutStateEnum],
      nullable: true,
      description: 'Only rollouts in one of these states.',
    })
    state: RolloutState[] | null,
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: DEFAULT_PAGE_SIZE,
      description: 'At most 200.',
    })
    first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'A cursor from a previous page.' })
    after: string | null,
  ): Promise<RolloutConnectionModel> {
    const page = await this.service.listViews({
      application: application ?? undefined,
      states: state ?? undefined,
      first: first ?? undefined,
      afterId: after ? uuidArgument(decodeCursor(after), 'after') : undefined,
      projects: projectsInView(actor),
    });
    this.loaders.rememberRollouts(context, page.rollouts);
    return toRolloutConnection(page);
  }

  @Query(() => RolloutModel, {
    nullable: true,
    description: 'One rollout; null when there is none (or it is of a project the caller is not bound to).',
  })
  async rollout(
    @CurrentCaller() actor: Actor,
    @Context() context: GraphqlContext,
    @Args('id', idArg) id: string,
  ): Promise<RolloutModel | null> {
    const view = await this.loaders.of(context).rollout.load(uuidArgument(id));
    return view && seesProject(actor, view.application.project) ? toRolloutModel(view.rollout) : null;
  }

  @Mutation(() => RolloutModel, {
    description:
      'Starts a rollout of the revision over the clusters the application targets; active rollouts of the application are superseded. A vetoed commit needs force.',
  })
  async startRollout(
    @CurrentCaller() actor: Actor,
    @Args('application', { type: () => String }) application: string,
    @Args('revision', { type: () => String, nullable: true, description: revisionDescription })
    revision: string | null,
    @Args('force', {
      type: () => Boolean,
      nullable: true,
      defaultValue: false,
      description: 'Start it even though the commit is vetoed (otherwise REVISION_VETOED); audited.',
    })
    force: boolean | null,
  ): Promise<RolloutModel> {
    return toRolloutModel(await this.service.start(actor, application, revision, force ?? false));
  }

  @Mutation(() => RolloutModel, { description: 'Opens the wave awaiting approval.' })
  async approveWave(
    @CurrentCaller() actor: Actor,
    @Args('id', idArg) id: string,
    @Args('wave', {
      type: () => String,
      nullable: true,
      description: 'The wave expected to be awaiting approval (refused when another one is).',
    })
    wave: string | null,
  ): Promise<RolloutModel> {
    return toRolloutModel(await this.service.approveWave(actor, uuidArgument(id), wave));
  }

  @Mutation(() => RolloutModel, {
    description:
      'Lets this rollout (or catch-up) past the fleet freeze for the rest of its life: it starts its waves as if the fleet were not frozen. Admin; audited.',
  })
  async overrideFreeze(
    @CurrentActor('admin') actor: Actor,
    @Args('id', idArg) id: string,
  ): Promise<RolloutModel> {
    return toRolloutModel(await this.service.overrideFreeze(actor, uuidArgument(id)));
  }

  @Mutation(() => RolloutModel, { description: 'Assigns no more clusters until resumed; deadlines stop.' })
  async pauseRollout(@CurrentCaller() actor: Actor, @Args('id', idArg) id: string): Promise<RolloutModel> {
    return toRolloutModel(await this.service.pause(actor, uuidArgument(id)));
  }

  @Mutation(() => RolloutModel)
  async resumeRollout(@CurrentCaller() actor: Actor, @Args('id', idArg) id: string): Promise<RolloutModel> {
    return toRolloutModel(await this.service.resume(actor, uuidArgument(id)));
  }

  @Mutation(() => RolloutModel, {
    description: 'Stops the rollout for good; clusters keep what they were assigned.',
  })
  async abortRollout(@CurrentCaller() actor: Actor, @Args('id', idArg) id: string): Promise<RolloutModel> {
    return toRolloutModel(await this.service.abort(actor, uuidArgument(id)));
  }

  @Mutation(() => RolloutModel, {
    description:
      'Starts a rollback of the clusters this rollout changed: to `commit`, or to what each ran before. Returns the rollback.',
  })
  async rollbackRollout(
    @CurrentCaller() actor: Actor,
    @Args('id', idArg) id: string,
    @Args('commit', { type: () => String, nullable: true, description: 'A full 40-hex commit id.' })
    commit: string | null,
  ): Promise<RolloutModel> {
    return toRolloutModel(await this.service.rollback(actor, uuidArgument(id), commit));
  }

  @Mutation(() => RolloutModel, { description: 'Assigns the cluster again, forgetting its failure.' })
  async retryCluster(
    @CurrentCaller() actor: Actor,
    @Args('id', idArg) id: string,
    @Args('cluster', { type: () => String, description: 'The cluster name.' }) cluster: string,
  ): Promise<RolloutModel> {
    return toRolloutModel(await this.service.retryCluster(actor, uuidArgument(id), cluster));
  }

  @Mutation(() => RolloutModel, { description: 'Leaves the cluster out of the rollout (done, not failed).' })
  async skipCluster(
    @CurrentCaller() actor: Actor,
    @Args('id', idArg) id: string,
    @Args('cluster', { type: () => String, description: 'The cluster name.' }) cluster: string,
  ): Promise<RolloutModel> {
    return toRolloutModel(await this.service.skipCluster(actor, uuidArgument(id), cluster));
  }

  @ResolveField('application', () => ApplicationModel, {
    nullable: true,
    description: 'null only when the application was deleted meanwhile.',
  })
  async application(
    @Parent() rollout: RolloutModel,
    @Context() context: GraphqlContext,
  ): Promise<ApplicationModel | null> {
    const app = await this.applications.of(context).application.load(rollout.applicationId);
    return app ? toApplicationModel(app) : null;
  }

  @ResolveField('revision', () => RevisionModel, {
    nullable: true,
    description: 'Commit metadata of `commit`.',
  })
  async revision(
    @Parent() rollout: RolloutModel,
    @Context() context: GraphqlContext,
  ): Promise<RevisionModel | null> {
    const revision = await this.applications
      .of(context)
      .revision.load({ applicationId: rollout.applicationId, commit: rollout.commit });
    return revision ? toRevisionModel(revision) : null;
  }

  @ResolveField('blocking', () => BlockingReasonModel, {
    nullable: true,
    description: 'Why the current wave is waiting; null when it is moving or the rollout is finished.',
  })
  async blocking(
    @Parent() rollout: RolloutModel,
    @Context() context: GraphqlContext,
  ): Promise<BlockingReasonModel | null> {
    if (waitsForNothing(rollout)) return null;
    return toBlockingModel((await this.detail(rollout, context)).blocking);
  }

  @ResolveField('waves', () => [RolloutWaveModel], { description: 'Every wave in order, rest last.' })
  async waves(
    @Parent() rollout: RolloutModel,
    @Context() context: GraphqlContext,
  ): Promise<RolloutWaveModel[]> {
    const detail = await this.detail(rollout, context);
    return detail.waves.map((wave) => toWaveModel(wave, rollout.id));
  }

  @ResolveField('eta', () => EtaModel, {
    description: 'When the rollout is expected to finish (its last soak included).',
  })
  async eta(@Parent() rollout: RolloutModel, @Context() context: GraphqlContext): Promise<EtaModel> {
    return toEtaModel((await this.loaders.of(context).rolloutEta.load(rollout.id)).rollout);
  }

  @ResolveField('verificationRuns', () => [VerificationRunModel], {
    description:
      'Every attempt of its verification checks, oldest first (per wave: RolloutWave.verificationRuns).',
  })
  async verificationRuns(
    @Parent() rollout: RolloutModel,
    @Context() context: GraphqlContext,
  ): Promise<VerificationRunModel[]> {
    return (await this.detail(rollout, context)).verificationRuns.map(toVerificationRunModel);
  }

  @ResolveField('clusters', () => [RolloutClusterModel], {
    description:
      'Member clusters by wave, then name (the order they are assigned in); all of them unless paged with first/after.',
  })
  async clusters(
    @Parent() rollout: RolloutModel,
    @Context() context: GraphqlContext,
    @Args('phase', {
      type: () => [AssignmentPhaseEnum],
      nullable: true,
      description: 'Only clusters in one of these phases.',
    })
    phase: AssignmentPhase[] | null,
    @Args('first', {
      type: () => Int,
      nullable: true,
      description: `At most this many (up to ${MAX_CLUSTER_PAGE_SIZE}); default: all. A shorter page is the last.`,
    })
    first: number | null,
    @Args('after', {
      type: () => String,
      nullable: true,
      description: "The name of the previous page's last cluster: the page starts after it.",
    })
    after: string | null,
  ): Promise<RolloutClusterModel[]> {
    const detail = await this.detail(rollout, context);
    if (phase === null && first === null && after === null) return allClusterModels(detail);
    return pageOfClusters(detail.clusters, {
      phases: phase ?? undefined,
      first: first ?? undefined,
      after: after ?? undefined,
    }).map(toRolloutClusterModel);
  }

  @Subscription(() => RolloutModel, {
    nullable: true,
    description:
      'The rollout, read afresh, whenever something happens to it (engine passes and mutations, from any hub replica); null once it no longer exists.',
    resolve: (payload: RolloutModel | null) => payload,
  })
  async rolloutChanged(
    @Context() context: GraphqlContext,
    @Args('id', idArg) id: string,
  ): Promise<AsyncIterableIterator<RolloutModel | null>> {
    // Errors here skip the HTTP error formatter, so they are coded on the spot (same mapping).
    try {
      const actor = requireCaller(context.auth);
      const rolloutId = uuidArgument(id);
      if (!context.pubsub) throw notFound('subscriptions are not available on this transport');
      const [view] = await this.service.views([rolloutId]);
      if (view === undefined || !seesProject(actor, view.application.project)) {
        throw notFound(`rollout ${rolloutId} not found`);
      }
      const source = (await context.pubsub.subscribe(
        ROLLOUT_CHANGED_TOPIC,
      )) as AsyncIterable<RolloutChangedSignal>;
      const signals = filterAsyncIterator(
        source[Symbol.asyncIterator](),
        (signal) => signal.rolloutId === rolloutId,
      );
      return mapAsyncIterator(signals, async (signal) => {
        try {
          // Another replica's pass may have changed only members: the detail kept here is stale.
          this.details.announced(signal, rolloutId);
          // One context serves every event of a subscription: this event must not see the last one's cache.
          renewRequestLoaders(context);
          const view = await this.loaders.of(context).rollout.load(rolloutId);
          return { value: view ? toRolloutModel(view.rollout) : null };
        } catch (error) {
          this.logger.warn(
            { err: error instanceof Error ? error.message : String(error), rollout: rolloutId },
            'could not load a changed rollout for its subscribers; skipping this update',
          );
          return undefined;
        }
      });
    } catch (error) {
      throw codedGraphQLError(error, this.logger);
    }
  }

  private detail(rollout: RolloutModel, context: GraphqlContext): Promise<RolloutDetail> {
    return this.loaders.of(context).rolloutDetail.load(rollout.id);
  }
}

/**
 * Every member's model, made once per detail: a detail served from RolloutDetailCache to many reads
 * is not turned into ~1,000 new models (and their garbage) by each of them.
 */
const clusterModels = new WeakMap<RolloutDetail, RolloutClusterModel[]>();
function allClusterModels(detail: RolloutDetail): RolloutClusterModel[] {
  let models = clusterModels.get(detail);
  if (models === undefined) {
    models = detail.clusters.map(toRolloutClusterModel);
    clusterModels.set(detail, models);
  }
  return models;
}

/**
 * An async iterator of what `map` makes of each source value (`undefined`: skip the value). Like
 * filterAsyncIterator, `return()` goes straight to the source, so unsubscribing releases it at once.
 */
function mapAsyncIterator<T, U>(
  source: AsyncIterator<T>,
  map: (value: T) => Promise<{ value: U } | undefined>,
): AsyncIterableIterator<U> {
  return {
    async next(): Promise<IteratorResult<U>> {
      for (;;) {
        const result = await source.next();
        if (result.done) return { done: true, value: undefined };
        const mapped = await map(result.value);
        if (mapped !== undefined) return { done: false, value: mapped.value };
      }
    },
    async return(value?: unknown): Promise<IteratorResult<U>> {
      await source.return?.(value);
      return { done: true, value: undefined };
    },
    async throw(error?: unknown): Promise<IteratorResult<U>> {
      await source.throw?.(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
