import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { type Logger } from 'pino';
import { ApplicationsModule } from './applications/applications.module.js';
import { AssignmentsModule } from './assignments/assignments.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BundlesModule } from './bundles/bundles.module.js';
import { ClustersModule } from './clusters/clusters.module.js';
import { type Clock, systemClock } from './common/clock.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { ConfigModule } from './config/config.module.js';
import { type HubConfig } from './config/hub-config.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DatabaseModule } from './database/database.module.js';
import { entities } from './entities.js';
import { EventsModule } from './events/events.module.js';
import { FleetModule } from './fleet/fleet.module.js';
import { GraphqlModule } from './graphql/graphql.module.js';
import { HealthModule } from './health/health.module.js';
import { KafkaModule } from './kafka/kafka.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { PlacementsModule } from './placements/placements.module.js';
import { ProjectsModule } from './projects/projects.module.js';
import { RegistrationModule } from './registration/registration.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RolloutsModule } from './rollouts/rollouts.module.js';
import { StorageModule } from './storage/storage.module.js';

@Module({})
export class AppModule {
  static forRoot(config: HubConfig, logger: Logger, clock: Clock = systemClock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // infrastructure
        ConfigModule.forRoot(config, clock),
        LoggingModule.forRoot(logger),
        DatabaseModule.forRoot(entities),
        KafkaModule,
        EventsModule,
        MetricsModule,
        HealthModule,
        GraphqlModule.forRoot({ authentication: [AuthModule] }),
        // features, each registering its own controllers and resolvers
        AuthModule,
        ClustersModule,
        RegistrationModule,
        ReportsModule,
        FleetModule,
        ProjectsModule,
        ApplicationsModule,
        AssignmentsModule,
        BundlesModule,
        RolloutsModule,
        PlacementsModule,
        StorageModule,
        NotificationsModule,
        DashboardModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }
}
