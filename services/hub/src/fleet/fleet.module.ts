import { Module } from '@nestjs/common';
import { FleetRepository } from './fleet.repository.js';
import { FleetService } from './fleet.service.js';
import { FleetResolver } from './graphql/fleet.resolver.js';

/** Fleet-wide controls (the freeze); rollouts read them through FleetService. */
@Module({
  providers: [FleetRepository, FleetService, FleetResolver],
  exports: [FleetService],
})
export class FleetModule {}
