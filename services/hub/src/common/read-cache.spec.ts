import { describe, expect, it } from '@jest/globals';
import { ReadCache, type ReadStamp, servable } from './read-cache.js';

const made: ReadStamp = { version: 'v1', monotonic: 1_000, clock: 50_000 };

describe('servable', () => {
  it.each<[string, Partial<ReadStamp>, number, boolean]>([
    ['the same version at once', {}, 1_000, true],
    ['the same version within the bound', { monotonic: 1_900, clock: 50_900 }, 1_000, true],
    ['exactly at the bound', { monotonic: 2_000, clock: 51_000 }, 1_000, true],
    ['past the bound (monotonic)', { monotonic: 2_001, clock: 50_100 }, 1_000, false],
    [
      'past the bound (hub clock moved ahead, as a test clock may)',
      { monotonic: 1_001, clock: 51_001 },
      1_000,
      false,
    ],
    ['hub clock moved back', { clock: 49_999 }, 1_000, false],
    ['monotonic clock ran backwards', { monotonic: 999 }, 1_000, false],
    ['another version, however fresh', { version: 'v2' }, 1_000, false],
    ['caching off (bound 0)', {}, 0, false],
  ])('%s', (_, now, maxAgeMs, expected) => {
    expect(servable(made, { ...made, ...now }, maxAgeMs)).toBe(expected);
  });
});

describe('ReadCache', () => {
  function cacheAt(maxAgeMs = 1_000, maxEntries = 10) {
    const time = { monotonic: 0, clock: 1_000_000 };
    const cache = new ReadCache<string, number>({
      maxAgeMs,
      maxEntries,
      clock: { now: () => new Date(time.clock) },
      monotonic: () => time.monotonic,
    });
    let computed = 0;
    const compute = (value: number) => () => {
      computed++;
      return Promise.resolve(value);
    };
    return { cache, time, compute, computed: () => computed };
  }

  it('serves one computation to readers of the same version within the bound, then computes again', async () => {
    const { cache, time, compute, computed } = cacheAt();
    await expect(cache.get('r', 'v1', compute(1))).resolves.toBe(1);
    time.monotonic += 500;
    time.clock += 500;
    await expect(cache.get('r', 'v1', compute(2))).resolves.toBe(1);
    expect(computed()).toBe(1);
    time.monotonic += 501;
    await expect(cache.get('r', 'v1', compute(3))).resolves.toBe(3);
    expect(computed()).toBe(2);
  });

  it('computes again for a new version at once', async () => {
    const { cache, compute } = cacheAt();
    await cache.get('r', 'v1', compute(1));
    await expect(cache.get('r', 'v2', compute(2))).resolves.toBe(2);
    expect(cache.peek('r', 'v1')).toBeUndefined();
    await expect(cache.peek('r', 'v2')).resolves.toBe(2);
  });

  it('shares a computation still running between concurrent readers', async () => {
    const { cache } = cacheAt();
    let release: (value: number) => void = () => undefined;
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const first = cache.get('r', 'v1', slow);
    const second = cache.get('r', 'v1', slow);
    release(7);
    await expect(Promise.all([first, second])).resolves.toEqual([7, 7]);
    expect(calls).toBe(1);
  });

  it('forgets a failed computation', async () => {
    const { cache, compute } = cacheAt();
    await expect(cache.get('r', 'v1', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    await expect(cache.get('r', 'v1', compute(4))).resolves.toBe(4);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const { cache, compute } = cacheAt(1_000, 2);
    await cache.get('a', 'v', compute(1));
    await cache.get('b', 'v', compute(2));
    await cache.get('c', 'v', compute(3));
    expect(cache.peek('a', 'v')).toBeUndefined();
    await expect(cache.peek('b', 'v')).resolves.toBe(2);
    await expect(cache.peek('c', 'v')).resolves.toBe(3);
  });

  it('caches nothing with a bound of 0', async () => {
    const { cache, compute, computed } = cacheAt(0);
    await cache.get('r', 'v', compute(1));
    await cache.get('r', 'v', compute(1));
    expect(computed()).toBe(2);
  });

  it('forgets what is deleted or cleared', async () => {
    const { cache, compute } = cacheAt();
    await cache.get('a', 'v', compute(1));
    await cache.get('b', 'v', compute(2));
    cache.delete('a');
    expect(cache.peek('a', 'v')).toBeUndefined();
    cache.clear();
    expect(cache.peek('b', 'v')).toBeUndefined();
  });
});
