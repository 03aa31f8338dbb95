import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type Actor } from '../../common/actor.js';
import { CacheableFields, type CacheableRead } from '../../graphql/cacheable-fields.js';
import { uuidArgument } from '../../graphql/ids.js';
import { seesProject } from '../../projects/project-rules.js';
import { RolloutDetailCache } from '../rollout-detail-cache.js';
import { RolloutsService } from '../rollouts.service.js';
import { RolloutLoaders } from './rollout.loaders.js';

/**
 * Registers `rollout(id)` as a root field whose serialised answer the GraphQL layer may keep
 * (graphql/response-caching.ts). Every request still reads the rollout's row (one statement, as the
 * resolver does) and judges the caller on its project as `RolloutsResolver.rollout` does; only then
 * may an answer be served, and only one computed at the same RolloutDetailCache version of this row
 * (so every change this replica makes or is signalled about shows on the next read, the rest within
 * HUB_READ_CACHE_MS). What was read is handed to the request's loaders, so a miss reads nothing twice.
 */
@Injectable()
export class RolloutResponseCache implements OnModuleInit {
  constructor(
    @Inject(CacheableFields) private readonly fields: CacheableFields,
    @Inject(RolloutsService) private readonly rollouts: RolloutsService,
    @Inject(RolloutLoaders) private readonly loaders: RolloutLoaders,
    @Inject(RolloutDetailCache) private readonly details: RolloutDetailCache,
  ) {}

  onModuleInit(): void {
    this.fields.register('rollout', { read: (args, caller) => this.read(args, caller) });
  }

  async read(args: Readonly<Record<string, unknown>>, caller: Actor): Promise<CacheableRead | null> {
    const id = args['id'];
    if (typeof id !== 'string') return null;
    let uuid: string;
    try {
      uuid = uuidArgument(id);
    } catch {
      return null; // the resolver refuses it, with its code
    }
    const [view] = await this.rollouts.views([uuid]);
    // Not found, or not the caller's to see: the resolver answers (null), nothing is kept.
    if (view === undefined || !seesProject(caller, view.application.project)) return null;
    return {
      scope: `rollout:${uuid}`,
      version: this.details.versionOf(view),
      prepare: (context) => this.loaders.rememberRollouts(context, [view]),
    };
  }
}
