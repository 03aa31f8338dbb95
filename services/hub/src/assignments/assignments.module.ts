import { Module } from '@nestjs/common';
import { AgentAuthGuard } from '../clusters/agent-auth.guard.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { AssignmentNotifier } from './assignment-notifier.js';
import { AssignmentsController } from './assignments.controller.js';
import { AssignmentsRepository } from './assignments.repository.js';

/** What each cluster must run (`cluster_assignment`), and the long poll agents read it with. */
@Module({
  imports: [ClustersModule],
  controllers: [AssignmentsController],
  providers: [AgentAuthGuard, AssignmentNotifier, AssignmentsRepository],
  exports: [AssignmentNotifier, AssignmentsRepository],
})
export class AssignmentsModule {}
