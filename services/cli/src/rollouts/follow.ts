import { CliError, UnavailableError } from '../errors.js';
import { SubscriptionDropped } from '../graphql/client.js';

/** Where a follower reads a rollout from; injected so the logic is tested without a hub. */
export interface FollowSource<R> {
  /** The rollout now (null: it no longer exists). */
  read(): Promise<R | null>;
  /** Its changes, live; ends or throws when the subscription goes away. */
  subscribe(signal: AbortSignal, onConnected: () => void): AsyncIterable<R | null>;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface FollowOptions<R> {
  isFinal(rollout: R): boolean;
  /** Every snapshot, in the order received (repeats included). */
  onUpdate(rollout: R): void;
  /** The live subscription went away; polling goes on. */
  onDropped?(error: unknown): void;
  /** A poll could not reach the hub; the next one will try again. */
  onPollFailed?(error: unknown): void;
  /** Re-reads while subscribed: the safety net for a change between the first read and the subscription. */
  pollIntervalMs: number;
  /** Re-reads once the subscription is gone. */
  fallbackPollIntervalMs: number;
  /** Gone: the rollout was deleted. */
  gone(): Error;
  signal?: AbortSignal;
}

/** The follower was stopped from outside (a timeout). */
export class FollowAborted extends Error {
  override readonly name = 'FollowAborted';
}

/**
 * Follows a rollout to a final state: reads it first (a final state reached before anyone
 * subscribed is seen at once), then takes its changes from the subscription; re-reads when the
 * socket is up, every `pollIntervalMs` while subscribed and every `fallbackPollIntervalMs` after
 * the subscription dropped. Resolves with the final snapshot; rejects on API errors (not found,
 * forbidden), when the rollout disappears, or when `signal` aborts.
 */
export async function follow<R>(source: FollowSource<R>, options: FollowOptions<R>): Promise<R> {
  if (options.signal?.aborted) throw new FollowAborted('stopped');
  const first = await source.read();
  if (first === null) throw options.gone();
  options.onUpdate(first);
  if (options.isFinal(first)) return first;
  if (options.signal?.aborted) throw new FollowAborted('stopped');

  const stop = new AbortController();
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    let subscribed = true;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onOutsideAbort);
      stop.abort();
      outcome();
    };
    const onOutsideAbort = () => settle(() => reject(new FollowAborted('stopped')));
    options.signal?.addEventListener('abort', onOutsideAbort, { once: true });
    const offer = (rollout: R | null) => {
      if (settled) return;
      if (rollout === null) return settle(() => reject(options.gone()));
      options.onUpdate(rollout);
      if (options.isFinal(rollout)) settle(() => resolve(rollout));
    };
    const read = async () => {
      try {
        offer(await source.read());
      } catch (error) {
        if (settled) return;
        if (error instanceof UnavailableError) options.onPollFailed?.(error);
        else settle(() => reject(error));
      }
    };

    void (async () => {
      try {
        for await (const rollout of source.subscribe(stop.signal, () => void read())) {
          offer(rollout);
          if (settled) return;
        }
        if (!settled)
          options.onDropped?.(new SubscriptionDropped('live updates stopped: the hub ended them'));
      } catch (error) {
        if (settled) return;
        // GraphQL errors (NOT_FOUND, FORBIDDEN) are answers; a closed socket is only a drop.
        if (error instanceof CliError && !(error instanceof SubscriptionDropped)) {
          return settle(() => reject(error));
        }
        options.onDropped?.(error);
      } finally {
        subscribed = false;
      }
    })();

    void (async () => {
      while (!settled) {
        await source.sleep(subscribed ? options.pollIntervalMs : options.fallbackPollIntervalMs, stop.signal);
        if (settled) return;
        await read();
      }
    })();
  });
}

/** Resolves after `ms`, or at once when `signal` aborts (a timer that never outlives its follower). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
