import { describe, expect, it } from '@jest/globals';
import { at, cluster, context, parse } from './gate-fixtures.js';
import { offlineGate } from './offline.js';
import { type OfflinePolicy } from '../vocabulary.js';
import { type GateCluster } from './types.js';

describe('offlineGate.evaluate', () => {
  const offline = cluster({ clusterId: 'c7', clusterStatus: 'Offline', clusterStatusSince: at(-60) });
  const unknown = cluster({ clusterId: 'c8', clusterStatus: 'Unknown' });
  it.each<[string, OfflinePolicy, GateCluster, unknown]>([
    ['Ready', 'wait', cluster(), { status: 'open' }],
    ['NotReady is not offline', 'fail', cluster({ clusterStatus: 'NotReady' }), { status: 'open' }],
    ['wait', 'wait', offline, { status: 'blocked', reason: { kind: 'offline', since: at(-60) } }],
    ['wait, never seen', 'wait', unknown, { status: 'blocked', reason: { kind: 'offline', since: null } }],
    ['skip', 'skip', offline, { status: 'settled', mark: 'skipped', event: 'cluster c7 skipped: Offline' }],
    [
      'fail',
      'fail',
      unknown,
      { status: 'settled', mark: 'offlineFailed', event: 'cluster c8 failed: Unknown' },
    ],
  ])('%s', (_name, setting, member, expected) => {
    expect(offlineGate.evaluate(context(setting, { cluster: member }))).toEqual(expected);
  });
});

describe('offlineGate.setting', () => {
  it.each<[unknown, OfflinePolicy, string[]]>([
    [undefined, 'wait', []],
    ['skip', 'skip', []],
    ['fail', 'fail', []],
    ['ignore', 'wait', ['waves[0].offlinePolicy: must be one of wait, skip, fail']],
  ])('%p → %p', (raw, value, errors) => {
    expect(parse(offlineGate.setting.parse, raw)).toEqual({ value, errors });
  });
});

describe('offlineGate.message', () => {
  it.each([
    [at(0), 'offline since 2026-01-01T00:00:00Z'],
    [null, 'offline (never seen)'],
  ])('since %p', (since, message) => {
    expect(offlineGate.message({ kind: 'offline', since })).toBe(message);
  });
});
