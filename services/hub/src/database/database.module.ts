import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { createDataSource, runMigrationsExclusively } from './data-source.js';
import { Transactions } from './transactions.js';

/** Connects to Postgres and brings the schema up to date before anything else starts. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [HUB_CONFIG],
      useFactory: async (config: HubConfig) => {
        const dataSource = await createDataSource(config.database).initialize();
        await runMigrationsExclusively(dataSource);
        return dataSource;
      },
    },
    Transactions,
  ],
  exports: [DataSource, Transactions],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
