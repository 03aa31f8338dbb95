import { Module } from '@nestjs/common';
import { AgentAuthGuard } from '../auth/agent-auth.guard.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { AgentRegistrationController } from './agent-registration.controller.js';
import { RegistrationTokensRepository } from './registration-tokens.repository.js';
import { RegistrationService } from './registration.service.js';

@Module({
  imports: [ClustersModule],
  controllers: [AgentRegistrationController],
  providers: [RegistrationService, RegistrationTokensRepository, AgentAuthGuard],
  exports: [RegistrationService],
})
export class RegistrationModule {}
