import { describe, expect, it } from '@jest/globals';
import { clusters, context } from './gate-fixtures.js';
import { type TimeWindow } from './types.js';
import {
  durationText,
  insideWindow,
  nextOpening,
  parseDuration,
  parseWindows,
  windowGate,
  windowsAllow,
} from './windows.js';

const utc = (iso: string) => new Date(iso);
const allow = (schedule: string, duration: string, timeZone = 'UTC'): TimeWindow => ({
  kind: 'allow',
  schedule,
  duration,
  timeZone,
});
const deny = (schedule: string, duration: string, timeZone = 'UTC'): TimeWindow => ({
  kind: 'deny',
  schedule,
  duration,
  timeZone,
});

describe('insideWindow', () => {
  const berlinNight = allow('0 22 * * *', '2h', 'Europe/Berlin');
  it.each<[string, TimeWindow, string, boolean]>([
    ['winter: 22:30 CET is inside 22:00–24:00 Berlin', berlinNight, '2026-01-15T21:30:00Z', true],
    ['winter: 21:59 CET is before it', berlinNight, '2026-01-15T20:59:00Z', false],
    ['winter: the start itself is inside', berlinNight, '2026-01-15T21:00:00Z', true],
    ['winter: the end itself is outside', berlinNight, '2026-01-15T23:00:00Z', false],
    ['summer: 22:00 CEST is 20:00 UTC', berlinNight, '2026-07-15T20:00:00Z', true],
    ['summer: 21:00 UTC (23:00 CEST) inside', berlinNight, '2026-07-15T21:59:59Z', true],
    ['summer: 22:00 UTC (00:00 CEST) outside', berlinNight, '2026-07-15T22:00:00Z', false],
    // 01:00 CET on the spring-forward night, for 3 h of elapsed time: 00:00Z to 03:00Z (05:00 CEST).
    [
      'spring forward: elapsed, not wall-clock, hours',
      allow('0 1 * * *', '3h', 'Europe/Berlin'),
      '2026-03-29T02:59:00Z',
      true,
    ],
    [
      'spring forward: over after 3 elapsed hours',
      allow('0 1 * * *', '3h', 'Europe/Berlin'),
      '2026-03-29T03:00:00Z',
      false,
    ],
    // 02:30 does not exist on 2026-03-29 in Berlin: the start moves to 03:00 CEST (01:00Z).
    [
      'spring forward: a start in the skipped hour moves after it',
      allow('30 2 * * *', '1h', 'Europe/Berlin'),
      '2026-03-29T01:30:00Z',
      true,
    ],
    [
      'spring forward: not before it',
      allow('30 2 * * *', '1h', 'Europe/Berlin'),
      '2026-03-29T00:59:00Z',
      false,
    ],
    // 02:30 happens twice on 2026-10-25 in Berlin: the window starts at the first (00:30Z) only.
    [
      'fall back: starts at the first 02:30',
      allow('30 2 * * *', '1h', 'Europe/Berlin'),
      '2026-10-25T01:29:00Z',
      true,
    ],
    [
      'fall back: not again at the second 02:30',
      allow('30 2 * * *', '1h', 'Europe/Berlin'),
      '2026-10-25T01:45:00Z',
      false,
    ],
    [
      'New York office hours, Friday 16:59 EST',
      allow('0 9 * * 1-5', '8h', 'America/New_York'),
      '2026-01-16T21:59:00Z',
      true,
    ],
    [
      'New York office hours, Saturday',
      allow('0 9 * * 1-5', '8h', 'America/New_York'),
      '2026-01-17T15:00:00Z',
      false,
    ],
    [
      'Kolkata (+05:30) midnight, 00:30 IST',
      deny('0 0 * * *', '6h', 'Asia/Kolkata'),
      '2026-01-15T19:00:00Z',
      true,
    ],
    [
      'a window longer than a day spans the next start',
      allow('0 0 * * 1', '8d'),
      '2026-01-18T23:00:00Z',
      true,
    ],
  ])('%s', (_name, window, at, inside) => {
    expect(insideWindow(window, utc(at))).toBe(inside);
  });
});

