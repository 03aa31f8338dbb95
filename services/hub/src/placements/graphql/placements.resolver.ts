import { Inject, Injectable } from '@nestjs/common';
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { ApplicationModel } from '../../applications/graphql/application.model.js';
import { ClusterModel } from '../../clusters/graphql/cluster.model.js';
import { type Actor } from '../../common/actor.js';
import { invalidArgument, notFound } from '../../common/domain-error.js';
import { decodeCursor } from '../../graphql/cursor.js';
import { CurrentActor, type GraphqlContext } from '../../graphql/graphql-context.js';
import { type RequestLoaderFactory, requestLoaders } from '../../graphql/request-loaders.js';
import {
  type ApplicationSync,
  DEFAULT_PLACEMENT_PAGE,
  type Placement,
  PlacementsService,
} from '../placements.service.js';
import {
  ApplicationSyncModel,
  PlacementConnectionModel,
  PlacementFilterInput,
  PlacementModel,
  toApplicationSyncModel,
  toPlacementConnection,
  toPlacementModel,
} from './placement.model.js';

interface PlacementRequestLoaders {
  /** By cluster id: its placements. */
  ofCluster: DataLoader<string, Placement[]>;
  /** By application id: its sync summary (null: the application is gone). */
  sync: DataLoader<string, ApplicationSync | null>;
}

/** Per request: a page of clusters or applications costs two statements for all of them. */
@Injectable()
export class PlacementLoaders implements RequestLoaderFactory<PlacementRequestLoaders> {
  constructor(@Inject(PlacementsService) private readonly service: PlacementsService) {}

  of(context: GraphqlContext): PlacementRequestLoaders {
    return requestLoaders(context, this);
  }

  create(): PlacementRequestLoaders {
    return {
      ofCluster: new DataLoader(async (ids) => {
        const byCluster = await this.service.ofClusters(ids);
        return ids.map((id) => byCluster.get(id) ?? []);
      }),
      sync: new DataLoader(async (ids) => {
        const byApp = await this.service.sync(ids);
        return ids.map((id) => byApp.get(id) ?? null);
      }),
    };
  }
}

/** The cursor's (application, cluster) names; INVALID_ARGUMENT when it is not a placement cursor. */
function decodePlacementCursor(cursor: string): { application: string; cluster: string } {
  const [application, cluster, ...rest] = decodeCursor(cursor).split('/');
  if (!application || !cluster || rest.length > 0) {
    throw invalidArgument('after: not a placement cursor (use an endCursor from a previous page)');
  }
  return { application, cluster };
}

/** The fleet status matrix: `placements`, and its views from a cluster and from an application. */
@Resolver(() => PlacementModel)
export class PlacementsResolver {
  constructor(@Inject(PlacementsService) private readonly service: PlacementsService) {}

  @Query(() => PlacementConnectionModel, {
    description:
      'The fleet status matrix: one node per (cluster, application) pair, in (application, cluster) name order.',
  })
  async placements(
    @CurrentActor('viewer') _actor: Actor,
    @Args('filter', { type: () => PlacementFilterInput, nullable: true }) filter: PlacementFilterInput | null,
    @Args('first', {
      type: () => Int,
      nullable: true,
      defaultValue: DEFAULT_PLACEMENT_PAGE,
      description: 'At most 500.',
    })
    first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'A cursor from a previous page.' })
    after: string | null,
  ): Promise<PlacementConnectionModel> {
    const page = await this.service.page(
      {
        application: filter?.application ?? undefined,
        clusterSelector: filter?.clusterSelector ?? undefined,
        phases: filter?.phase ?? undefined,
        drifted: filter?.drifted ?? undefined,
        behind: filter?.behind ?? undefined,
      },
      first ?? undefined,
      after ? decodePlacementCursor(after) : undefined,
    );
    return toPlacementConnection(page);
  }
}

@Resolver(() => ClusterModel)
export class ClusterPlacementsResolver {
  constructor(@Inject(PlacementLoaders) private readonly loaders: PlacementLoaders) {}

  @ResolveField('placements', () => [PlacementModel], {
    description: 'Its (cluster, application) pairs, in application name order.',
  })
  async placements(
    @Parent() cluster: ClusterModel,
    @Context() context: GraphqlContext,
  ): Promise<PlacementModel[]> {
    return (await this.loaders.of(context).ofCluster.load(cluster.id)).map(toPlacementModel);
  }
}

@Resolver(() => ApplicationModel)
export class ApplicationSyncResolver {
  constructor(@Inject(PlacementLoaders) private readonly loaders: PlacementLoaders) {}

  @ResolveField('sync', () => ApplicationSyncModel, { description: "Its fleet's sync state and counts." })
  async sync(
    @Parent() app: ApplicationModel,
    @Context() context: GraphqlContext,
  ): Promise<ApplicationSyncModel> {
    const sync = await this.loaders.of(context).sync.load(app.id);
    if (sync === null) throw notFound(`application "${app.name}" not found`);
    return toApplicationSyncModel(sync);
  }
}
