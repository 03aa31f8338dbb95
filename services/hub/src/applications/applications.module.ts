import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module.js';
import { ProjectsModule } from '../projects/projects.module.js';
import { ApplicationsRepository } from './applications.repository.js';
import { ApplicationsService } from './applications.service.js';
import { GitSyncService } from './git-sync.service.js';
import { RepositorySources } from './repository-sources.js';
import { GitWebhookController } from './git-webhook.controller.js';
import { ApplicationLoaders } from './graphql/application.loaders.js';
import {
  ApplicationDeletionResolver,
  ApplicationWithdrawalsResolver,
} from './graphql/application-withdrawals.resolver.js';
import { ApplicationsResolver } from './graphql/applications.resolver.js';
import { RevisionVetoFieldResolver, RevisionVetoesResolver } from './graphql/revision-vetoes.resolver.js';
import { RevisionVetoesRepository } from './revision-vetoes.repository.js';
import { RevisionVetoesService } from './revision-vetoes.service.js';

/**
 * Applications, their git revisions (sync by poll and push webhook) and their GraphQL API. A new
 * commit starts its rollout through ROLLOUT_STARTER (rollout-starter.ts), which the rollouts
 * feature provides: this module does not import rollouts.
 */
@Module({
  imports: [AssignmentsModule, ProjectsModule],
  controllers: [GitWebhookController],
  providers: [
    ApplicationsRepository,
    ApplicationsService,
    GitSyncService,
    RepositorySources,
    ApplicationsResolver,
    ApplicationLoaders,
    ApplicationWithdrawalsResolver,
    ApplicationDeletionResolver,
    RevisionVetoesRepository,
    RevisionVetoesService,
    RevisionVetoesResolver,
    RevisionVetoFieldResolver,
  ],
  exports: [
    ApplicationsRepository,
    ApplicationsService,
    GitSyncService,
    RepositorySources,
    ApplicationLoaders,
    RevisionVetoesRepository,
  ],
})
export class ApplicationsModule {}
