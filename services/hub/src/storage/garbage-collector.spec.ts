import { retentionCutoff } from './garbage-collector.js';

describe('retentionCutoff', () => {
  const now = new Date('2026-12-02T08:00:00.000Z');

  it.each([
    [30, '2026-11-02T08:00:00.000Z'],
    [1, '2026-12-01T08:00:00.000Z'],
    [0.5, '2026-12-01T20:00:00.000Z'],
    [0, '2026-12-02T08:00:00.000Z'],
  ])('%s days before now', (days, expected) => {
    expect(retentionCutoff(now, days).toISOString()).toBe(expected);
  });
});
