import { Inject } from '@nestjs/common';
import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor, type Role } from '../../common/actor.js';
import { CurrentActor } from '../../graphql/graphql-context.js';
import { uuidArgument } from '../../graphql/ids.js';
import { RoleEnum } from '../../graphql/role.enum.js';
import { ApiTokenModel, CreateApiTokenPayload, toApiTokenModel } from './api-token.model.js';
import { ApiTokensService } from '../api-tokens.service.js';

@Resolver(() => ApiTokenModel)
export class ApiTokensResolver {
  constructor(@Inject(ApiTokensService) private readonly tokens: ApiTokensService) {}

  @Query(() => [ApiTokenModel], { description: 'Every API token, newest first. Never the secrets.' })
  async apiTokens(@CurrentActor('viewer') _actor: Actor): Promise<ApiTokenModel[]> {
    return (await this.tokens.list()).map(toApiTokenModel);
  }

  @Mutation(() => CreateApiTokenPayload, {
    description:
      'Admin only. The secret is in the answer, and only there. The token expires after expiresIn seconds, else after HUB_API_TOKEN_DEFAULT_TTL_SECONDS; longer than HUB_API_TOKEN_MAX_TTL_SECONDS is refused (INVALID_ARGUMENT).',
  })
  async createApiToken(
    @CurrentActor('admin') actor: Actor,
    @Args('name', { type: () => String }) name: string,
    @Args('role', { type: () => RoleEnum }) role: Role,
    @Args('project', {
      type: () => String,
      nullable: true,
      description: 'Binds the token to one project: role is its role there, and it holds none fleet-wide.',
    })
    project: string | null,
    @Args('expiresIn', { type: () => Int, nullable: true, description: 'Lifetime in seconds.' })
    expiresIn?: number | null,
  ): Promise<CreateApiTokenPayload> {
    const { token, secret } = await this.tokens.create(
      actor,
      name,
      role,
      project ?? null,
      expiresIn ?? undefined,
    );
    return { token: toApiTokenModel(token), secret };
  }

  @Mutation(() => ApiTokenModel, { description: 'Admin only. The token stops working at once. Idempotent.' })
  async revokeApiToken(
    @CurrentActor('admin') actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ApiTokenModel> {
    return toApiTokenModel(await this.tokens.revoke(actor, uuidArgument(id)));
  }
}
