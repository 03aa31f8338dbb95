import { type Clock } from './clock.js';

/** When a cached read was made, and of which version of what it read. */
export interface ReadStamp {
  /** What the value was computed from (e.g. a rollout's row and its local change counter). */
  version: string;
  /** A monotonic clock (ms): the age of the value, whatever the hub clock does. */
  monotonic: number;
  /** The hub clock (ms): a value computed at another hub time (soak left, deadlines) is not reused. */
  clock: number;
}

/** The stamp of a read of `version` made now, by both clocks. */
export function stampNow(version: string, monotonic: () => number, clock: Clock): ReadStamp {
  return { version, monotonic: monotonic(), clock: clock.now().getTime() };
}

/**
 * Pure: whether a value read at `made` may be served at `now`. Only the same version, and only for
 * at most `maxAgeMs` by both clocks (a hub clock moved back, or ahead by more than the bound, as a
 * test clock may be, makes it stale; so does a monotonic clock that ran backwards). `maxAgeMs` 0:
 * never.
 */
export function servable(made: ReadStamp, now: ReadStamp, maxAgeMs: number): boolean {
  if (maxAgeMs <= 0 || made.version !== now.version) return false;
  const age = now.monotonic - made.monotonic;
  const drift = now.clock - made.clock;
  return age >= 0 && age <= maxAgeMs && drift >= 0 && drift <= maxAgeMs;
}

export interface ReadCacheOptions {
  /** The staleness bound (0: nothing is cached). */
  maxAgeMs: number;
  /** Entries kept at most (the oldest inserted go first). */
  maxEntries: number;
  clock: Clock;
  /** Injected for tests; `performance.now` otherwise. */
  monotonic?: () => number;
}

/**
 * A bounded, per-process cache of reads whose value is a promise, so concurrent readers of a key
 * missing share one computation. A value is served only while {@link servable}: the caller states
 * the version it read at, and the bound caps what changes without one (heartbeats, the clock). A
 * rejected computation is forgotten.
 */
export class ReadCache<K, V> {
  private readonly entries = new Map<K, { stamp: ReadStamp; value: Promise<V> }>();
  private readonly monotonic: () => number;

  constructor(private readonly options: ReadCacheOptions) {
    this.monotonic = options.monotonic ?? (() => performance.now());
  }

  /** The value for `key` at `version`: the cached one while servable, else `compute()`'s (cached). */
  get(key: K, version: string, compute: () => Promise<V>): Promise<V> {
    const stamp = this.stamp(version);
    const entry = this.entries.get(key);
    if (entry !== undefined && servable(entry.stamp, stamp, this.options.maxAgeMs)) return entry.value;
    const value = compute();
    if (this.options.maxAgeMs <= 0) return value;
    const made = { stamp, value };
    this.entries.delete(key);
    this.entries.set(key, made);
    if (this.entries.size > this.options.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as K);
    }
    value.catch(() => {
      if (this.entries.get(key) === made) this.entries.delete(key);
    });
    return value;
  }

  /** The cached value, if servable at `version` (nothing is computed). */
  peek(key: K, version: string): Promise<V> | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && servable(entry.stamp, this.stamp(version), this.options.maxAgeMs)
      ? entry.value
      : undefined;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private stamp(version: string): ReadStamp {
    return stampNow(version, this.monotonic, this.options.clock);
  }
}
