import { describe, expect, it } from '@jest/globals';
import { deadlineGate } from './deadline.js';
import { at, cluster, context, parse } from './gate-fixtures.js';
import { type GateContext } from './types.js';

describe('deadlineGate.evaluate', () => {
  const assigned = cluster({ clusterId: 'c3', phase: 'Applying', assignedAt: at(0) });
  it.each<[string, Partial<GateContext<number>>, unknown]>([
    ['not assigned', { cluster: cluster(), now: at(1000) }, { status: 'open' }],
    [
      'Healthy is not in flight',
      { cluster: { ...assigned, phase: 'Healthy' }, now: at(1000) },
      { status: 'open' },
    ],
    [
      'running',
      { cluster: assigned, now: at(10) },
      { status: 'blocked', reason: { kind: 'deadline', at: at(600) } },
    ],
    [
      'times out at the deadline',
      { cluster: assigned, now: at(600) },
      { status: 'settled', mark: 'timedOut', event: 'cluster c3 timed out after 600s' },
    ],
    [
      'runs from the last resume',
      { cluster: assigned, resumedAt: at(500), now: at(700) },
      { status: 'blocked', reason: { kind: 'deadline', at: at(1100) } },
    ],
    [
      'settled once the wave was done',
      { cluster: assigned, healthyAt: at(5), now: at(1000) },
      { status: 'open' },
    ],
    [
      'assigned after the wave was done still runs',
      { cluster: assigned, healthyAt: at(-5), now: at(10) },
      { status: 'blocked', reason: { kind: 'deadline', at: at(600) } },
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(deadlineGate.evaluate(context(600, overrides))).toEqual(expected);
  });

  it('asks to be looked at again at the deadline', () => {
    expect(deadlineGate.recheckAt?.({ kind: 'deadline', at: at(600) })).toEqual(at(600));
  });

  it('reports the earliest deadline for the wave', () => {
    const reasons = [at(900), at(300), at(600)].map((time) => ({ kind: 'deadline' as const, at: time }));
    expect(deadlineGate.waveReason?.(reasons)).toEqual({ kind: 'deadline', at: at(300) });
  });
});

describe('deadlineGate.setting', () => {
  it.each<[unknown, number, string[]]>([
    [undefined, 600, []],
    [1, 1, []],
    [0, 600, ['waves[0].progressDeadlineSeconds: must be an integer from 1 to 31449600']],
  ])('%p → %p', (raw, value, errors) => {
    expect(parse(deadlineGate.setting.parse, raw)).toEqual({ value, errors });
  });
});

describe('deadlineGate.message', () => {
  it('gives the time in UTC to the second', () => {
    expect(deadlineGate.message({ kind: 'deadline', at: new Date('2026-01-01T00:10:00.250Z') })).toBe(
      'deadline at 2026-01-01T00:10:00Z',
    );
  });
});
