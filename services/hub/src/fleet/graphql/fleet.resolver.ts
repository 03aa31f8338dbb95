import { Inject } from '@nestjs/common';
import { Args, GraphQLISODateTime, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../common/actor.js';
import { CurrentActor } from '../../graphql/graphql-context.js';
import { FleetService } from '../fleet.service.js';
import { FleetModel, toFleetModel } from './fleet.model.js';

/** Thin: arguments → FleetService → GraphQL models. Freezing and unfreezing need the admin role. */
@Resolver(() => FleetModel)
export class FleetResolver {
  constructor(@Inject(FleetService) private readonly service: FleetService) {}

  @Query(() => FleetModel, { description: 'Fleet-wide controls: the freeze.' })
  async fleet(@CurrentActor('viewer') _actor: Actor): Promise<FleetModel> {
    return toFleetModel(await this.service.freeze());
  }

  @Mutation(() => FleetModel, {
    description:
      'Freezes the fleet: no rollout starts its next wave and no catch-up starts until `until` (or until unfrozen); clusters in flight finish. Replaces an earlier freeze. Admin; audited.',
  })
  async freezeFleet(
    @CurrentActor('admin') actor: Actor,
    @Args('reason', { type: () => String }) reason: string,
    @Args('until', {
      type: () => GraphQLISODateTime,
      nullable: true,
      description: 'When it lifts by itself (in the future); null: when an admin unfreezes.',
    })
    until: Date | null,
  ): Promise<FleetModel> {
    return toFleetModel(await this.service.freezeFleet(actor, reason, until ?? null));
  }

  @Mutation(() => FleetModel, {
    description: 'Lifts the freeze (FAILED_PRECONDITION when there is none). Admin; audited.',
  })
  async unfreezeFleet(@CurrentActor('admin') actor: Actor): Promise<FleetModel> {
    await this.service.unfreezeFleet(actor);
    return toFleetModel(null);
  }
}
