import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { type StoredFreeze } from '../fleet.repository.js';

@ObjectType('FleetFreeze', {
  description:
    'While set, no rollout starts its next wave and no catch-up starts; clusters in flight finish.',
})
export class FleetFreezeModel {
  @Field(() => String) reason!: string;
  @Field(() => String, { description: 'The admin who froze the fleet (audit name).' }) by!: string;
  @Field(() => GraphQLISODateTime) since!: Date;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When it lifts by itself; null: when an admin unfreezes.',
  })
  until!: Date | null;
}

@ObjectType('Fleet', { description: 'Fleet-wide controls.' })
export class FleetModel {
  @Field(() => FleetFreezeModel, { nullable: true, description: 'The freeze holding now, if any.' })
  freeze!: FleetFreezeModel | null;
}

export function toFleetModel(freeze: StoredFreeze | null): FleetModel {
  return { freeze: freeze === null ? null : { ...freeze } };
}
