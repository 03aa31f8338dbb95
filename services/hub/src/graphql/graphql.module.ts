import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { type MercuriusDriverConfig } from '@nestjs/mercurius';
import { type Logger } from 'pino';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { SqlStatementCounter } from '../database/sql-statements.js';
import { LOGGER } from '../logging/logging.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { CacheableFields, CacheableFieldsModule } from './cacheable-fields.js';
import { GRAPHQL_AUTHENTICATOR, type GraphqlAuthenticator } from './graphql-authenticator.js';
import { graphqlOptions } from './graphql-options.js';
import { HubMercuriusDriver } from './hub-mercurius.driver.js';
import { ResponseCaching } from './response-caching.js';
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
          imports: [...authentication, CacheableFieldsModule],
          inject: [
            GRAPHQL_AUTHENTICATOR,
            LOGGER,
            SqlStatementCounter,
            MetricsService,
            CacheableFields,
            HUB_CONFIG,
            HUB_CLOCK,
          ],
          useFactory: (
            auth: GraphqlAuthenticator,
            logger: Logger,
            statements: SqlStatementCounter,
            metrics: MetricsService,
            fields: CacheableFields,
            config: HubConfig,
            clock: Clock,
          ) => {
            // Per-request counts only when asked for: they cost async hooks process-wide.
            const metering = statements.perScope
              ? new StatementMetering(statements, metrics.graphqlSqlStatements)
              : undefined;
            const caching = new ResponseCaching(fields, auth, {
              maxAgeMs: config.reads.cacheMs,
              clock,
              results: metrics.graphqlResponseCache,
              ...(metering && { served: metering.executes }),
            });
            return graphqlOptions(auth, logger, metering, caching);
          },
        }),
      ],
    };
  }
}
