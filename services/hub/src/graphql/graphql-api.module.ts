import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { type MercuriusDriverConfig } from '@nestjs/mercurius';
import { type Logger } from 'pino';
import { ApplicationsResolver } from '../applications/applications.resolver.js';
import { ApiTokensResolver } from '../auth/api-tokens.resolver.js';
import { AuthModule } from '../auth/auth.module.js';
import { AuthService } from '../auth/auth.service.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { ClustersResolver } from '../clusters/clusters.resolver.js';
import { EventsModule } from '../events/events.module.js';
import { EventsResolver } from '../events/events.resolver.js';
import { SqlStatementCounter } from '../database/sql-statements.js';
import { LOGGER } from '../logging/logging.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RegistrationModule } from '../registration/registration.module.js';
import { RegistrationResolver } from '../registration/registration.resolver.js';
import { RolloutsModule } from '../rollouts/rollouts.module.js';
import { RolloutsResolver } from '../rollouts/rollouts.resolver.js';
import { ClusterChangesFeed } from './cluster-changes.feed.js';
import { GraphqlLoaders } from './request-loaders.js';
import { graphqlOptions } from './graphql-options.js';
import { HubMercuriusDriver } from './hub-mercurius.driver.js';
import { StatementMetering } from './statement-metering.js';

/** The GraphQL API at /graphql (queries, mutations, subscriptions). See graphql-options.ts. */
@Module({
  imports: [
    EventsModule,
    AuthModule,
    ClustersModule,
    RegistrationModule,
    RolloutsModule,
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: HubMercuriusDriver,
      imports: [AuthModule],
      inject: [AuthService, LOGGER, SqlStatementCounter, MetricsService],
      useFactory: (
        auth: AuthService,
        logger: Logger,
        statements: SqlStatementCounter,
        metrics: MetricsService,
      ) => graphqlOptions(auth, logger, new StatementMetering(statements, metrics.graphqlSqlStatements)),
    }),
  ],
  providers: [
    ClustersResolver,
    RegistrationResolver,
    ApiTokensResolver,
    ApplicationsResolver,
    RolloutsResolver,
    EventsResolver,
    GraphqlLoaders,
    ClusterChangesFeed,
  ],
  exports: [ClusterChangesFeed],
})
export class GraphqlApiModule {}
