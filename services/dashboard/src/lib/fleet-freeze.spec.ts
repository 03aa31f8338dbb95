import { describe, expect, it } from '@jest/globals';
import { type Freeze, freezeHolds, freezeText } from './fleet-freeze';

const NOW = Date.parse('2026-12-20T10:00:00Z');
const iso = (value: string) => value;
const freeze: Freeze = { reason: 'year-end', by: 'token:ops', since: '2026-12-20T09:00:00Z', until: null };

describe('freezeHolds', () => {
  it.each<[string, Freeze | null, boolean]>([
    ['no freeze', null, false],
    ['until unfrozen', freeze, true],
    ['until later', { ...freeze, until: '2026-12-20T12:00:00Z' }, true],
    [
      'until a moment past (the hub lifts it on its next read)',
      { ...freeze, until: '2026-12-20T09:59:59Z' },
      false,
    ],
  ])('%s → %s', (_name, value, holds) => {
    expect(freezeHolds(value, NOW)).toBe(holds);
  });
});

describe('freezeText', () => {
  it.each<[Freeze, string]>([
    [
      freeze,
      'The fleet is frozen by token:ops since 2026-12-20T09:00:00Z, until an admin unfreezes it: year-end.',
    ],
    [
      { ...freeze, reason: 'incident 4711', until: '2026-12-20T12:30:00Z' },
      'The fleet is frozen by token:ops since 2026-12-20T09:00:00Z, until 2026-12-20T12:30:00Z (in 2h 30m): incident 4711.',
    ],
  ])('%#', (value, start) => {
    expect(freezeText(value, NOW, iso)).toBe(
      `${start} No rollout starts a new wave and no catch-up starts; clusters in flight finish.`,
    );
  });
});
