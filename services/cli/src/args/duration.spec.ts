import { describe, expect, it } from '@jest/globals';
import { formatSeconds, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    ['0', 0],
    ['90s', 90],
    ['10m', 600],
    ['24h', 86_400],
    ['7d', 604_800],
    ['1h30m', 5400],
    ['1d2h3m4s', 93_784],
    ['1.5h', 5400],
    [' 5m ', 300],
  ])('%j → %d s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'm', '-5m', '10 m', '10w', '1h-', 'soon'])('refuses %j', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(`invalid --timeout "${text}"`);
  });
});

describe('formatSeconds', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [600, '10m'],
    [5400, '1h30m'],
    [93_784, '1d2h3m4s'],
  ])('%d → %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
