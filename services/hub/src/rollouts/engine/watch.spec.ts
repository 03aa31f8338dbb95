import { describe, expect, it } from '@jest/globals';
import { defaultPlan, validatePlan } from './plan.js';
import { degradationOf, newDegradations, type WatchedCluster, watchingUntil } from './watch.js';

const T0 = Date.parse('2026-01-05T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const cluster = (overrides: Partial<WatchedCluster> = {}): WatchedCluster => ({
  clusterId: 'c-1',
  name: 'east-1',
  targetDigest: 'sha256:new',
  reported: { digest: 'sha256:new', phase: 'Healthy', ready: 2, total: 2 },
  clusterStatus: 'Ready',
  ...overrides,
});
const report = (phase: 'Healthy' | 'Degraded' | 'Failed' | 'Stalled' | 'Progressing', ready = 2) => ({
  digest: 'sha256:new',
  phase,
  ready,
  total: 2,
});

describe('plan watch settings', () => {
  it('are off unless set, and kept when set', () => {
    expect(validatePlan({})).toEqual({ plan: defaultPlan() });
    expect(validatePlan({ watchSeconds: 600, rollbackOnWatchFailure: true })).toEqual({
      plan: { ...defaultPlan(), watchSeconds: 600, rollbackOnWatchFailure: true },
    });
  });

  it.each<[string, unknown, string]>([
    ['negative', { watchSeconds: -1 }, 'watchSeconds: must be an integer from 0 to 31449600'],
    ['not a number', { watchSeconds: '10m' }, 'watchSeconds: must be an integer from 0 to 31449600'],
    ['fraction', { watchSeconds: 1.5 }, 'watchSeconds: must be an integer from 0 to 31449600'],
    [
      'rollback flag not boolean',
      { watchSeconds: 60, rollbackOnWatchFailure: 'yes' },
      'rollbackOnWatchFailure: must be a boolean',
    ],
    [
      'rollback without a window',
      { rollbackOnWatchFailure: true },
      'rollbackOnWatchFailure: needs watchSeconds (the window to watch in)',
    ],
  ])('rejects %s', (_name, input, error) => {
    expect(validatePlan(input)).toEqual({ errors: [error] });
  });
});

describe('watchingUntil', () => {
  it.each<[string, Parameters<typeof watchingUntil>[0], number | undefined, Date | null]>([
    ['succeeded and watched', { state: 'Succeeded', finishedAt: at(0) }, 300, at(300)],
    ['not watched', { state: 'Succeeded', finishedAt: at(0) }, undefined, null],
    ['watch off', { state: 'Succeeded', finishedAt: at(0) }, 0, null],
    ['rolled back: no longer watched', { state: 'RolledBack', finishedAt: at(0) }, 300, null],
    ['still running', { state: 'Progressing', finishedAt: null }, 300, null],
  ])('%s', (_name, rollout, seconds, expected) => {
    expect(watchingUntil(rollout, seconds)).toEqual(expected);
  });
});

describe('degradationOf', () => {
  it.each<[string, Partial<WatchedCluster>, string | null]>([
    ['healthy', {}, null],
    ['degraded', { reported: report('Degraded') }, 'phase Degraded'],
    ['failed', { reported: report('Failed') }, 'phase Failed'],
    ['stalled', { reported: report('Stalled') }, 'phase Stalled'],
    ['not ready', { reported: report('Progressing', 1) }, 'not ready (1/2)'],
    ['about another bundle (moved on)', { reported: { ...report('Failed'), digest: 'sha256:other' } }, null],
    ['no report', { reported: null }, null],
    ['got no bundle', { targetDigest: null, reported: report('Failed') }, null],
  ])('%s', (_name, overrides, expected) => {
    expect(degradationOf(cluster(overrides))).toBe(expected);
  });
});

describe('newDegradations', () => {
  const degraded = cluster({ reported: report('Degraded') });
  const fine = cluster({ clusterId: 'c-2', name: 'east-2' });
  it.each<[string, Date | null, number, { clusterId: string }[], string[]]>([
    ['in the window', at(300), 100, [], ['c-1']],
    ['recorded already: once only', at(300), 100, [{ clusterId: 'c-1' }], []],
    ['the window is over', at(300), 300, [], []],
    ['not watched', null, 100, [], []],
  ])('%s', (_name, until, now, recorded, expected) => {
    const found = newDegradations(until, at(now), [degraded, fine], recorded);
    expect(found.map((d) => d.clusterId)).toEqual(expected);
  });

  it('names the cluster, the reason and when', () => {
    expect(newDegradations(at(300), at(100), [degraded], [])).toEqual([
      { clusterId: 'c-1', cluster: 'east-1', reason: 'phase Degraded', at: at(100) },
    ]);
  });
});
