import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { ProjectsModule } from '../projects/projects.module.js';
import { DeliveryWorker } from './delivery-worker.service.js';
import { NotificationLoaders, NotificationsResolver } from './graphql/notifications.resolver.js';
import { NotificationConsumer } from './notification-consumer.service.js';
import { NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';

/** Notifications: subscriptions, the consumer recording deliveries from the events topic, the sender. */
@Module({
  imports: [ApplicationsModule, ProjectsModule],
  providers: [
    NotificationsRepository,
    NotificationsService,
    NotificationConsumer,
    DeliveryWorker,
    NotificationLoaders,
    NotificationsResolver,
  ],
})
export class NotificationsModule {}
