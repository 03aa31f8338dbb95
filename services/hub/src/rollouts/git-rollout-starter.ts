import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ApplicationRecord } from '../applications/applications.repository.js';
import { type RolloutStarter } from '../applications/rollout-starter.js';
import { type NewEvent } from '../events/events.repository.js';
import { RolloutsRepository } from './rollouts.repository.js';
import { RolloutsService } from './rollouts.service.js';

/**
 * Starts the rollout of a new commit for git-sync (the port applications declare), once per commit,
 * never of a vetoed one.
 */
@Injectable()
export class GitRolloutStarter implements RolloutStarter {
  constructor(
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(RolloutsService) private readonly service: RolloutsService,
  ) {}

  async startIfNew(
    tx: EntityManager,
    app: ApplicationRecord,
    commit: string,
  ): Promise<{ id: string; events: NewEvent[] } | null> {
    if (await this.rollouts.existsForCommit(tx, app.id, commit)) return null;
    // A vetoed commit starts nothing; the application shows the veto instead of a sync error.
    const created = await this.service.startInTransaction(tx, app, commit, 'git');
    return created && { id: created.id, events: created.events };
  }

  kick(ids: readonly string[]): void {
    this.service.kick(ids);
  }
}
