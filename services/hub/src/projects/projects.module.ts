import { Module } from '@nestjs/common';
import { ProjectsResolver } from './graphql/projects.resolver.js';
import { ProjectUsage } from './project-usage.js';
import { ProjectsRepository } from './projects.repository.js';
import { ProjectsService } from './projects.service.js';
import { ViewerProjectsResolver } from './graphql/viewer-projects.resolver.js';

/**
 * Projects: bounds and members for applications (docs/projects.md). Applications import this
 * module and register what they count into ProjectUsage; this module imports no feature above it.
 */
@Module({
  providers: [ProjectsRepository, ProjectsService, ProjectsResolver, ProjectUsage, ViewerProjectsResolver],
  exports: [ProjectsService, ProjectUsage],
})
export class ProjectsModule {}
