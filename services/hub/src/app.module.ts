import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from './config/config.module.js';
import { type HubConfig } from './config/hub-config.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { KafkaModule } from './kafka/kafka.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { type Logger } from 'pino';

@Module({})
export class AppModule {
  static forRoot(config: HubConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        DatabaseModule,
        KafkaModule,
        HealthModule,
      ],
    };
  }
}
