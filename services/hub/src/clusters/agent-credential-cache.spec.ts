import { describe, expect, it } from '@jest/globals';
import { AgentCredentialCache } from './agent-credential-cache.js';
import { type AgentCluster } from './clusters.repository.js';

const cluster = (id: string, generation = 1): AgentCluster => ({
  id,
  name: `c-${id}`,
  labels: {},
  cordoned: false,
  assignmentGeneration: generation,
  credentialSlot: 'current',
  credential: { expiresAt: null, revokedAt: null, previousValidUntil: null },
});

/** A cache on a clock the test moves (ms). */
function cacheAt(ttlMs: number, maxEntries = 100) {
  let now = 1_000;
  const cache = new AgentCredentialCache(ttlMs, maxEntries, () => now);
  return { cache, advance: (ms: number) => (now += ms), now: () => now };
}

describe('AgentCredentialCache', () => {
  it.each<[string, number, number, boolean]>([
    ['just read', 60_000, 0, true],
    ['1 ms before the TTL', 60_000, 59_999, true],
    ['at the TTL', 60_000, 60_000, false],
    ['past the TTL', 60_000, 90_000, false],
    ['disabled (TTL 0), at once', 0, 0, false],
  ])('serves a lookup %s: %s ms TTL, %s ms later → %s', (_, ttlMs, later, served) => {
    const { cache, advance, now } = cacheAt(ttlMs);
    cache.set('h1', cluster('a'), now());
    advance(later);
    expect(cache.get('h1')?.cluster.id).toBe(served ? 'a' : undefined);
  });

  it('keeps the time of the read, not of the last hit (the TTL runs from the read)', () => {
    const { cache, advance, now } = cacheAt(60_000);
    const readAt = now() - 5;
    cache.set('h1', cluster('a'), readAt);
    advance(30_000);
    expect(cache.get('h1')?.readAt).toBe(readAt);
    advance(29_995); // 60,000 ms after the read: expired, though 59,995 after the set
    expect(cache.get('h1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('forgets every credential of a changed cluster, and only those', () => {
    const { cache, now } = cacheAt(60_000);
    cache.set('current-a', cluster('a'), now());
    cache.set('previous-a', { ...cluster('a'), credentialSlot: 'previous' }, now());
    cache.set('current-b', cluster('b'), now());
    cache.forgetClusters(['a', 'unknown']);
    expect(cache.get('current-a')).toBeUndefined();
    expect(cache.get('previous-a')).toBeUndefined();
    expect(cache.get('current-b')?.cluster.id).toBe('b');
    expect(cache.size).toBe(1);
  });

  it('replaces a credential read again (a hash moving to another cluster row included)', () => {
    const { cache, advance, now } = cacheAt(60_000);
    cache.set('h1', cluster('a', 1), now());
    advance(10);
    cache.set('h1', cluster('b', 2), now());
    cache.forgetClusters(['a']);
    expect(cache.get('h1')?.cluster).toMatchObject({ id: 'b', assignmentGeneration: 2 });
  });

  it('holds at most maxEntries, dropping the oldest read first', () => {
    const { cache, advance, now } = cacheAt(60_000, 2);
    for (const id of ['a', 'b', 'c']) {
      cache.set(`h-${id}`, cluster(id), now());
      advance(1);
    }
    expect(cache.size).toBe(2);
    expect(cache.get('h-a')).toBeUndefined();
    expect(cache.get('h-b')?.cluster.id).toBe('b');
    expect(cache.get('h-c')?.cluster.id).toBe('c');
    cache.forgetClusters(['a']); // already dropped: nothing left behind to forget
    expect(cache.size).toBe(2);
  });
});
