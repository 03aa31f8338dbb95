import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { type MercuriusDriverConfig } from '@nestjs/mercurius';
import { type Logger } from 'pino';
import { SqlStatementCounter } from '../database/sql-statements.js';
import { LOGGER } from '../logging/logging.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { GRAPHQL_AUTHENTICATOR, type GraphqlAuthenticator } from './graphql-authenticator.js';
import { graphqlOptions } from './graphql-options.js';
import { HubMercuriusDriver } from './hub-mercurius.driver.js';
import { StatementMetering } from './statement-metering.js';

export interface GraphqlModuleOptions {
  /** Modules that provide GRAPHQL_AUTHENTICATOR (the auth feature): named by the app, not imported here. */
  authentication: NonNullable<ModuleMetadata['imports']>;
}

/**
 * The GraphQL API at /graphql (queries, mutations, subscriptions): the driver and its options only
 * (see graphql-options.ts). Resolvers live in their feature modules, which the app module lists;
 * @nestjs/graphql collects them from every module, so this module imports no feature.
 */
@Module({})
export class GraphqlModule {
  static forRoot({ authentication }: GraphqlModuleOptions): DynamicModule {
    return {
      module: GraphqlModule,
      imports: [
        GraphQLModule.forRootAsync<MercuriusDriverConfig>({
          driver: HubMercuriusDriver,
          imports: authentication,
          inject: [GRAPHQL_AUTHENTICATOR, LOGGER, SqlStatementCounter, MetricsService],
          useFactory: (
            auth: GraphqlAuthenticator,
            logger: Logger,
            statements: SqlStatementCounter,
            metrics: MetricsService,
          ) =>
            graphqlOptions(
              auth,
              logger,
              // Per-request counts only when asked for: they cost async hooks process-wide.
              statements.perScope
                ? new StatementMetering(statements, metrics.graphqlSqlStatements)
                : undefined,
            ),
        }),
      ],
    };
  }
}
