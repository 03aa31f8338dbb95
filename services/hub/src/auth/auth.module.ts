import { Module } from '@nestjs/common';
import { ApiTokensRepository } from './api-tokens.repository.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthService } from './auth.service.js';

/** API callers: API tokens, the bootstrap admin token, and resolving either to an Actor. */
@Module({
  providers: [ApiTokensRepository, ApiTokensService, AuthService],
  exports: [ApiTokensService, AuthService],
})
export class AuthModule {}
