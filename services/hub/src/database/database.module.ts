import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { createDataSource, runMigrationsExclusively } from './data-source.js';
import { SqlStatementCounter } from './sql-statements.js';
import { Transactions } from './transactions.js';

const ENTITIES = Symbol('DatabaseEntities');

/**
 * Connects to Postgres and brings the schema up to date before anything else starts. The app passes
 * the features' entities in, so database/ (used by every feature) imports none of them.
 */
@Global()
@Module({
  providers: [
    // A factory, not a value: hubs sharing a process (tests) each count their own statements.
    {
      provide: SqlStatementCounter,
      inject: [HUB_CONFIG],
      useFactory: (config: HubConfig) => new SqlStatementCounter(config.database.statementsPerRequest),
    },
    {
      provide: DataSource,
      inject: [HUB_CONFIG, SqlStatementCounter, ENTITIES],
      useFactory: async (
        config: HubConfig,
        statements: SqlStatementCounter,
        entities: DataSourceOptions['entities'],
      ) => {
        const dataSource = await createDataSource({ ...config.database, entities, statements }).initialize();
        await runMigrationsExclusively(dataSource);
        return dataSource;
      },
    },
    Transactions,
  ],
  exports: [DataSource, SqlStatementCounter, Transactions],
})
export class DatabaseModule implements OnApplicationShutdown {
  static forRoot(entities: DataSourceOptions['entities']): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: ENTITIES, useValue: entities }] };
  }

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
