import { Module } from '@nestjs/common';
import { AgentAuthGuard } from '../clusters/agent-auth.guard.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { AssignmentNotifier } from './assignment-notifier.js';
import { AssignmentsController } from './assignments.controller.js';
import { AssignmentsRepository } from './assignments.repository.js';
import { Withdrawals } from './withdrawals.js';

/**
 * What each cluster must run (`cluster_assignment`) and remove (`placement_withdrawal`), and the long
 * poll agents read both with.
 */
@Module({
  imports: [ClustersModule],
  controllers: [AssignmentsController],
  providers: [AgentAuthGuard, AssignmentNotifier, AssignmentsRepository, Withdrawals],
  exports: [AssignmentNotifier, AssignmentsRepository, Withdrawals],
})
export class AssignmentsModule {}
