import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { type Clock } from './common/clock.js';
import { type HubConfig } from './config/hub-config.js';
import { createLogger, NestPinoLogger } from './logging/logger.js';

/**
 * Builds the hub application; used by main.ts and by tests that boot a real hub (which may give it
 * a clock of their own).
 */
export async function createHubApp(
  config: HubConfig,
  options: { clock?: Clock } = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, options.clock),
    // Agent and API requests are small; anything bigger is refused before it is parsed.
    new FastifyAdapter({ loggerInstance: logger, bodyLimit: 256 * 1024, disableRequestLogging: true }),
    // rawBody: push webhooks are verified against the exact bytes that were signed.
    { logger: new NestPinoLogger(logger), abortOnError: false, rawBody: true },
  );
  app.enableShutdownHooks();
  return app;
}
