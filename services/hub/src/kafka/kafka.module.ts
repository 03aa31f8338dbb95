import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { kafkaConnectionOptions, KafkaSecurityError, PLAINTEXT_KAFKA } from '@fleetwave/contracts';
import { type Admin, Kafka, logLevel } from 'kafkajs';
import { type Logger } from 'pino';
import { HUB_CONFIG } from '../config/config.module.js';
import { ConfigError, type HubConfig } from '../config/hub-config.js';
import { LOGGER } from '../logging/logging.module.js';
import { kafkajsLogCreator } from './kafkajs-logger.js';

export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');

/**
 * The hub's kafkajs client. The admin connects lazily: a hub whose Kafka is down still starts,
 * serves what it can and reports not-ready, instead of crash-looping.
 */
/**
 * TLS and SASL options from the files and variables the config names, read once at start-up; one
 * that cannot be read stops the hub with a ConfigError naming it (never its content).
 */
function connectionSecurity(config: HubConfig) {
  try {
    return kafkaConnectionOptions(config.kafka.security ?? PLAINTEXT_KAFKA, {
      readFile: (file) => readFileSync(file, 'utf8'),
      variable: (name) => process.env[name],
    });
  } catch (error) {
    if (error instanceof KafkaSecurityError) throw new ConfigError(error.problems);
    throw error;
  }
}

@Global()
@Module({
  providers: [
    {
      provide: Kafka,
      inject: [HUB_CONFIG, LOGGER],
      useFactory: (config: HubConfig, logger: Logger) =>
        new Kafka({
          clientId: 'fleetwave-hub',
          brokers: config.kafka.brokers,
          ...connectionSecurity(config),
          logLevel: logLevel.WARN,
          logCreator: kafkajsLogCreator(logger),
          connectionTimeout: 3_000,
          retry: { retries: 2 },
        }),
    },
    { provide: KAFKA_ADMIN, inject: [Kafka], useFactory: (kafka: Kafka) => kafka.admin() },
  ],
  exports: [Kafka, KAFKA_ADMIN],
})
export class KafkaModule implements OnApplicationShutdown {
  constructor(@Inject(KAFKA_ADMIN) private readonly admin: Admin) {}

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }
}
