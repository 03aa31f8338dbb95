import { describe, expect, it } from '@jest/globals';
import { type BundleStatus } from '@fleetwave/contracts';
import { StatusMemo } from './status-memo.js';
import { healthyStatus } from './bundle-status-fixtures.js';

const D = `sha256:${'1'.repeat(64)}`;
const set = (...apps: string[]) =>
  new Map<string, BundleStatus>(
    apps.map((application) => [`h-${application}`, healthyStatus(application, { digest: D })]),
  );

describe('StatusMemo', () => {
  it('gives a set back only at the last_seq it was committed with', () => {
    const memo = new StatusMemo();
    memo.remember('a', 7, set('web'));
    expect(memo.current('a', 7)).toEqual(set('web'));
    // Another replica ingested (8), or this one's later batch rolled back: not used.
    expect(memo.current('a', 8)).toBeUndefined();
    expect(memo.current('b', 7)).toBeUndefined();
    memo.remember('a', 9, set('api'));
    expect(memo.current('a', 9)).toEqual(set('api'));
    memo.forget('a');
    expect(memo.current('a', 9)).toBeUndefined();
  });

  it('holds at most so many statuses, the least recently stored clusters going first', () => {
    const memo = new StatusMemo(4);
    memo.remember('a', 1, set('x', 'y'));
    memo.remember('b', 1, set('x', 'y'));
    memo.remember('a', 2, set('x', 'y'));
    memo.remember('c', 1, set('x'));
    expect(memo.current('b', 1)).toBeUndefined();
    expect(memo.current('a', 2)).toBeDefined();
    expect(memo.current('c', 1)).toBeDefined();
    memo.remember('d', 1, set('1', '2', '3', '4', '5'));
    expect(memo.current('d', 1)).toBeUndefined();
    expect(memo.current('a', 2)).toBeDefined();
  });
});
