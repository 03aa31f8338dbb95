import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type Clock, HUB_CLOCK, systemClock } from '../common/clock.js';
import { type HubConfig } from './hub-config.js';

export const HUB_CONFIG = Symbol('HUB_CONFIG');

/** Serves the configuration validated in main.ts, and the hub's clock, to every feature. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HubConfig, clock: Clock = systemClock): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: HUB_CONFIG, useValue: config },
        { provide: HUB_CLOCK, useValue: clock },
      ],
      exports: [HUB_CONFIG, HUB_CLOCK],
    };
  }
}
