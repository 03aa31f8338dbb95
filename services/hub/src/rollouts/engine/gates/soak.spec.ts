import { describe, expect, it } from '@jest/globals';
import { at, clusters, context, parse } from './gate-fixtures.js';
import { soakGate } from './soak.js';
import { type GateContext } from './types.js';

describe('soakGate.evaluate', () => {
  it.each<[string, number, Partial<GateContext<number>>, unknown]>([
    ['no soak', 0, { healthyAt: at(0) }, { status: 'open' }],
    [
      'soaking, rounds seconds up',
      300,
      { healthyAt: at(0), now: at(59.5) },
      {
        status: 'blocked',
        reason: { kind: 'soak', secondsLeft: 241, until: at(300) },
        state: 'Soaking',
      },
    ],
    ['soak over exactly at its end', 300, { healthyAt: at(0), now: at(300) }, { status: 'open' }],
    ['empty wave does not soak', 300, { healthyAt: at(0), clusters: clusters() }, { status: 'open' }],
    ['wave not done', 300, { healthyAt: null }, { status: 'open' }],
  ])('%s', (_name, setting, overrides, expected) => {
    expect(soakGate.evaluate(context(setting, overrides))).toEqual(expected);
  });

  it('asks to be looked at again when the soak ends', () => {
    expect(soakGate.recheckAt?.({ kind: 'soak', secondsLeft: 1, until: at(300) })).toEqual(at(300));
  });
});

describe('soakGate.setting', () => {
  it.each<[unknown, number, string[]]>([
    [undefined, 0, []],
    [0, 0, []],
    [3600, 3600, []],
    [-1, 0, ['waves[0].soakSeconds: must be an integer from 0 to 31449600']],
    [1.5, 0, ['waves[0].soakSeconds: must be an integer from 0 to 31449600']],
    ['60', 0, ['waves[0].soakSeconds: must be an integer from 0 to 31449600']],
  ])('%p → %p', (raw, value, errors) => {
    expect(parse(soakGate.setting.parse, raw)).toEqual({ value, errors });
  });
});

describe('soakGate.message', () => {
  it.each([
    [252, 'soak: 4m12s left'],
    [5, 'soak: 5s left'],
  ])('%p seconds left', (secondsLeft, message) => {
    expect(soakGate.message({ kind: 'soak', secondsLeft, until: at(secondsLeft) })).toBe(message);
  });
});
