import { Module } from '@nestjs/common';
import { AgentAuthGuard } from '../clusters/agent-auth.guard.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { AgentRegistrationController } from './agent-registration.controller.js';
import { RegistrationResolver } from './graphql/registration.resolver.js';
import { RegistrationTokensRepository } from './registration-tokens.repository.js';
import { RegistrationService } from './registration.service.js';

@Module({
  imports: [ClustersModule],
  controllers: [AgentRegistrationController],
  providers: [RegistrationService, RegistrationTokensRepository, AgentAuthGuard, RegistrationResolver],
  exports: [RegistrationService],
})
export class RegistrationModule {}
