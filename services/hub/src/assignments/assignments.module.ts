import { Module } from '@nestjs/common';
import { AgentAuthGuard } from '../clusters/agent-auth.guard.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { AssignmentNotifier } from './assignment-notifier.js';
import { AssignmentsController } from './assignments.controller.js';
import { AssignmentsRepository } from './assignments.repository.js';
import { ClusterWithdrawalsResolver } from './graphql/cluster-withdrawals.resolver.js';
import { WithdrawalLoaders } from './graphql/withdrawal.loaders.js';
import { Withdrawals } from './withdrawals.js';

/**
 * What each cluster must run (`cluster_assignment`) and remove (`placement_withdrawal`), and the long
 * poll agents read both with.
 */
@Module({
  imports: [ClustersModule],
  controllers: [AssignmentsController],
  providers: [
    AgentAuthGuard,
    AssignmentNotifier,
    AssignmentsRepository,
    Withdrawals,
    WithdrawalLoaders,
    ClusterWithdrawalsResolver,
  ],
  exports: [AssignmentNotifier, AssignmentsRepository, Withdrawals, WithdrawalLoaders],
})
export class AssignmentsModule {}
