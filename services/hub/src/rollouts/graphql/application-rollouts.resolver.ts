import { Inject } from '@nestjs/common';
import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ApplicationLoaders } from '../../applications/graphql/application.loaders.js';
import { ApplicationModel } from '../../applications/graphql/application.model.js';
import { vetoedHead } from '../../applications/revision-veto.js';
import { notFound } from '../../common/domain-error.js';
import { decodeCursor } from '../../graphql/cursor.js';
import { type GraphqlContext } from '../../graphql/graphql-context.js';
import { uuidArgument } from '../../graphql/ids.js';
import { type RolloutState } from '../engine/index.js';
import { RolloutLoaders } from './rollout.loaders.js';
import { RolloutConnectionModel, RolloutStateEnum, toRolloutConnection } from './rollout.model.js';

/**
 * Application.rollouts and heldAt: the rollouts feature extends the application type, so applications/
 * need not know rollouts (imports run rollouts → applications). Batched over a page of applications.
 */
@Resolver(() => ApplicationModel)
export class ApplicationRolloutsResolver {
  constructor(
    @Inject(RolloutLoaders) private readonly loaders: RolloutLoaders,
    @Inject(ApplicationLoaders) private readonly applications: ApplicationLoaders,
  ) {}

  @ResolveField('heldAt', () => String, {
    nullable: true,
    description:
      'While latestCommit is vetoed: the commit the fleet is held at (that of the newest Succeeded rollout); null otherwise.',
  })
  async heldAt(@Parent() app: ApplicationModel, @Context() context: GraphqlContext): Promise<string | null> {
    const vetoes = await this.applications.of(context).vetoes.load(app.id);
    if (vetoedHead(app.latestCommit, vetoes) === null) return null;
    return this.loaders.of(context).settledCommit.load(app.id);
  }

  @ResolveField('rollouts', () => RolloutConnectionModel, { description: 'Its rollouts, newest first.' })
  async rollouts(
    @Parent() app: ApplicationModel,
    @Context() context: GraphqlContext,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20, description: 'At most 200.' })
    first: number | null,
    @Args('after', { type: () => String, nullable: true, description: 'A cursor from a previous page.' })
    after: string | null,
    @Args('state', {
      type: () => [RolloutStateEnum],
      nullable: true,
      description: 'Only rollouts in one of these states.',
    })
    state: RolloutState[] | null,
  ): Promise<RolloutConnectionModel> {
    const page = await this.loaders.of(context).applicationRollouts.load({
      applicationId: app.id,
      states: state ?? undefined,
      first: first ?? undefined,
      afterId: after ? uuidArgument(decodeCursor(after), 'after') : undefined,
    });
    if (page === null) throw notFound(`application "${app.name}" not found`);
    return toRolloutConnection(page);
  }
}
