import { describe, expect, it } from '@jest/globals';
import {
  placementWait,
  type SyncInput,
  type SyncState,
  syncState,
  type WaitInput,
} from './placement-status.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('syncState', () => {
  const base: SyncInput = {
    latestCommit: A,
    headVetoed: false,
    settledCommit: A,
    inProgress: false,
    behind: 0,
  };
  it.each<[string, Partial<SyncInput>, SyncState]>([
    ['every placed cluster at the settled head', {}, 'InSync'],
    ['nothing fetched, nothing placed', { latestCommit: null, settledCommit: null }, 'InSync'],
    ['a rollout, rollback or catch-up running', { inProgress: true, behind: 3 }, 'Progressing'],
    [
      'running wins over a vetoed head',
      { inProgress: true, latestCommit: B, headVetoed: true },
      'Progressing',
    ],
    ['head vetoed, fleet settled at an older commit', { latestCommit: B, headVetoed: true }, 'HeldBack'],
    ['held back wins over clusters behind', { latestCommit: B, headVetoed: true, behind: 2 }, 'HeldBack'],
    ['head vetoed but it is the settled one (forced through)', { headVetoed: true }, 'InSync'],
    ['clusters behind with nothing moving them', { behind: 1 }, 'OutOfSync'],
    ['a new head not rolled out (manual sync)', { latestCommit: B }, 'OutOfSync'],
    ['fetched but never rolled out', { settledCommit: null }, 'OutOfSync'],
  ])('%s → %s', (_name, input, expected) => {
    expect(syncState({ ...base, ...input })).toBe(expected);
  });
});

describe('placementWait', () => {
  const base: WaitInput = { behind: true, maintenance: null, activeRolloutId: null, catchup: null };
  const since = new Date('2026-12-02T08:00:00.000Z');
  it.each<[string, Partial<WaitInput>, string | null]>([
    ['at its desired revision: waits for nothing', { behind: false, catchup: { kind: 'offline' } }, null],
    [
      'maintenance first',
      { maintenance: { reason: 'upgrade', since }, activeRolloutId: 'r1' },
      'maintenance',
    ],
    ['a member of a running rollout', { activeRolloutId: 'r1', catchup: { kind: 'offline' } }, 'inRollout'],
    ['the catch-up lane says offline', { catchup: { kind: 'offline' } }, 'offline'],
    ['the catch-up lane tried it before', { catchup: { kind: 'triedBefore' } }, 'triedBefore'],
    ['otherwise queued for the lane', {}, 'queued'],
  ])('%s', (_name, input, expected) => {
    expect(placementWait({ ...base, ...input })?.kind ?? null).toBe(expected);
  });

  it('says why in words, with the maintenance reason', () => {
    expect(placementWait({ ...base, maintenance: { reason: 'node upgrades', since } })?.message).toBe(
      'cluster in maintenance since 2026-12-02T08:00:00.000Z: node upgrades',
    );
  });
});
