import { Inject } from '@nestjs/common';
import { Field, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RoleEnum } from '../../graphql/role.enum.js';
import { ViewerModel } from './viewer.model.js';
import { type Role } from '../../common/actor.js';
import { projectRole } from '../../projects/project-rules.js';
import { ProjectsService } from '../../projects/projects.service.js';

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
