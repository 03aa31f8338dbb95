import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../common/actor.js';
import { CurrentCaller, type GraphqlContext } from '../../graphql/graphql-context.js';
import { RevisionVetoesService } from '../revision-vetoes.service.js';
import { ApplicationLoaders } from './application.loaders.js';
import {
  ApplicationModel,
  RevisionModel,
  RevisionVetoModel,
  toRevisionVetoModel,
} from './application.model.js';

const applicationArg = { type: () => String, description: 'The application name.' } as const;
const commitArg = { type: () => String, description: 'The full 40-hex commit id.' } as const;

/** vetoRevision / unvetoRevision and Application.vetoes; all reads batched per request. */
@Resolver(() => ApplicationModel)
export class RevisionVetoesResolver {
  constructor(
    @Inject(RevisionVetoesService) private readonly service: RevisionVetoesService,
    @Inject(ApplicationLoaders) private readonly loaders: ApplicationLoaders,
  ) {}

  @Mutation(() => RevisionVetoModel, {
    description:
      'Vetoes a commit (fetched or not): no poll, webhook, redelivery or re-render starts it, and startRollout needs force. Vetoing it again replaces the reason.',
  })
  async vetoRevision(
    @CurrentCaller() actor: Actor,
    @Args('application', applicationArg) application: string,
    @Args('commit', commitArg) commit: string,
    @Args('reason', { type: () => String, description: 'Why; shown with the commit and in refusals.' })
    reason: string,
  ): Promise<RevisionVetoModel> {
    return toRevisionVetoModel(await this.service.veto(actor, application, commit, reason));
  }

  @Mutation(() => RevisionVetoModel, {
    description:
      'Lifts the veto and returns it; NOT_FOUND when the commit is not vetoed. Starts nothing by itself: the next sync or startRollout may.',
  })
  async unvetoRevision(
    @CurrentCaller() actor: Actor,
    @Args('application', applicationArg) application: string,
    @Args('commit', commitArg) commit: string,
  ): Promise<RevisionVetoModel> {
    return toRevisionVetoModel(await this.service.unveto(actor, application, commit));
  }

  @ResolveField('vetoes', () => [RevisionVetoModel], { description: 'Vetoed commits, newest veto first.' })
  async vetoes(
    @Parent() app: ApplicationModel,
    @Context() context: GraphqlContext,
  ): Promise<RevisionVetoModel[]> {
    return (await this.loaders.of(context).vetoes.load(app.id)).map(toRevisionVetoModel);
  }
}

/** Revision.veto, from the same per-request loader as Application.vetoes. */
@Resolver(() => RevisionModel)
export class RevisionVetoFieldResolver {
  constructor(@Inject(ApplicationLoaders) private readonly loaders: ApplicationLoaders) {}

  @ResolveField('veto', () => RevisionVetoModel, {
    nullable: true,
    description: 'Set when the commit is vetoed.',
  })
  async veto(
    @Parent() revision: RevisionModel,
    @Context() context: GraphqlContext,
  ): Promise<RevisionVetoModel | null> {
    const vetoes = await this.loaders.of(context).vetoes.load(revision.applicationId);
    const veto = vetoes.find((v) => v.commit === revision.commit);
    return veto ? toRevisionVetoModel(veto) : null;
  }
}
