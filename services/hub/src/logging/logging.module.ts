import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type Logger } from 'pino';

export const LOGGER = Symbol('LOGGER');

/** The process's pino logger, for code that logs outside Nest's own Logger (kafkajs, TypeORM). */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggingModule, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}
