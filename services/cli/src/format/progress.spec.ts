import { describe, expect, it } from '@jest/globals';
import { progressBar } from './progress.js';

const bar = (done: number, inFlight: number, failed: number, pending: number, width = 10) =>
  progressBar({ done, inFlight, failed, pending }, width);

describe('progressBar', () => {
  it.each([
    ['all pending', [0, 0, 0, 4], '[..........]'],
    ['all done', [4, 0, 0, 0], '[##########]'],
    ['half done, half pending', [2, 0, 0, 2], '[#####.....]'],
    ['done, in flight and pending by largest remainder', [1, 1, 0, 1], '[####>>>...]'],
    ['a single failure among many stays visible', [99, 0, 1, 0], '[#########x]'],
    ['a single in-flight cluster among many stays visible', [0, 1, 0, 199], '[>.........]'],
    ['every kind', [5, 2, 1, 2], '[#####>>x..]'],
    ['an empty wave is blank', [0, 0, 0, 0], '[          ]'],
  ])('%s', (_case, [done, inFlight, failed, pending], expected) => {
    expect(bar(done!, inFlight!, failed!, pending!)).toBe(expected);
  });

  it('is always exactly the width between the brackets', () => {
    for (let total = 1; total <= 40; total++) {
      for (let done = 0; done <= total; done++) {
        const inFlight = Math.floor((total - done) / 2);
        const text = bar(done, inFlight, 0, total - done - inFlight, 17);
        expect(text).toHaveLength(19);
      }
    }
  });
});
