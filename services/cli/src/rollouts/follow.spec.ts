import { describe, expect, it } from '@jest/globals';
import { ApiError, UnavailableError } from '../errors.js';
import { SubscriptionDropped } from '../graphql/client.js';
import { Channel } from '../graphql/channel.js';
import { follow, FollowAborted, type FollowSource } from './follow.js';

interface Snapshot {
  state: string;
  step: number;
}

const FINAL = new Set(['Succeeded', 'Failed']);

/**
 * A hub in memory: `reads` answers read() in turn (the last one repeats), the test pushes
 * subscription events into `live`, and `sleep` resolves only when the test calls tick() (or the
 * follower stops), so the order of events is the test's, never the clock's.
 */
function fakeHub(reads: (Snapshot | null | Error)[]) {
  const live = new Channel<Snapshot | null>();
  const sleepers: (() => void)[] = [];
  let readCount = 0;
  let subscribed = 0;
  let connected: (() => void) | undefined;
  let subscriptionSignal: AbortSignal | undefined;
  const source: FollowSource<Snapshot> = {
    read: async () => {
      const answer = reads[Math.min(readCount++, reads.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    subscribe: (signal, onConnected) => {
      subscribed++;
      subscriptionSignal = signal;
      connected = onConnected;
      signal.addEventListener('abort', () => live.end());
      return live;
    },
    sleep: (_ms, signal) =>
      new Promise<void>((resolve) => {
        sleepers.push(resolve);
        signal.addEventListener('abort', () => resolve());
      }),
  };
  return {
    source,
    live,
    get reads() {
      return readCount;
    },
    get subscribed() {
      return subscribed;
    },
    get subscriptionAborted() {
      return subscriptionSignal?.aborted ?? false;
    },
    connect: () => connected?.(),
    /** Ends every pending sleep: each poller re-reads once. */
    tick: async () => {
      for (const wake of sleepers.splice(0)) wake();
      await flush();
    },
  };
}

/** Lets every queued promise callback run (no timers involved). */
async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

function options(updates: Snapshot[], extra: Partial<Parameters<typeof follow<Snapshot>>[1]> = {}) {
  return {
    isFinal: (s: Snapshot) => FINAL.has(s.state),
    onUpdate: (s: Snapshot) => void updates.push(s),
    pollIntervalMs: 5000,
    fallbackPollIntervalMs: 2000,
    gone: () => new ApiError('rollout r-1 not found', 'NOT_FOUND'),
    ...extra,
  };
}

const progressing = (step: number): Snapshot => ({ state: 'Progressing', step });
const succeeded: Snapshot = { state: 'Succeeded', step: 99 };

describe('follow', () => {
  it('returns a rollout that finished before it started, without subscribing', async () => {
    const hub = fakeHub([succeeded]);
    const updates: Snapshot[] = [];
    await expect(follow(hub.source, options(updates))).resolves.toEqual(succeeded);
    expect(updates).toEqual([succeeded]);
    expect(hub.subscribed).toBe(0);
  });

  it('takes the changes from the subscription until a final state, then unsubscribes', async () => {
    const hub = fakeHub([progressing(0)]);
    const updates: Snapshot[] = [];
    const done = follow(hub.source, options(updates));
    await flush();
    hub.live.push(progressing(1));
    hub.live.push(progressing(2));
    hub.live.push(succeeded);
    await expect(done).resolves.toEqual(succeeded);
    expect(updates).toEqual([progressing(0), progressing(1), progressing(2), succeeded]);
    expect(hub.subscriptionAborted).toBe(true);
    expect(hub.reads).toBe(1);
  });

  it('re-reads once the socket is up: a final state reached between the first read and the subscription is not missed', async () => {
    const hub = fakeHub([progressing(0), succeeded]);
    const updates: Snapshot[] = [];
    const done = follow(hub.source, options(updates));
    await flush();
    hub.connect(); // the subscription will never see the change that already happened
    await expect(done).resolves.toEqual(succeeded);
    expect(updates).toEqual([progressing(0), succeeded]);
  });

  it('re-reads periodically while subscribed, as a safety net', async () => {
    const hub = fakeHub([progressing(0), progressing(0), succeeded]);
    const updates: Snapshot[] = [];
    const done = follow(hub.source, options(updates));
    await flush();
    await hub.tick();
    await hub.tick();
    await expect(done).resolves.toEqual(succeeded);
    expect(hub.reads).toBe(3);
  });

  it('falls back to polling when the subscription drops', async () => {
    const hub = fakeHub([progressing(0), progressing(3), succeeded]);
    const updates: Snapshot[] = [];
    const dropped: unknown[] = [];
    const done = follow(hub.source, options(updates, { onDropped: (e) => void dropped.push(e) }));
    await flush();
    hub.live.push(progressing(1));
    hub.live.fail(new SubscriptionDropped('live updates stopped: closed with 1006'));
    await flush();
    expect(dropped).toHaveLength(1);
    await hub.tick();
    await hub.tick();
    await expect(done).resolves.toEqual(succeeded);
    expect(updates.map((u) => u.step)).toEqual([0, 1, 3, 99]);
  });

  it('keeps polling through an unreachable hub', async () => {
    const hub = fakeHub([progressing(0), new UnavailableError('cannot reach the hub'), succeeded]);
    const failures: unknown[] = [];
    const done = follow(hub.source, options([], { onPollFailed: (e) => void failures.push(e) }));
    await flush();
    await hub.tick();
    await hub.tick();
    await expect(done).resolves.toEqual(succeeded);
    expect(failures).toHaveLength(1);
  });

  it.each([
    ['an API error from the subscription', 'subscription'],
    ['an API error from a poll', 'poll'],
  ])('stops at %s', async (_case, where) => {
    const forbidden = new ApiError('viewer role required', 'FORBIDDEN');
    const hub = fakeHub(where === 'poll' ? [progressing(0), forbidden] : [progressing(0)]);
    const done = follow(hub.source, options([]));
    await flush();
    if (where === 'poll') await hub.tick();
    else hub.live.fail(forbidden);
    await expect(done).rejects.toBe(forbidden);
  });

  it('stops when the rollout no longer exists', async () => {
    const hub = fakeHub([null]);
    await expect(follow(hub.source, options([]))).rejects.toThrow('rollout r-1 not found');
    const later = fakeHub([progressing(0)]);
    const done = follow(later.source, options([]));
    await flush();
    later.live.push(null);
    await expect(done).rejects.toThrow('rollout r-1 not found');
  });

  it('stops when told to while the first read is still out', async () => {
    const controller = new AbortController();
    let answer: (s: Snapshot) => void = () => undefined;
    const hub = fakeHub([progressing(0)]);
    const source: FollowSource<Snapshot> = {
      ...hub.source,
      read: () => new Promise<Snapshot>((resolve) => (answer = resolve)),
    };
    const done = follow(source, options([], { signal: controller.signal }));
    controller.abort();
    answer(progressing(0));
    await expect(done).rejects.toBeInstanceOf(FollowAborted);
    expect(hub.subscribed).toBe(0);
  });

  it('stops when told to (a timeout), and lets go of the subscription', async () => {
    const hub = fakeHub([progressing(0)]);
    const controller = new AbortController();
    const done = follow(hub.source, options([], { signal: controller.signal }));
    await flush();
    controller.abort();
    await expect(done).rejects.toBeInstanceOf(FollowAborted);
    expect(hub.subscriptionAborted).toBe(true);
  });
});
