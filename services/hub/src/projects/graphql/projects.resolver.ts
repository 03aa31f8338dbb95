import { Inject } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../common/actor.js';
import { CurrentCaller } from '../../graphql/graphql-context.js';
import { ProjectsService } from '../projects.service.js';
import {
  CreateProjectInput,
  ProjectModel,
  projectInput,
  toProjectModel,
  UpdateProjectInput,
} from './project.model.js';

const nameArg = { type: () => String, description: 'The project name.' } as const;

/** Thin: arguments → ProjectsService → models. Who may do what is decided in the service. */
@Resolver(() => ProjectModel)
export class ProjectsResolver {
  constructor(@Inject(ProjectsService) private readonly service: ProjectsService) {}

  @Query(() => [ProjectModel], { description: 'The projects the caller holds a role in, in name order.' })
  async projects(@CurrentCaller() actor: Actor): Promise<ProjectModel[]> {
    return (await this.service.list(actor)).map(toProjectModel);
  }

  @Query(() => ProjectModel, {
    nullable: true,
    description: 'One project; null when none (or none the caller may see).',
  })
  async project(
    @CurrentCaller() actor: Actor,
    @Args('name', nameArg) name: string,
  ): Promise<ProjectModel | null> {
    const project = await this.service.find(actor, name);
    return project ? toProjectModel(project) : null;
  }

  @Mutation(() => ProjectModel, { description: 'Fleet admins only. CONFLICT when the name is taken.' })
  async createProject(
    @CurrentCaller() actor: Actor,
    @Args('input', { type: () => CreateProjectInput }) input: CreateProjectInput,
  ): Promise<ProjectModel> {
    return toProjectModel(await this.service.create(actor, projectInput(input)));
  }

  @Mutation(() => ProjectModel, {
    description:
      "Fleet admins change anything; the project's admins only its members. The default project's bounds stay open.",
  })
  async updateProject(
    @CurrentCaller() actor: Actor,
    @Args('name', nameArg) name: string,
    @Args('input', { type: () => UpdateProjectInput }) input: UpdateProjectInput,
  ): Promise<ProjectModel> {
    return toProjectModel(await this.service.update(actor, name, projectInput(input)));
  }

  @Mutation(() => ProjectModel, {
    description:
      'Fleet admins only; FAILED_PRECONDITION while an application belongs to it. Returns it as it was.',
  })
  async deleteProject(
    @CurrentCaller() actor: Actor,
    @Args('name', nameArg) name: string,
  ): Promise<ProjectModel> {
    return toProjectModel(await this.service.delete(actor, name));
  }
}
