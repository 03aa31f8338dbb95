import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ClusterModel } from '../../clusters/graphql/cluster.model.js';
import { type GraphqlContext } from '../../graphql/graphql-context.js';
import { WithdrawalLoaders } from './withdrawal.loaders.js';
import { toWithdrawalModel, WithdrawalModel } from './withdrawal.model.js';

/** Cluster.withdrawals: the cluster's placements in state Removing (this feature owns the tombstones). */
@Resolver(() => ClusterModel)
export class ClusterWithdrawalsResolver {
  constructor(@Inject(WithdrawalLoaders) private readonly loaders: WithdrawalLoaders) {}

  @ResolveField('withdrawals', () => [WithdrawalModel], {
    description:
      'Applications withdrawn from the cluster whose removal its agent has not confirmed yet (placements in state Removing), oldest first.',
  })
  async withdrawals(@Parent() cluster: ClusterModel, @Context() context: GraphqlContext) {
    const found = await this.loaders.of(context).ofCluster.load(cluster.id);
    return found.map(toWithdrawalModel);
  }
}
