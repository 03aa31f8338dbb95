import { Global, Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module.js';
import { ROLLOUT_STARTER } from '../applications/rollout-starter.js';
import { AssignmentsModule } from '../assignments/assignments.module.js';
import { BundlesModule } from '../bundles/bundles.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { FleetModule } from '../fleet/fleet.module.js';
import { ProjectsModule } from '../projects/projects.module.js';
import { CacheableFieldsModule } from '../graphql/cacheable-fields.js';
import { ReportsModule } from '../reports/reports.module.js';
import { CatchupLane } from './catchup-lane.js';
import { WithdrawalSweep } from './withdrawal-sweep.js';
import { FleetGates } from './fleet-gates.js';
import { GitRolloutStarter } from './git-rollout-starter.js';
import { ApplicationRolloutsResolver } from './graphql/application-rollouts.resolver.js';
import { RolloutLoaders } from './graphql/rollout.loaders.js';
import { RolloutResponseCache } from './graphql/rollout-response-cache.js';
import { RolloutWaveResolver } from './graphql/rollout-wave.resolver.js';
import { RolloutsResolver } from './graphql/rollouts.resolver.js';
import { Preflight } from './preflight.js';
import { RolloutDetailCache } from './rollout-detail-cache.js';
import { RolloutFactory } from './rollout-factory.js';
import { RolloutPassService } from './rollout-pass.service.js';
import { RolloutScheduler } from './rollout-scheduler.js';
import { RolloutsRepository } from './rollouts.repository.js';
import { RolloutsService } from './rollouts.service.js';
import { WatchAfterSuccess } from './watch-after-success.js';
import { CheckJobsController } from './verification/check-jobs.controller.js';
import { CheckJobs } from './verification/check-jobs.service.js';
import { VerificationRunner } from './verification/verification-runner.service.js';
import { VerificationRepository } from './verification/verification.repository.js';

/**
 * Rollouts and the engine that drives them, over applications, assignments and bundles (imports run
 * this way only). Global only to hand applications' git-sync the ROLLOUT_STARTER port it declares:
 * importing this module there would be a cycle.
 */
@Global()
@Module({
  imports: [
    ClustersModule,
    ReportsModule,
    FleetModule,
    ApplicationsModule,
    AssignmentsModule,
    BundlesModule,
    ProjectsModule,
    CacheableFieldsModule,
  ],
  controllers: [CheckJobsController],
  providers: [
    CatchupLane,
    WithdrawalSweep,
    FleetGates,
    Preflight,
    RolloutDetailCache,
    RolloutResponseCache,
    RolloutFactory,
    RolloutPassService,
    RolloutScheduler,
    RolloutsRepository,
    RolloutsService,
    VerificationRepository,
    VerificationRunner,
    CheckJobs,
    RolloutsResolver,
    RolloutWaveResolver,
    ApplicationRolloutsResolver,
    RolloutLoaders,
    WatchAfterSuccess,
    { provide: ROLLOUT_STARTER, useClass: GitRolloutStarter },
  ],
  exports: [ROLLOUT_STARTER],
})
export class RolloutsModule {}
