import { describe, expect, it } from '@jest/globals';
import { filterAsyncIterator } from './filter-iterator.js';

async function* numbers(log: string[]) {
  try {
    for (let i = 1; i <= 6; i++) yield i;
  } finally {
    log.push('source closed');
  }
}

describe('filterAsyncIterator', () => {
  it('yields only what the predicate keeps', async () => {
    const kept: number[] = [];
    for await (const n of filterAsyncIterator(numbers([]), (n) => n % 2 === 0)) kept.push(n);
    expect(kept).toEqual([2, 4, 6]);
  });

  it('passes return() to the source', async () => {
    const log: string[] = [];
    const filtered = filterAsyncIterator(numbers(log), () => true);
    await filtered.next();
    await filtered.return!();
    expect(log).toEqual(['source closed']);
  });
});
