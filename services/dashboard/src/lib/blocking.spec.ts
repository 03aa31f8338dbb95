import { describe, expect, it } from '@jest/globals';
import { type Blocking, blockingDetail } from './blocking';

const NOW = Date.parse('2026-12-20T10:00:00Z');
const iso = (value: string) => value;

describe('blockingDetail', () => {
  it.each<[Blocking, string | undefined]>([
    [
      { kind: 'window', message: 'outside its time windows until …', opensAt: '2026-12-21T06:00:00Z' },
      'Next opening: 2026-12-21T06:00:00Z (in 20h)',
    ],
    [
      { kind: 'window', message: 'outside its time windows (no opening within a year)', opensAt: null },
      'No opening within a year: check the application’s windows',
    ],
    [
      { kind: 'freeze', message: 'fleet frozen', by: 'token:ops', reason: 'year-end', until: null },
      'Fleet frozen by token:ops until an admin unfreezes it: year-end',
    ],
    [
      {
        kind: 'freeze',
        message: 'fleet frozen',
        by: 'token:ops',
        reason: 'incident',
        until: '2026-12-20T12:00:00Z',
      },
      'Fleet frozen by token:ops until 2026-12-20T12:00:00Z: incident',
    ],
    [
      { kind: 'fleetBudget', message: 'fleet budget', changing: 10, limit: 10 },
      '10 of 10 clusters allowed are changing fleet-wide',
    ],
    [
      { kind: 'fleetBudget', message: 'fleet budget', changing: 45, limit: 60, share: 20, held: 20 },
      'Holding 20 of its fair share of 20; 45 of 60 clusters allowed are changing fleet-wide',
    ],
    [
      { kind: 'clusterBudget', message: 'cluster budget', changing: 3, limit: 2 },
      '3 of 2 applications allowed are changing on the cluster',
    ],
    [{ kind: 'approval', message: 'approval pending' }, undefined],
    [{ kind: 'soak', message: 'soak: 4m12s left' }, undefined],
  ])('%j → %s', (blocking, detail) => {
    expect(blockingDetail(blocking, NOW, iso)).toBe(detail);
  });
});
