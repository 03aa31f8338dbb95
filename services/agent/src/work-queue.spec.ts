import { describe, expect, it } from '@jest/globals';
import { fakeTimers } from './fake-timers.test-support.js';
import { type Timers, WorkQueue } from './work-queue.js';

/** Work that holds each run open until the test releases it, recording starts. */
function heldWork() {
  const started: string[] = [];
  const running = new Map<string, () => void>();
  return {
    started,
    running,
    work: (key: string) =>
      new Promise<void>((resolve) => {
        started.push(key);
        running.set(key, () => (running.delete(key), resolve()));
      }),
    release: async (key: string) => {
      running.get(key)!();
      // Let the queue's completion handlers run.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const queueOf = (
  work: (key: string) => Promise<void>,
  extra: { concurrency?: number; timers?: Timers } = {},
) => new WorkQueue<string>({ concurrency: 2, work, baseRetryMs: 1_000, maxRetryMs: 8_000, ...extra });

describe('WorkQueue', () => {
  it('runs a key queued several times once', async () => {
    const held = heldWork();
    const queue = queueOf(held.work, { concurrency: 1 });
    queue.add('a');
    // a is in flight on the only worker: b, added three times, is one queued run.
    queue.add('b');
    queue.add('b');
    queue.add('b');
    await held.release('a');
    await held.release('b');
    await queue.idle();
    expect(held.started).toEqual(['a', 'b']);
  });

  it('never works on a key twice at once: added while in flight, it runs once more afterwards', async () => {
    const held = heldWork();
    const queue = queueOf(held.work);
    queue.add('a');
    queue.add('a'); // in flight: marked to run once more
    queue.add('a');
    expect(held.started).toEqual(['a']);
    await held.release('a');
    expect(held.started).toEqual(['a', 'a']);
    await held.release('a');
    await queue.idle();
    expect(held.started).toEqual(['a', 'a']);
  });

  it('keeps at most `concurrency` keys in flight, in the order added', async () => {
    const held = heldWork();
    const queue = queueOf(held.work, { concurrency: 2 });
    for (const key of ['a', 'b', 'c', 'd']) queue.add(key);
    expect(held.started).toEqual(['a', 'b']);
    await held.release('b');
    expect(held.started).toEqual(['a', 'b', 'c']);
    expect([...held.running.keys()].sort()).toEqual(['a', 'c']);
    await held.release('a');
    await held.release('c');
    await held.release('d');
    await queue.idle();
    expect(queue.isIdle()).toBe(true);
  });

  it('calls onIdle each time the last key in flight finishes with nothing queued', async () => {
    const held = heldWork();
    let idles = 0;
    const queue = new WorkQueue<string>({
      concurrency: 2,
      work: held.work,
      baseRetryMs: 1_000,
      maxRetryMs: 8_000,
      onIdle: () => idles++,
    });
    queue.add('a');
    queue.add('b');
    await held.release('a');
    expect(idles).toBe(0);
    await held.release('b');
    expect(idles).toBe(1);
    queue.add('a');
    await held.release('a');
    expect(idles).toBe(2);
  });

  it('backs off per key on the injected clock, doubling up to the cap, and forget resets it', async () => {
    const clock = fakeTimers();
    const runs: string[] = [];
    const queue = queueOf(async (key) => void runs.push(key), { timers: clock.timers });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = runs.length;
      queue.retryLater('a');
      const [at] = clock.waiting();
      delays.push(at! - clock.timers.now());
      clock.advance(at! - clock.timers.now() - 1);
      expect(runs.length).toBe(before); // not a millisecond early
      clock.advance(1);
      await queue.idle();
      expect(runs.length).toBe(before + 1);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);

    queue.retryLater('b'); // another key has its own backoff
    expect(clock.waiting().map((at) => at - clock.timers.now())).toEqual([1_000]);
    clock.advance(1_000);
    await queue.idle();

    queue.forget('a');
    queue.retryLater('a');
    expect(clock.waiting().map((at) => at - clock.timers.now())).toEqual([1_000]);
  });

  it('keeps the sooner delay when a waiting key is asked for again', () => {
    const clock = fakeTimers();
    const queue = queueOf(async () => undefined, { timers: clock.timers });
    queue.addAfter('a', 5_000);
    queue.addAfter('a', 9_000);
    expect(clock.waiting()).toEqual([5_000]);
    queue.addAfter('a', 2_000);
    expect(clock.waiting()).toEqual([2_000]);
  });

  it('reports a throwing run and goes on with the next key', async () => {
    const errors: [string, unknown][] = [];
    const runs: string[] = [];
    const queue = new WorkQueue<string>({
      concurrency: 1,
      work: async (key) => {
        runs.push(key);
        if (key === 'bad') throw new Error('boom');
      },
      baseRetryMs: 1_000,
      maxRetryMs: 8_000,
      onError: (key, error) => errors.push([key, error]),
    });
    queue.add('bad');
    queue.add('good');
    await queue.idle();
    expect(runs).toEqual(['bad', 'good']);
    expect(errors).toEqual([['bad', new Error('boom')]]);
  });

  it('stop drops delayed and queued keys and waits for the ones in flight', async () => {
    const clock = fakeTimers();
    const held = heldWork();
    const queue = queueOf(held.work, { concurrency: 1, timers: clock.timers });
    queue.add('a');
    queue.add('b');
    queue.addAfter('c', 1_000);
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    await held.release('a');
    await stopping;
    clock.advance(1_000);
    queue.add('d');
    expect(held.started).toEqual(['a']);
    expect(clock.waiting()).toEqual([]);
  });
});
