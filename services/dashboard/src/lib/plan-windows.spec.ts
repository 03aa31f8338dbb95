import { describe, expect, it } from '@jest/globals';
import { planWindows, windowText } from './plan-windows';

describe('planWindows', () => {
  it.each<[string, unknown, ReturnType<typeof planWindows>]>([
    ['no plan', null, []],
    ['a plan without windows', { waves: [], rest: {} }, []],
    ['windows that are not a list', { windows: 'nightly' }, []],
    [
      'allow and deny windows (UTC when no zone is given)',
      {
        windows: [
          { kind: 'deny', schedule: '0 18 * * 5', duration: '2d14h', timeZone: 'Europe/Berlin' },
          { kind: 'allow', schedule: '0 6 * * *', duration: '16h' },
          'garbage',
        ],
      },
      [
        { kind: 'deny', schedule: '0 18 * * 5', duration: '2d14h', timeZone: 'Europe/Berlin' },
        { kind: 'allow', schedule: '0 6 * * *', duration: '16h', timeZone: 'UTC' },
      ],
    ],
  ])('%s', (_name, plan, windows) => {
    expect(planWindows(plan)).toEqual(windows);
  });
});

describe('windowText', () => {
  it.each([
    [
      { kind: 'deny', schedule: '0 18 * * 5', duration: '2d14h', timeZone: 'Europe/Berlin' },
      'no change from “0 18 * * 5” for 2d14h (Europe/Berlin)',
    ],
    [
      { kind: 'allow', schedule: '0 6 * * 1-5', duration: '10h', timeZone: 'UTC' },
      'changes may start from “0 6 * * 1-5” for 10h (UTC)',
    ],
  ])('%j', (window, text) => {
    expect(windowText(window)).toBe(text);
  });
});
