import { Inject } from '@nestjs/common';
import { Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { WithdrawalLoaders } from '../../assignments/graphql/withdrawal.loaders.js';
import { toWithdrawalModel, WithdrawalModel } from '../../assignments/graphql/withdrawal.model.js';
import { type GraphqlContext } from '../../graphql/graphql-context.js';
import { ApplicationDeletionModel, ApplicationModel } from './application.model.js';

/** Application.withdrawals: the application's placements in state Removing (tombstones: assignments/). */
@Resolver(() => ApplicationModel)
export class ApplicationWithdrawalsResolver {
  constructor(@Inject(WithdrawalLoaders) private readonly loaders: WithdrawalLoaders) {}

  @ResolveField('withdrawals', () => [WithdrawalModel], {
    description:
      'Clusters the application was withdrawn from whose agents have not confirmed the removal yet (placements in state Removing), oldest first.',
  })
  async withdrawals(@Parent() app: ApplicationModel, @Context() context: GraphqlContext) {
    const found = await this.loaders.of(context).ofApplication.load(app.id);
    return found.map(toWithdrawalModel);
  }
}

/** ApplicationDeletion.remaining, from the same loader. */
@Resolver(() => ApplicationDeletionModel)
export class ApplicationDeletionResolver {
  constructor(@Inject(WithdrawalLoaders) private readonly loaders: WithdrawalLoaders) {}

  @ResolveField('remaining', () => Int, {
    description: 'Clusters that have not confirmed the withdrawal yet; 0 once deleted.',
  })
  async remaining(@Parent() deletion: ApplicationDeletionModel, @Context() context: GraphqlContext) {
    return (await this.loaders.of(context).ofApplication.load(deletion.applicationId)).length;
  }
}
