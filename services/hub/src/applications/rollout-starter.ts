import { type EntityManager } from 'typeorm';
import { type NewEvent } from '../events/events.repository.js';
import { type ApplicationRecord } from './applications.repository.js';

/**
 * What git-sync needs from rollouts when a new commit arrives under the auto policy. Declared here
 * and provided by the rollouts feature (ROLLOUT_STARTER), because rollouts import applications and
 * not the other way round.
 */
export interface RolloutStarter {
  /**
   * Within `tx`, which holds the application's row lock: starts a rollout of `commit` unless one was
   * already started for it (by any replica) or the commit is vetoed. Returns its id and audit events,
   * or null.
   */
  startIfNew(
    tx: EntityManager,
    app: ApplicationRecord,
    commit: string,
  ): Promise<{ id: string; events: NewEvent[] } | null>;
  /** After the transaction committed: run the new rollouts' first passes soon. */
  kick(ids: readonly string[]): void;
}

export const ROLLOUT_STARTER = Symbol('RolloutStarter');
