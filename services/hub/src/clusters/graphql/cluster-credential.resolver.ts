import { Inject } from '@nestjs/common';
import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Clock, HUB_CLOCK } from '../../common/clock.js';
import { credentialState, type CredentialState } from '../cluster-credential.js';
import { ClusterCredentialModel, CredentialStateEnum } from './cluster.model.js';

/** A credential's state depends on when it is asked: judged by the hub clock. */
@Resolver(() => ClusterCredentialModel)
export class ClusterCredentialResolver {
  constructor(@Inject(HUB_CLOCK) private readonly clock: Clock) {}

  @ResolveField(() => CredentialStateEnum)
  state(@Parent() credential: ClusterCredentialModel): CredentialState {
    return credentialState(credential, this.clock.now());
  }
}
