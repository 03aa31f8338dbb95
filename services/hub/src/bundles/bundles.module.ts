import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module.js';
import { AgentAuthGuard } from '../clusters/agent-auth.guard.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { BundlesController } from './bundles.controller.js';
import { BundleRenderer } from './bundle-renderer.js';
import { BundlesRepository } from './bundles.repository.js';

/**
 * Rendered bundles: rendered once per distinct input (the render cache), stored content-addressed
 * and served to the clusters they are assigned to.
 */
@Module({
  imports: [ClustersModule, AssignmentsModule],
  controllers: [BundlesController],
  providers: [AgentAuthGuard, BundlesRepository, BundleRenderer],
  exports: [BundlesRepository, BundleRenderer],
})
export class BundlesModule {}
