import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type HubConfig } from './hub-config.js';

export const HUB_CONFIG = Symbol('HUB_CONFIG');

/** Serves the configuration validated in main.ts to every feature. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HubConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: HUB_CONFIG, useValue: config }],
      exports: [HUB_CONFIG],
    };
  }
}
