import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { NOTIFICATION_KINDS } from '../notification-kinds.js';
import { type StoredDelivery, type StoredSubscription } from '../notifications.repository.js';
import { targetOrigin } from '../target-url.js';

@ObjectType('NotificationDelivery', { description: 'One event sent (or being sent) to one subscription.' })
export class NotificationDeliveryModel {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The audit event (Event.id) this delivery carries.' }) eventId!: string;
  @Field(() => String) kind!: string;
  @Field(() => String, { description: 'pending (to send or retry), delivered, or failed (given up).' })
  status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status at the last attempt." })
  lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the next attempt is due.' })
  nextAttemptAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType('NotificationSubscription', {
  description:
    'Where events of some kinds are sent. The secret and the URL path are write-only (an incoming webhook path is a credential).',
})
export class NotificationSubscriptionModel {
  @Field(() => ID) id!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The application; null (and no project): every application, and clusters going offline.',
  })
  application!: string | null;
  @Field(() => String, { nullable: true, description: "A project: every one of its applications' events." })
  project!: string | null;
  @Field(() => [String]) kinds!: string[];
  @Field(() => String, { description: '`webhook` (Fleetwave JSON) or `slack` (`{"text": …}`).' })
  format!: string;
  @Field(() => String, { description: 'Scheme, host and port of the receiver.' }) targetOrigin!: string;
  @Field(() => Boolean, { description: 'Whether bodies are signed (X-Fleetwave-Signature).' })
  signed!: boolean;
  @Field(() => String) createdBy!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@InputType('CreateNotificationSubscriptionInput')
export class CreateNotificationSubscriptionInput {
  @Field(() => String, {
    nullable: true,
    description: 'An application by name; with neither it nor `project`: everything (fleet admins only).',
  })
  application?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "A project: its applications' events (an admin of the project may subscribe). Not with `application`.",
  })
  project?: string | null;
  @Field(() => [String], { description: `Event kinds: ${NOTIFICATION_KINDS.join(', ')}.` })
  kinds!: string[];
  @Field(() => String, { description: '`webhook` (default) or `slack`.', nullable: true })
  format?: string | null;
  @Field(() => String, { description: 'The receiver: an http(s) URL without user or password.' })
  url!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'HMAC-SHA256 key (16 to 512 characters) for X-Fleetwave-Signature; required for `webhook`. Write-only.',
  })
  secret?: string | null;
}

export function toSubscriptionModel(s: StoredSubscription): NotificationSubscriptionModel {
  return {
    id: s.id,
    application: s.application,
    project: s.project,
    kinds: s.kinds,
    format: s.format,
    targetOrigin: targetOrigin(s.url),
    signed: s.hasSecret,
    createdBy: s.createdBy,
    createdAt: s.createdAt,
  };
}

export function toDeliveryModel(d: StoredDelivery): NotificationDeliveryModel {
  return {
    id: d.id,
    eventId: d.eventId,
    kind: d.kind,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt,
    deliveredAt: d.deliveredAt,
    createdAt: d.createdAt,
  };
}
