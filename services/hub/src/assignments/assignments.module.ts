import { Global, Module } from '@nestjs/common';
import { CLUSTER_PLACEMENTS, type ClusterPlacements } from '../clusters/cluster-placements.js';
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
 * poll agents read both with. Global only to hand clusters' deregistration the CLUSTER_PLACEMENTS
 * port it declares: importing this module there would be a cycle.
 */
@Global()
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
    {
      provide: CLUSTER_PLACEMENTS,
      useFactory: (assignments: AssignmentsRepository): ClusterPlacements => ({
        remaining: (tx, clusterId) => assignments.remainingForCluster(clusterId, tx),
      }),
      inject: [AssignmentsRepository],
    },
  ],
  exports: [AssignmentNotifier, AssignmentsRepository, Withdrawals, WithdrawalLoaders, CLUSTER_PLACEMENTS],
})
export class AssignmentsModule {}
