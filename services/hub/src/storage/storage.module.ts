import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { BundlesModule } from '../bundles/bundles.module.js';
import { GarbageCollector } from './garbage-collector.js';

/** Bounded storage: the garbage collector of bundles and revision artifacts. */
@Module({
  imports: [ApplicationsModule, BundlesModule],
  providers: [GarbageCollector],
  exports: [GarbageCollector],
})
export class StorageModule {}
