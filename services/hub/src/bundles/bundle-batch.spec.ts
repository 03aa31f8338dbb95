import { describe, expect, it } from '@jest/globals';
import { planBundleBatch } from './bundle-batch.js';

const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

describe('planBundleBatch', () => {
  it.each([
    [
      'all fit',
      [d(1), d(2)],
      [
        [d(1), 10],
        [d(2), 10],
      ],
      100,
      { serve: [d(1), d(2)], unavailable: [], deferred: [] },
    ],
    [
      'not readable or not stored',
      [d(1), d(2), d(3)],
      [[d(2), 10]],
      100,
      { serve: [d(2)], unavailable: [d(1), d(3)], deferred: [] },
    ],
    [
      'exactly at the budget',
      [d(1), d(2)],
      [
        [d(1), 50],
        [d(2), 50],
      ],
      100,
      { serve: [d(1), d(2)], unavailable: [], deferred: [] },
    ],
    [
      'over the budget: the rest deferred, in order',
      [d(1), d(2), d(3)],
      [
        [d(1), 60],
        [d(2), 60],
        [d(3), 1],
      ],
      100,
      { serve: [d(1)], unavailable: [], deferred: [d(2), d(3)] },
    ],
    [
      'a first bundle bigger than the budget still goes',
      [d(1), d(2)],
      [
        [d(1), 500],
        [d(2), 1],
      ],
      100,
      { serve: [d(1)], unavailable: [], deferred: [d(2)] },
    ],
    [
      'unavailable after a deferral still listed as such',
      [d(1), d(2), d(3)],
      [
        [d(1), 90],
        [d(2), 20],
      ],
      100,
      { serve: [d(1)], unavailable: [d(3)], deferred: [d(2)] },
    ],
    ['nothing readable', [d(1)], [], 100, { serve: [], unavailable: [d(1)], deferred: [] }],
  ] as const)('%s', (_, asked, sizes, budget, expected) => {
    expect(planBundleBatch(asked, new Map(sizes), budget)).toEqual(expected);
  });
});
