import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type GraphqlContext } from '../../graphql/graphql-context.js';
import { RolloutLoaders } from './rollout.loaders.js';
import { EtaModel, RolloutWaveModel, toEtaModel } from './rollout.model.js';

/**
 * RolloutWave.eta, resolved only when asked: an ETA may read the application's earlier rollouts,
 * which a response listing waves without their ETA should not pay for. Once per rollout per request.
 */
@Resolver(() => RolloutWaveModel)
export class RolloutWaveResolver {
  constructor(@Inject(RolloutLoaders) private readonly loaders: RolloutLoaders) {}

  @ResolveField('eta', () => EtaModel, {
    description: 'When the wave is expected to be done (soak not included).',
  })
  async eta(@Parent() wave: RolloutWaveModel, @Context() context: GraphqlContext): Promise<EtaModel> {
    const eta = await this.loaders.of(context).rolloutEta.load(wave.rolloutId);
    return toEtaModel(eta.waves[wave.index]!);
  }
}
