import { describe, expect, it } from '@jest/globals';
import { byteCappedBatches } from './byte-capped-batches.js';

const m = (size: number) => ({ value: 'x'.repeat(size) });

describe('byteCappedBatches', () => {
  it.each([
    ['nothing', [], 10, []],
    ['all fit', [3, 3, 3], 10, [[3, 3, 3]]],
    ['exactly the cap', [5, 5], 10, [[5, 5]]],
    ['over the cap: a new batch', [6, 5, 4, 1], 10, [[6], [5, 4, 1]]],
    ['a message bigger than the cap goes alone', [3, 20, 3], 10, [[3], [20], [3]]],
  ] as const)('%s', (_, sizes, cap, expected) => {
    const batches = byteCappedBatches(sizes.map(m), cap);
    expect(batches.map((b) => b.map((x) => x.value.length))).toEqual(expected);
  });

  it('counts bytes, not characters', () => {
    expect(byteCappedBatches([{ value: 'é'.repeat(3) }, { value: 'é'.repeat(3) }], 10)).toHaveLength(2);
    expect(byteCappedBatches([{ value: Buffer.alloc(4) }, { value: Buffer.alloc(6) }], 10)).toHaveLength(1);
  });
});
