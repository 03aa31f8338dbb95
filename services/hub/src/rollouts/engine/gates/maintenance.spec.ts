import { describe, expect, it } from '@jest/globals';
import { at, cluster, context } from './gate-fixtures.js';
import { maintenanceGate } from './maintenance.js';
import { type GateCluster } from './types.js';

describe('maintenanceGate.evaluate', () => {
  const upgrade = { reason: 'node pool upgrade', since: at(-600) };
  const held = {
    status: 'blocked',
    reason: { kind: 'maintenance', reason: 'node pool upgrade', since: at(-600) },
  };
  it.each<[string, GateCluster | undefined, unknown]>([
    ['pending, not in maintenance', cluster(), { status: 'open' }],
    ['pending, in maintenance: held', cluster({ maintenance: upgrade }), held],
    [
      'pending, in maintenance while NotReady: held all the same',
      cluster({ clusterStatus: 'NotReady', maintenance: upgrade }),
      held,
    ],
    [
      'assigned before the maintenance: keeps going',
      cluster({ phase: 'Assigned', maintenance: upgrade }),
      { status: 'open' },
    ],
    ['applying: keeps going', cluster({ phase: 'Applying', maintenance: upgrade }), { status: 'open' }],
    ['progressing: keeps going', cluster({ phase: 'Progressing', maintenance: upgrade }), { status: 'open' }],
    ['no cluster (not the cluster stage)', undefined, { status: 'open' }],
  ])('%s', (_name, member, expected) => {
    expect(maintenanceGate.evaluate(context(undefined, { cluster: member }))).toEqual(expected);
  });
});

describe('maintenanceGate', () => {
  it('has no wave setting, so the plan has nothing to say about it', () => {
    expect(maintenanceGate.setting).toBeUndefined();
  });

  it('is looked at again on a report only (no time of its own)', () => {
    expect(maintenanceGate.recheckAt).toBeUndefined();
  });

  it.each([
    ['node pool upgrade', 'maintenance since 2026-01-01T00:00:00Z: node pool upgrade'],
    ['', 'maintenance since 2026-01-01T00:00:00Z'],
  ])('message for %p', (reason, message) => {
    expect(maintenanceGate.message({ kind: 'maintenance', reason, since: at(0) })).toBe(message);
  });
});
