import { Module } from '@nestjs/common';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { GitSyncService } from '../applications/git-sync.service.js';
import { GitWebhookController } from '../applications/git-webhook.controller.js';
import { AssignmentNotifier } from '../assignments/assignment-notifier.js';
import { AssignmentsController } from '../assignments/assignments.controller.js';
import { AssignmentsRepository } from '../assignments/assignments.repository.js';
import { AgentAuthGuard } from '../auth/agent-auth.guard.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { RolloutFactory } from './rollout-factory.js';
import { RolloutPassService } from './rollout-pass.service.js';
import { RolloutScheduler } from './rollout-scheduler.js';
import { RolloutsRepository } from './rollouts.repository.js';
import { RolloutsService } from './rollouts.service.js';

/**
 * Delivery: applications and their git revisions, rollouts and the engine that drives them, and the
 * assignments agents pull. One module because they are one data flow (commit → rollout → assignment
 * → report → pass); the code stays in its feature folders.
 */
@Module({
  imports: [ClustersModule, ReportsModule],
  controllers: [AssignmentsController, GitWebhookController],
  providers: [
    AgentAuthGuard,
    ApplicationsRepository,
    ApplicationsService,
    GitSyncService,
    AssignmentNotifier,
    AssignmentsRepository,
    RolloutFactory,
    RolloutPassService,
    RolloutScheduler,
    RolloutsRepository,
    RolloutsService,
  ],
  exports: [ApplicationsService, RolloutsService, GitSyncService, RolloutScheduler, AssignmentNotifier],
})
export class RolloutsModule {}
