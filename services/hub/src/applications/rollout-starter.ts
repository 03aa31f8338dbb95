import { type EntityManager } from 'typeorm';
import { type NewEvent } from '../events/events.repository.js';

/**
 * What git-sync (and deleting an application) needs from rollouts when a new commit arrives under the auto policy. Declared here
 * and provided by the rollouts feature (ROLLOUT_STARTER), because rollouts import applications and
 * not the other way round.
 */
export interface RolloutStarter {
  /**
   * Starts a rollout of `commit` unless one was already started for it (by any replica), the commit
   * is vetoed, or the application is gone or no longer on the auto policy. Renders outside the
   * application's row lock and decides under it. Returns the new rollout's id, or null.
   */
  startIfNew(applicationId: string, commit: string): Promise<string | null>;
  /**
   * In `tx`, which holds the application's row lock: aborts the application's unfinished rollouts
   * (it is being deleted); returns their audit events.
   */
  abortAll(tx: EntityManager, applicationId: string, actor: string): Promise<NewEvent[]>;
  /** After the start committed: run the new rollouts' first passes soon. */
  kick(ids: readonly string[]): void;
}

export const ROLLOUT_STARTER = Symbol('RolloutStarter');
