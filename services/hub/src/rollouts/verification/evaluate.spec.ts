import { describe, expect, it } from '@jest/globals';
import { comparisonVerdict, thresholdVerdict } from './evaluate.js';

const s = (value: number, labels: Record<string, string> = {}) => ({ labels, value });

describe('thresholdVerdict', () => {
  it.each([
    ['every sample below', [s(0.01, { cluster: 'a' }), s(0.02, { cluster: 'b' })], '<', 0.05, 'passed'],
    ['one sample above', [s(0.01, { cluster: 'a' }), s(0.2, { cluster: 'b' })], '<', 0.05, 'failed'],
    ['scalar equal', [s(1)], '==', 1, 'passed'],
    ['scalar not equal', [s(2)], '==', 1, 'failed'],
    ['>= boundary', [s(5)], '>=', 5, 'passed'],
    ['> boundary', [s(5)], '>', 5, 'failed'],
    ['<= boundary', [s(5)], '<=', 5, 'passed'],
    ['NaN never passes', [s(NaN)], '<', 1, 'failed'],
    ['empty result fails', [], '<', 1, 'failed'],
  ] as const)('%s', (_name, samples, op, value, result) => {
    expect(thresholdVerdict(samples, op, value).result).toBe(result);
  });

  it('names the failing samples and says when the result was empty', () => {
    expect(thresholdVerdict([s(0.2, { cluster: 'b', __name__: 'x' })], '<', 0.05).message).toBe(
      '1/1 sample(s) not < 0.05: {cluster="b"} = 0.2',
    );
    expect(thresholdVerdict([], '<', 1).message).toBe('the query returned no samples');
  });
});

describe('comparisonVerdict', () => {
  it.each([
    [
      'lower is better, within absolute margin',
      0.06,
      0.05,
      { maxWorseBy: 0.02, direction: 'lowerIsBetter' },
      'passed',
    ],
    [
      'lower is better, worse beyond absolute margin',
      0.1,
      0.05,
      { maxWorseBy: 0.02, direction: 'lowerIsBetter' },
      'failed',
    ],
    ['lower is better, better is fine', 0.01, 0.05, { maxWorseBy: 0, direction: 'lowerIsBetter' }, 'passed'],
    ['percent margin within', 105, 100, { maxWorseBy: '10%', direction: 'lowerIsBetter' }, 'passed'],
    ['percent margin beyond', 111, 100, { maxWorseBy: '10%', direction: 'lowerIsBetter' }, 'failed'],
    ['higher is better, lower fails', 90, 100, { maxWorseBy: '5%', direction: 'higherIsBetter' }, 'failed'],
    ['higher is better, higher passes', 120, 100, { maxWorseBy: 0, direction: 'higherIsBetter' }, 'passed'],
  ] as const)('%s', (_name, updated, baseline, compare, result) => {
    expect(comparisonVerdict([s(updated)], [s(baseline)], compare).result).toBe(result);
  });

  it('fails when a cohort gives no sample or several', () => {
    const compare = { maxWorseBy: 0, direction: 'lowerIsBetter' } as const;
    expect(comparisonVerdict([], [s(1)], compare)).toEqual({
      result: 'failed',
      message: "the updated cohort's query returned no samples",
    });
    expect(comparisonVerdict([s(1)], [s(1), s(2)], compare).message).toMatch(
      /baseline cohort's query returned 2 samples/,
    );
  });
});
