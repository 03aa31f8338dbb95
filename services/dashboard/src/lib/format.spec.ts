import { describe, expect, it } from '@jest/globals';
import { etaLabel } from './format';

describe('etaLabel', () => {
  const now = Date.parse('2026-05-04T12:00:00Z');
  it.each<[string, Parameters<typeof etaLabel>[0], string | null]>([
    ['none', null, null],
    ['finished', { at: '2026-05-04T11:00:00Z', basis: 'finished' }, null],
    ['awaiting approval', { at: null, basis: 'awaitingApproval' }, 'waiting for approval'],
    ['unknown', { at: null, basis: 'unknown' }, 'unknown'],
    [
      'estimated',
      { at: '2026-05-04T12:12:00Z', basis: 'observed', confidence: 'high' },
      'in 12m (observed, high confidence)',
    ],
    ['a wave, without confidence', { at: '2026-05-04T12:00:42Z', basis: 'previous' }, 'in 42s (previous)'],
    ['due now', { at: '2026-05-04T11:59:00Z', basis: 'observed' }, 'any moment (observed)'],
  ])('%s', (_name, eta, expected) => {
    expect(etaLabel(eta, now)).toBe(expected);
  });
});
