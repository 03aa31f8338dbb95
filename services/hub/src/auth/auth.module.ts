import { Module } from '@nestjs/common';
import { ApiTokenCache } from './api-token-cache.js';
import { ApiTokensRepository } from './api-tokens.repository.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthService } from './auth.service.js';
import { AuthConfigController } from './auth-config.controller.js';
import { ApiTokensResolver } from './graphql/api-tokens.resolver.js';
import { ViewerResolver } from './graphql/viewer.resolver.js';
import { ViewerProjectsResolver } from './graphql/viewer-projects.resolver.js';
import { GRAPHQL_AUTHENTICATOR } from '../graphql/graphql-authenticator.js';
import { ProjectsModule } from '../projects/projects.module.js';

/** API callers: API tokens, the bootstrap admin token, SSO (OIDC) users, and resolving each to an Actor. */
@Module({
  imports: [ProjectsModule],
  controllers: [AuthConfigController],
  providers: [
    ApiTokenCache,
    ApiTokensRepository,
    ApiTokensService,
    AuthService,
    ApiTokensResolver,
    ViewerResolver,
    ViewerProjectsResolver,
    // What the GraphQL infrastructure authenticates callers with (it declares the port, auth fills it).
    { provide: GRAPHQL_AUTHENTICATOR, useExisting: AuthService },
  ],
  exports: [ApiTokensService, AuthService, GRAPHQL_AUTHENTICATOR],
})
export class AuthModule {}
