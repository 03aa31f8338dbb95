import { Module } from '@nestjs/common';
import {
  ApplicationSyncResolver,
  ClusterPlacementsResolver,
  PlacementLoaders,
  PlacementsResolver,
} from './graphql/placements.resolver.js';
import { PlacementsRepository } from './placements.repository.js';
import { PlacementsService } from './placements.service.js';

/**
 * The fleet status matrix (placements, Application.sync, Cluster.placements): a read model over
 * the other features' tables, so it sits above them all and no feature imports it.
 */
@Module({
  providers: [
    PlacementsRepository,
    PlacementsService,
    PlacementLoaders,
    PlacementsResolver,
    ClusterPlacementsResolver,
    ApplicationSyncResolver,
  ],
})
export class PlacementsModule {}
