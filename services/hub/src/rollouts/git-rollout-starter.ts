import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { type RolloutStarter } from '../applications/rollout-starter.js';
import { type NewEvent } from '../events/events.repository.js';
import { RolloutFactory } from './rollout-factory.js';
import { RolloutsRepository } from './rollouts.repository.js';
import { RolloutsService } from './rollouts.service.js';

/**
 * Starts the rollout of a new commit for git-sync (the port applications declare), once per commit,
 * never of a vetoed one; aborts an application's rollouts when it is being deleted.
 */
@Injectable()
export class GitRolloutStarter implements RolloutStarter {
  constructor(
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(RolloutsService) private readonly service: RolloutsService,
    @Inject(RolloutFactory) private readonly factory: RolloutFactory,
  ) {}

  abortAll(tx: EntityManager, applicationId: string, actor: string): Promise<NewEvent[]> {
    return this.factory.endActive(tx, applicationId, actor, 'Aborted', 'the application is being deleted');
  }

  startIfNew(applicationId: string, commit: string): Promise<string | null> {
    // Asked before rendering (so a commit already rolled out is not rendered again on every poll)
    // and again under the application's lock, which decides. A vetoed commit starts nothing: the
    // application shows the veto instead of a sync error.
    return this.service.startRendered('git', { automatic: true, force: false }, async (tx, lock) => {
      const current = lock
        ? await this.applications.lockById(tx, applicationId)
        : await this.applications.findById(applicationId, tx);
      if (current === null || current.syncPolicy !== 'auto') return null;
      if (await this.rollouts.existsForCommit(tx, applicationId, commit)) return null;
      return { app: current, commit };
    });
  }

  kick(ids: readonly string[]): void {
    this.service.kick(ids);
  }
}
