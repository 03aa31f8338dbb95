import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { type EventEntity, type EventTargetKind } from '../event.entity.js';
import { encodeCursor } from '../../graphql/cursor.js';
import { JsonScalar } from '../../graphql/json.scalar.js';
import { forwardPageInfo, PageInfoModel } from '../../graphql/page-info.js';

export const EventTargetKindEnum: { [K in EventTargetKind]: K } = {
  cluster: 'cluster',
  registrationToken: 'registrationToken',
  apiToken: 'apiToken',
  application: 'application',
  rollout: 'rollout',
  placement: 'placement',
  fleet: 'fleet',
  project: 'project',
  notificationSubscription: 'notificationSubscription',
};
registerEnumType(EventTargetKindEnum, { name: 'EventTargetKind', description: 'What an event is about.' });

@ObjectType('EventTarget')
export class EventTargetModel {
  @Field(() => EventTargetKindEnum) kind!: EventTargetKind;
  @Field(() => ID, {
    description:
      'The id of the cluster, token, application or rollout; of a placement: `<cluster id>/<application name>`; `fleet` for the fleet.',
  })
  id!: string;
}

@ObjectType('Event', { description: 'One entry of the audit trail: a mutation or a state transition.' })
export class EventModel {
  @Field(() => ID, { description: 'Increasing: a later event has a larger id.' }) id!: string;
  @Field(() => GraphQLISODateTime) occurredAt!: Date;
  @Field(() => String, {
    description: 'Audit name: token:<name>, bootstrap-admin, cluster:<name>, engine, git, …',
  })
  actor!: string;
  @Field(() => String, { description: 'e.g. application.created, rollout.started, rollout.paused' })
  action!: string;
  @Field(() => EventTargetModel) target!: EventTargetModel;
  @Field(() => String, {
    nullable: true,
    description:
      'The project of the target when the event was written (a project, its applications, their rollouts and placements, notification subscriptions to a project or to one of its applications); null outside projects.',
  })
  project!: string | null;
  @Field(() => JsonScalar, { nullable: true, description: 'What changed, as it was (never secrets).' })
  before!: unknown;
  @Field(() => JsonScalar, { nullable: true, description: 'What changed, as it became (never secrets).' })
  after!: unknown;
}

@ObjectType('EventEdge')
export class EventEdgeModel {
  @Field(() => String) cursor!: string;
  @Field(() => EventModel) node!: EventModel;
}

@ObjectType('EventConnection', {
  description: 'The audit trail, newest first, Relay-style (no totalCount: the trail is long).',
})
export class EventConnectionModel {
  @Field(() => [EventEdgeModel]) edges!: EventEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
}

export function toEventModel(event: EventEntity): EventModel {
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    actor: event.actor,
    action: event.action,
    target: { kind: event.targetKind, id: event.targetId },
    project: event.project ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
  };
}

export function toEventConnection(page: {
  events: EventEntity[];
  hasNextPage: boolean;
}): EventConnectionModel {
  const edges = page.events.map((event) => ({ cursor: encodeCursor(event.id), node: toEventModel(event) }));
  return {
    edges,
    pageInfo: forwardPageInfo(edges, page.hasNextPage),
  };
}
