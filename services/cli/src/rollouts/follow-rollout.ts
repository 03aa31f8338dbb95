import { describeSocketFailure, type GraphqlClient } from '../graphql/client.js';
import {
  FINAL_STATES,
  findRollout,
  type Rollout,
  rolloutChanges,
  rolloutNotFound,
} from '../resources/rollouts.js';
import { abortableSleep, follow } from './follow.js';

/** Re-reads while the subscription is up (a change it cannot have seen); and after it dropped. */
export const POLL_INTERVAL_MS = 5_000;
export const FALLBACK_POLL_INTERVAL_MS = 2_000;

/** Follows one rollout on the hub to a final state (see follow()). */
export function followRollout(
  client: GraphqlClient,
  id: string,
  hooks: { onUpdate(rollout: Rollout): void; onNote?(message: string): void; signal?: AbortSignal },
): Promise<Rollout> {
  let pollFailures = 0;
  return follow<Rollout>(
    {
      read: async () => {
        const rollout = await findRollout(client, id);
        pollFailures = 0;
        return rollout;
      },
      subscribe: (signal, onConnected) => rolloutChanges(client, id, signal, { onConnected }),
      sleep: abortableSleep,
    },
    {
      isFinal: (rollout) => FINAL_STATES.has(rollout.state),
      onUpdate: hooks.onUpdate,
      onDropped: (error) =>
        hooks.onNote?.(
          `warning: ${describeSocketFailure(error)}; polling every ${FALLBACK_POLL_INTERVAL_MS / 1000}s`,
        ),
      onPollFailed: (error) => {
        if (pollFailures++ === 0) hooks.onNote?.(`warning: ${describeSocketFailure(error)}; retrying`);
      },
      pollIntervalMs: POLL_INTERVAL_MS,
      fallbackPollIntervalMs: FALLBACK_POLL_INTERVAL_MS,
      gone: () => rolloutNotFound(id),
      signal: hooks.signal,
    },
  );
}