describe('windowsAllow and nextOpening', () => {
  it.each<[string, TimeWindow[], string, boolean, string | null]>([
    ['no windows: always open', [], '2026-01-15T12:00:00Z', true, '2026-01-15T12:00:00Z'],
    [
      'inside an allow window',
      [allow('0 8 * * *', '10h')],
      '2026-01-15T12:00:00Z',
      true,
      '2026-01-15T12:00:00Z',
    ],
    [
      'before an allow window: opens at its start',
      [allow('0 8 * * *', '10h')],
      '2026-01-15T07:00:00Z',
      false,
      '2026-01-15T08:00:00Z',
    ],
    [
      'after it: the next day',
      [allow('0 8 * * *', '10h')],
      '2026-01-15T19:00:00Z',
      false,
      '2026-01-16T08:00:00Z',
    ],
    [
      'Berlin nights across the spring DST change',
      [allow('0 22 * * *', '2h', 'Europe/Berlin')],
      '2026-03-29T12:00:00Z',
      false,
      '2026-03-29T20:00:00Z',
    ],
    [
      'Berlin nights before the change',
      [allow('0 22 * * *', '2h', 'Europe/Berlin')],
      '2026-03-28T12:00:00Z',
      false,
      '2026-03-28T21:00:00Z',
    ],
    [
      'New York: Friday evening opens Monday 09:00 EST',
      [allow('0 9 * * 1-5', '8h', 'America/New_York')],
      '2026-01-16T22:00:00Z',
      false,
      '2026-01-19T14:00:00Z',
    ],
    [
      'New York across its spring change (8 March 2026): Monday 09:00 EDT',
      [allow('0 9 * * 1-5', '8h', 'America/New_York')],
      '2026-03-07T12:00:00Z',
      false,
      '2026-03-09T13:00:00Z',
    ],
    [
      'inside a deny window: opens when it ends',
      [deny('0 0 * * *', '6h', 'Asia/Kolkata')],
      '2026-01-15T19:00:00Z',
      false,
      '2026-01-16T00:30:00Z',
    ],
    [
      'deny windows back to back: after the last',
      [deny('0 0 * * *', '2h'), deny('0 2 * * *', '2h')],
      '2026-01-15T00:30:00Z',
      false,
      '2026-01-15T04:00:00Z',
    ],
    [
      'deny inside allow: when the deny ends',
      [allow('0 8 * * *', '10h'), deny('0 12 * * *', '1h')],
      '2026-01-15T12:30:00Z',
      false,
      '2026-01-15T13:00:00Z',
    ],
    [
      'deny outlasting the allow window: the next allow start',
      [allow('0 8 * * *', '2h'), deny('0 9 * * *', '2h')],
      '2026-01-15T09:30:00Z',
      false,
      '2026-01-16T08:00:00Z',
    ],
    [
      'allow window starting inside a deny window: when the deny ends',
      [allow('0 8 * * *', '4h'), deny('0 7 * * *', '2h')],
      '2026-01-15T06:00:00Z',
      false,
      '2026-01-15T09:00:00Z',
    ],
    [
      'an allow schedule that never fires: no opening',
      [allow('0 0 31 2 *', '1h')],
      '2026-01-15T12:00:00Z',
      false,
      null,
    ],
    [
      'deny all the time: no opening within the horizon',
      [deny('0 0 * * *', '1d')],
      '2026-01-15T12:00:00Z',
      false,
      null,
    ],
  ])('%s', (_name, windows, at, allowed, opening) => {
    expect(windowsAllow(windows, utc(at))).toBe(allowed);
    expect(nextOpening(windows, utc(at))).toEqual(opening === null ? null : utc(opening));
  });
});

