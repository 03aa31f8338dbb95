/** The clock and timers, injectable so tests drive delays without waiting. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface WorkQueueOptions<K> {
  /** Keys worked on at once (each key at most once at a time). */
  concurrency: number;
  /** The work for one key; a throw is the caller's bug, logged by `onError`, and the key is done. */
  work: (key: K) => Promise<void>;
  /** The first retry delay of {@link WorkQueue.retryLater}; doubled per failure up to `maxRetryMs`. */
  baseRetryMs: number;
  maxRetryMs: number;
  /** Called each time the last key in flight finishes with nothing queued (delayed keys do not count). */
  onIdle?: () => void;
  onError?: (key: K, error: unknown) => void;
  timers?: Timers;
}

/**
 * A work queue keyed by item, after client-go's workqueue: a key queued twice runs once (dedupe);
 * a key is never worked on twice at once — added while in flight, it runs once more afterwards;
 * at most `concurrency` keys in flight; {@link addAfter} delays a key, {@link retryLater} delays it
 * by a per-key exponential backoff that {@link forget} resets.
 */
export class WorkQueue<K> {
  /** Waiting to run, in order. */
  private readonly queue: K[] = [];
  /** Queued, or added while in flight (runs again once done). */
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly delayed = new Map<K, { at: number; handle: unknown }>();
  private readonly failures = new Map<K, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly timers: Timers;
  private stopped = false;

  constructor(private readonly options: WorkQueueOptions<K>) {
    this.timers = options.timers ?? REAL_TIMERS;
  }

  add(key: K): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // re-queued when its run ends
    this.queue.push(key);
    this.pump();
  }

  /**
   * Adds `key` after `ms`. A key already waiting keeps the sooner of the two delays, so a key
   * never waits longer because it was asked for again.
   */
  addAfter(key: K, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const at = this.timers.now() + ms;
    const waiting = this.delayed.get(key);
    if (waiting !== undefined) {
      if (waiting.at <= at) return;
      this.timers.clearTimeout(waiting.handle);
    }
    const handle = this.timers.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, handle });
  }

  /** Adds `key` again after its backoff: `baseRetryMs`, doubled per failure since {@link forget}. */
  retryLater(key: K): void {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    this.addAfter(key, Math.min(this.options.baseRetryMs * 2 ** failures, this.options.maxRetryMs));
  }

  /** The key succeeded: its next retry starts from the base delay again. */
  forget(key: K): void {
    this.failures.delete(key);
  }

  /** Nothing queued and nothing in flight (delayed keys may still be waiting). */
  isIdle(): boolean {
    return this.queue.length === 0 && this.processing.size === 0;
  }

  /** Resolves the next time the queue {@link isIdle} (at once if it is). */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Starts nothing more, drops delayed keys, and waits for the keys in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { handle } of this.delayed.values()) this.timers.clearTimeout(handle);
    this.delayed.clear();
    this.queue.length = 0;
    this.dirty.clear();
    await Promise.all(this.inFlight);
  }

  private pump(): void {
    while (!this.stopped && this.processing.size < this.options.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as K;
      this.dirty.delete(key);
      this.processing.add(key);
      const run: Promise<void> = this.options
        .work(key)
        .catch((error: unknown) => this.options.onError?.(key, error))
        .finally(() => {
          this.inFlight.delete(run);
          this.processing.delete(key);
          if (this.dirty.has(key) && !this.stopped) this.queue.push(key);
          this.pump();
          if (this.isIdle()) this.becameIdle();
        });
      this.inFlight.add(run);
    }
  }

  private becameIdle(): void {
    if (!this.stopped) this.options.onIdle?.();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
