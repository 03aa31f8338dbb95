import { Inject, Injectable } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { type Actor } from '../../common/actor.js';
import { invalidArgument } from '../../common/domain-error.js';
import { CurrentCaller, type GraphqlContext } from '../../graphql/graphql-context.js';
import { type RequestLoaderFactory, requestLoaders } from '../../graphql/request-loaders.js';
import { NotificationsRepository, type StoredDelivery } from '../notifications.repository.js';
import { NotificationsService } from '../notifications.service.js';
import {
  CreateNotificationSubscriptionInput,
  NotificationDeliveryModel,
  NotificationSubscriptionModel,
  toDeliveryModel,
  toSubscriptionModel,
} from './notification.model.js';

const MAX_DELIVERIES = 200;

/** Per request, per page size: the deliveries of every listed subscription in one statement. */
type DeliveryLoaders = Map<number, DataLoader<string, StoredDelivery[]>>;

@Injectable()
export class NotificationLoaders implements RequestLoaderFactory<DeliveryLoaders> {
  constructor(@Inject(NotificationsRepository) private readonly notifications: NotificationsRepository) {}

  deliveries(context: GraphqlContext, limit: number): DataLoader<string, StoredDelivery[]> {
    const loaders = requestLoaders(context, this);
    let loader = loaders.get(limit);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const rows = await this.notifications.deliveries(ids, limit);
        return ids.map((id) => rows.filter((r) => r.subscriptionId === id));
      });
      loaders.set(limit, loader);
    }
    return loader;
  }

  create(): DeliveryLoaders {
    return new Map();
  }
}

/**
 * Thin: arguments → NotificationsService → models. Whoever sees a subscription's project (or, for
 * the fleet's, a fleet-wide role) reads it; its project's admins (fleet admins) manage it.
 */
@Resolver(() => NotificationSubscriptionModel)
export class NotificationsResolver {
  constructor(
    @Inject(NotificationsService) private readonly service: NotificationsService,
    @Inject(NotificationLoaders) private readonly loaders: NotificationLoaders,
  ) {}

  @Query(() => [NotificationSubscriptionModel], {
    description: 'The notification subscriptions the caller may see, oldest first.',
  })
  async notificationSubscriptions(@CurrentCaller() actor: Actor): Promise<NotificationSubscriptionModel[]> {
    return (await this.service.list(actor)).map(toSubscriptionModel);
  }

  @Query(() => NotificationSubscriptionModel, {
    nullable: true,
    description: 'One subscription; null when there is none or the caller may not see it.',
  })
  async notificationSubscription(
    @CurrentCaller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<NotificationSubscriptionModel | null> {
    const found = await this.service.find(actor, id);
    return found === null ? null : toSubscriptionModel(found);
  }

  @Mutation(() => NotificationSubscriptionModel, {
    description:
      "Subscribes a receiver to event kinds (INVALID_ARGUMENT for an unknown kind, a bad URL or secret). Fleet admin, or the project's admin for a project's or an application's; audited.",
  })
  async createNotificationSubscription(
    @CurrentCaller() actor: Actor,
    @Args('input', { type: () => CreateNotificationSubscriptionInput })
    input: CreateNotificationSubscriptionInput,
  ): Promise<NotificationSubscriptionModel> {
    const created = await this.service.create(actor, {
      application: input.application ?? null,
      project: input.project ?? null,
      kinds: input.kinds,
      format: input.format ?? 'webhook',
      url: input.url,
      secret: input.secret ?? null,
    });
    return toSubscriptionModel(created);
  }

  @Mutation(() => NotificationSubscriptionModel, {
    description:
      'Deletes a subscription and its delivery log (NOT_FOUND when there is none or it is not visible). Who may create it; audited.',
  })
  async deleteNotificationSubscription(
    @CurrentCaller() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<NotificationSubscriptionModel> {
    return toSubscriptionModel(await this.service.delete(actor, id));
  }

  @ResolveField('deliveries', () => [NotificationDeliveryModel], {
    description: 'The delivery log, newest first.',
  })
  async deliveries(
    @Parent() subscription: NotificationSubscriptionModel,
    @Context() context: GraphqlContext,
    @Args('first', { type: () => Int, defaultValue: 50, description: `At most ${MAX_DELIVERIES}.` })
    first: number,
  ): Promise<NotificationDeliveryModel[]> {
    if (first < 1 || first > MAX_DELIVERIES) throw invalidArgument(`first: must be 1 to ${MAX_DELIVERIES}`);
    return (await this.loaders.deliveries(context, first).load(subscription.id)).map(toDeliveryModel);
  }
}
