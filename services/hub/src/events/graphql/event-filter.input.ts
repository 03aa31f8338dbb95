import { Field, GraphQLISODateTime, InputType } from '@nestjs/graphql';
import { EventTargetKindEnum } from './event.model.js';
import { type EventTargetKind } from '../event.entity.js';

/**
 * The audit trail's filters as one input (`events(filter: {…})`), as tooling that builds queries
 * expects; the same filters are also separate arguments of `events` (fleetctl's form). A filter
 * may be given one way or the other, not both.
 */
@InputType('EventFilter', { description: 'Every filter given must hold.' })
export class EventFilterInput {
  @Field(() => String, { nullable: true, description: 'Audit name, e.g. token:ci, engine, user:alice.' })
  actor?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'An action (rollout.started), or every action under a prefix ending in a dot (rollout.).',
  })
  action?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Project name (as recorded when each event happened).',
  })
  project?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Application name: events about it, its rollouts and its placements.',
  })
  application?: string | null;

  @Field(() => String, { nullable: true, description: 'Cluster name: events about it and its placements.' })
  cluster?: string | null;

  @Field(() => EventTargetKindEnum, { nullable: true })
  targetKind?: EventTargetKind | null;

  @Field(() => String, { nullable: true, description: 'The id of the target (needs targetKind).' })
  target?: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'At or after this time.' })
  since?: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Before this time.' })
  until?: Date | null;
}