describe('parseWindows', () => {
  const parsed = (raw: unknown) => {
    const errors: string[] = [];
    return { windows: parseWindows(raw, errors), errors };
  };

  it('reads windows and normalises the duration; the zone defaults to UTC', () => {
    expect(
      parsed([
        { kind: 'allow', schedule: ' 0 22 * * 1-5 ', duration: '90m', timeZone: 'Europe/Berlin' },
        { kind: 'deny', schedule: '0 0 24 12 *', duration: '2d' },
      ]),
    ).toEqual({
      windows: [
        { kind: 'allow', schedule: '0 22 * * 1-5', duration: '1h30m', timeZone: 'Europe/Berlin' },
        { kind: 'deny', schedule: '0 0 24 12 *', duration: '2d', timeZone: 'UTC' },
      ],
      errors: [],
    });
    expect(parsed(undefined)).toEqual({ windows: [], errors: [] });
  });

  const window = { kind: 'allow', schedule: '0 22 * * *', duration: '2h', timeZone: 'UTC' };
  it.each<[string, unknown, string]>([
    ['not a list', { kind: 'allow' }, 'windows: invalid-windows: must be a list'],
    ['not an object', ['x'], 'windows[0]: invalid-window: must be an object'],
    ['unknown field', [{ ...window, start: 1 }], 'windows[0]: unknown-field: "start"'],
    ['bad kind', [{ ...window, kind: 'maybe' }], 'windows[0].kind: invalid-kind: must be allow or deny'],
    ['six-field cron', [{ ...window, schedule: '0 0 22 * * *' }], 'windows[0].schedule: invalid-cron:'],
    ['cron out of range', [{ ...window, schedule: '61 22 * * *' }], 'windows[0].schedule: invalid-cron:'],
    [
      'a schedule that never fires',
      [{ ...window, schedule: '0 0 30 2 *' }],
      'windows[0].schedule: invalid-cron: never fires',
    ],
    ['cron not a string', [{ ...window, schedule: 5 }], 'windows[0].schedule: invalid-cron:'],
    [
      'unknown time zone',
      [{ ...window, timeZone: 'Mars/Olympus' }],
      'windows[0].timeZone: unknown-time-zone:',
    ],
    ['negative duration', [{ ...window, duration: '-2h' }], 'windows[0].duration: invalid-duration:'],
    ['zero duration', [{ ...window, duration: '0s' }], 'windows[0].duration: invalid-duration:'],
    ['under a minute', [{ ...window, duration: '30s' }], 'windows[0].duration: invalid-duration:'],
    ['over 31 days', [{ ...window, duration: '32d' }], 'windows[0].duration: invalid-duration:'],
    ['not a duration', [{ ...window, duration: '2 hours' }], 'windows[0].duration: invalid-duration:'],
    ['a number', [{ ...window, duration: 7200 }], 'windows[0].duration: invalid-duration:'],
  ])('%s', (_name, raw, error) => {
    const result = parsed(raw);
    expect(result.windows).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(error);
  });
});

describe('parseDuration / durationText', () => {
  it.each<[string, number | null]>([
    ['2h', 7200],
    ['1h30m', 5400],
    ['90m', 5400],
    ['1d2h', 93_600],
    ['45s', 45],
    ['', null],
    ['-1h', null],
    ['1.5h', null],
    ['h', null],
  ])('%p → %p', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    [5400, '1h30m'],
    [86_400, '1d'],
    [61, '1m1s'],
  ])('%p → %p', (seconds, text) => {
    expect(durationText(seconds)).toBe(text);
  });
});

describe('windowGate', () => {
  const nights = [allow('0 22 * * *', '2h', 'Europe/Berlin')];
  const noon = utc('2026-01-15T12:00:00Z');
  it.each<[string, Parameters<typeof context<undefined>>[1], unknown]>([
    ['no windows: open', { now: noon }, { status: 'open' }],
    [
      'outside its allow window: held until it opens',
      { now: noon, windows: nights },
      { status: 'blocked', reason: { kind: 'window', opensAt: utc('2026-01-15T21:00:00Z') } },
    ],
    ['inside it: open', { now: utc('2026-01-15T21:00:00Z'), windows: nights }, { status: 'open' }],
    [
      'nothing pending in the wave (running clusters finish): open',
      { now: noon, windows: nights, clusters: clusters('Assigned', 'Healthy') },
      { status: 'open' },
    ],
    ['an empty wave changes nothing: open', { now: noon, windows: nights, clusters: [] }, { status: 'open' }],
  ])('%s', (_name, overrides, expected) => {
    expect(windowGate.evaluate(context(undefined, overrides))).toEqual(expected);
  });

  it('is asked before a wave starts and before each assignment, without a wave setting', () => {
    expect(windowGate.stage).toEqual(['beforeStart', 'assign']);
    expect(windowGate.setting).toBeUndefined();
  });

  it('wakes the rollout when the window opens', () => {
    const opensAt = utc('2026-01-15T21:00:00Z');
    expect(windowGate.recheckAt?.({ kind: 'window', opensAt })).toEqual(opensAt);
    expect(windowGate.recheckAt?.({ kind: 'window', opensAt: null })).toBeNull();
  });

  it.each([
    [utc('2026-01-15T21:00:00Z'), 'outside its time windows until 2026-01-15T21:00:00Z'],
    [null, 'outside its time windows (no opening within a year)'],
  ])('message for %p', (opensAt, message) => {
    expect(windowGate.message({ kind: 'window', opensAt })).toBe(message);
  });
});
