import { describe, expect, it } from '@jest/globals';
import { BatchCoalescer } from './batch-coalescer.js';

/** A run that finishes when the test says so, recording what it was given. */
function controlledRuns() {
  const runs: { items: number[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const run = (items: number[]) =>
    new Promise<void>((resolve, reject) => runs.push({ items, finish: resolve, fail: reject }));
  return { runs, run };
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchCoalescer', () => {
  it('merges the batches of one tick into one run, and settles them only when it finishes', async () => {
    const { runs, run } = controlledRuns();
    const coalescer = new BatchCoalescer(run, 3, 1000);
    let settled = 0;
    const done = [coalescer.submit([1, 2]), coalescer.submit([3]), coalescer.submit([4])].map((p) =>
      p.then(() => (settled += 1)),
    );
    await nextTick();
    expect(runs.map((r) => r.items)).toEqual([[1, 2, 3, 4]]);
    await nextTick();
    expect(settled).toBe(0);
    runs[0]!.finish();
    await Promise.all(done);
    expect(settled).toBe(3);
  });

  it.each<[string, number[][], number, number[][]]>([
    ['all fit', [[1], [2], [3]], 3, [[1, 2, 3]]],
    [
      'the bound splits whole batches, oldest first',
      [[1, 2], [3, 4], [5]],
      3,
      [
        [1, 2],
        [3, 4, 5],
      ],
    ],
    ['a batch larger than the bound runs alone', [[1, 2, 3, 4], [5]], 2, [[1, 2, 3, 4], [5]]],
    ['a bound of one batch: one run each', [[1], [2], [3]], 1, [[1], [2], [3]]],
  ])('%s: %j with maxItems %i → runs %j', async (_, batches, maxItems, expected) => {
    const { runs, run } = controlledRuns();
    const coalescer = new BatchCoalescer(run, 3, maxItems);
    const done = batches.map((b) => coalescer.submit(b));
    for (let i = 0; i < 4; i++) await nextTick();
    expect(runs.map((r) => r.items)).toEqual(expected);
    runs.forEach((r) => r.finish());
    await Promise.all(done);
  });

  it('runs batches of later ticks beside it while a slot is free, and merges them once none is', async () => {
    const { runs, run } = controlledRuns();
    const coalescer = new BatchCoalescer(run, 2, 1000);
    const first = coalescer.submit([1]);
    await nextTick();
    const second = coalescer.submit([2]);
    await nextTick();
    const third = coalescer.submit([3]);
    const fourth = coalescer.submit([4]);
    await nextTick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2]]);
    runs[0]!.finish();
    await first;
    await nextTick();
    expect(runs.map((r) => r.items)).toEqual([[1], [2], [3, 4]]);
    runs[1]!.finish();
    runs[2]!.finish();
    await Promise.all([second, third, fourth]);
  });

  it('fails every batch of a failed run, and only those', async () => {
    const { runs, run } = controlledRuns();
    const coalescer = new BatchCoalescer(run, 1, 1000);
    const a = coalescer.submit([1]);
    const b = coalescer.submit([2]);
    await nextTick();
    const c = coalescer.submit([3]);
    runs[0]!.fail(new Error('deadlock detected'));
    await expect(a).rejects.toThrow('deadlock detected');
    await expect(b).rejects.toThrow('deadlock detected');
    await nextTick();
    expect(runs.map((r) => r.items)).toEqual([[1, 2], [3]]);
    runs[1]!.finish();
    await expect(c).resolves.toBeUndefined();
  });
});
