import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type Actor } from '../../common/actor.js';
import { invalidArgument } from '../../common/domain-error.js';
import { CurrentActor } from '../../graphql/graphql-context.js';
import { dateArgument, uuidArgument } from '../../graphql/ids.js';
import {
  CreateRegistrationTokenInput,
  CreateRegistrationTokenPayload,
  RegistrationTokenModel,
  toRegistrationTokenModel,
} from './registration-token.model.js';
import { RegistrationService } from '../registration.service.js';

/** The description column is varchar(255). */
const MAX_DESCRIPTION_LENGTH = 255;

@Resolver(() => RegistrationTokenModel)
export class RegistrationResolver {
  constructor(@Inject(RegistrationService) private readonly registration: RegistrationService) {}

  @Query(() => [RegistrationTokenModel], {
    description: 'Every registration token, newest first. Never the secrets.',
  })
  async registrationTokens(@CurrentActor('viewer') _actor: Actor): Promise<RegistrationTokenModel[]> {
    return (await this.registration.listTokens()).map(toRegistrationTokenModel);
  }

  @Mutation(() => CreateRegistrationTokenPayload, {
    description: 'The secret is in the answer, and only there.',
  })
  async createRegistrationToken(
    @CurrentActor('operator') actor: Actor,
    @Args('input', { type: () => CreateRegistrationTokenInput }) input: CreateRegistrationTokenInput,
  ): Promise<CreateRegistrationTokenPayload> {
    if ((input.description?.length ?? 0) > MAX_DESCRIPTION_LENGTH) {
      throw invalidArgument(`description must be at most ${MAX_DESCRIPTION_LENGTH} characters`);
    }
    const { token, secret } = await this.registration.createToken(actor, {
      description: input.description ?? undefined,
      expiresAt: dateArgument(input.expiresAt, 'expiresAt'),
      maxUses: input.maxUses ?? undefined,
      defaultLabels: input.defaultLabels ?? undefined,
    });
    return { token: toRegistrationTokenModel(token), secret };
  }

  @Mutation(() => RegistrationTokenModel, {
    description: 'Agents can no longer register with it. Idempotent.',
  })
  async revokeRegistrationToken(
    @CurrentActor('operator') actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<RegistrationTokenModel> {
    return toRegistrationTokenModel(await this.registration.revokeToken(actor, uuidArgument(id)));
  }
}
