import { describe, expect, it } from '@jest/globals';
import { parseWindow } from './windows.js';

describe('parseWindow', () => {
  it.each([
    [
      'deny 0 18 * * 5 62h Europe/Berlin',
      { kind: 'deny', schedule: '0 18 * * 5', duration: '62h', timeZone: 'Europe/Berlin' },
    ],
    ['allow 0 8 * * 1-5 10h', { kind: 'allow', schedule: '0 8 * * 1-5', duration: '10h' }],
    [
      '  allow  */30  9-17 *  * 1,3   1h30m UTC ',
      {
        kind: 'allow',
        schedule: '*/30 9-17 * * 1,3',
        duration: '1h30m',
        timeZone: 'UTC',
      },
    ],
  ])('%j', (text, window) => {
    expect(parseWindow(text)).toEqual(window);
  });

  it.each([
    ['another kind', 'block 0 18 * * 5 62h', /starts with allow or deny/],
    ['no kind', '', /starts with allow or deny/],
    ['four cron fields', 'deny 0 18 * * 62h', /expected "<allow\|deny> <5-field cron>/],
    ['a trailing word', 'deny 0 18 * * 5 62h Europe/Berlin please', /expected/],
  ])('refuses %s', (_name, text, message) => {
    expect(() => parseWindow(text)).toThrow(message);
  });
});
