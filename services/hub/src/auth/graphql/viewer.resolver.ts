import { Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../common/actor.js';
import { CurrentCaller } from '../../graphql/graphql-context.js';
import { toViewerModel, ViewerModel } from './viewer.model.js';

/** `viewer`: the caller itself. Viewer.projects: viewer-projects.resolver.ts. */
@Resolver(() => ViewerModel)
export class ViewerResolver {
  @Query(() => ViewerModel, {
    description: 'The caller (any valid token or SSO sign-in): its name, fleet-wide roles and projects.',
  })
  viewer(@CurrentCaller() actor: Actor): ViewerModel {
    return toViewerModel(actor);
  }
}
