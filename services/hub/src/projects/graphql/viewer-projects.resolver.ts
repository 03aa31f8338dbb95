import { Inject } from '@nestjs/common';
import { Field, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RoleEnum } from '../../auth/graphql/api-token.model.js';
import { ViewerModel } from '../../auth/graphql/viewer.model.js';
import { type Role } from '../../common/actor.js';
import { projectRole } from '../project-rules.js';
import { ProjectsService } from '../projects.service.js';

@ObjectType('ViewerProject', { description: 'A project the caller holds a role in, and that role.' })
export class ViewerProjectModel {
  @Field(() => String) name!: string;
  @Field(() => RoleEnum) role!: Role;
}

/** Viewer.projects: the projects the caller holds a role in (fleet-wide roles hold in every one). */
@Resolver(() => ViewerModel)
export class ViewerProjectsResolver {
  constructor(@Inject(ProjectsService) private readonly projects: ProjectsService) {}

  @ResolveField('projects', () => [ViewerProjectModel], { description: 'In name order.' })
  async projectsOf(@Parent() viewer: ViewerModel): Promise<ViewerProjectModel[]> {
    return (await this.projects.list(viewer.actor)).map((p) => ({
      name: p.name,
      role: projectRole(viewer.actor, p)!,
    }));
  }
}
