import { describe, expect, it } from '@jest/globals';
import { concurrencyGate } from './concurrency.js';
import { clusters, context, parse } from './gate-fixtures.js';
import { type CountOrPercent } from './settings.js';

describe('concurrencyGate.evaluate', () => {
  const ten = clusters(...Array.from({ length: 10 }, () => 'Pending' as const));
  it.each<[string, CountOrPercent, number, unknown]>([
    ['room left', 2, 1, { status: 'open' }],
    ['full', 2, 2, { status: 'blocked', reason: { kind: 'concurrency', inFlight: 2, limit: 2 } }],
    [
      'over (limit lowered)',
      1,
      3,
      { status: 'blocked', reason: { kind: 'concurrency', inFlight: 3, limit: 1 } },
    ],
    ['25% of 10 rounds up to 3', '25%', 2, { status: 'open' }],
    [
      '25% of 10 is full at 3',
      '25%',
      3,
      { status: 'blocked', reason: { kind: 'concurrency', inFlight: 3, limit: 3 } },
    ],
  ])('%s', (_name, setting, inFlight, expected) => {
    expect(concurrencyGate.evaluate(context(setting, { clusters: ten, inFlight }))).toEqual(expected);
  });
});

describe('concurrencyGate.setting', () => {
  it.each<[unknown, CountOrPercent, string[]]>([
    [undefined, 1, []],
    [5, 5, []],
    ['50%', '50%', []],
    [0, 1, ['waves[0].maxConcurrency: must be an integer of at least 1, or a percentage such as "25%"']],
    ['0%', 1, ['waves[0].maxConcurrency: percentage must be from 1% to 100%']],
    [true, 1, ['waves[0].maxConcurrency: must be a count or a percentage such as "25%"']],
  ])('%p → %p', (raw, value, errors) => {
    expect(parse(concurrencyGate.setting.parse, raw)).toEqual({ value, errors });
  });
});

describe('concurrencyGate.message', () => {
  it('counts clusters in flight', () => {
    expect(concurrencyGate.message({ kind: 'concurrency', inFlight: 2, limit: 2 })).toBe(
      '2/2 in flight (max 2)',
    );
  });
});
