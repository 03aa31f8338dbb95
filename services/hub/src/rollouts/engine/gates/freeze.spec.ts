import { describe, expect, it } from '@jest/globals';
import { at, clusters, context } from './gate-fixtures.js';
import { freezeGate, freezeHolds } from './freeze.js';
import { type FleetFreeze, type FleetState, OPEN_FLEET } from './types.js';

const freeze: FleetFreeze = { reason: 'year-end', by: 'ops-admin', since: at(-3600), until: at(3600) };
const frozen = (overrides: Partial<FleetState> = {}): FleetState => ({ ...OPEN_FLEET, freeze, ...overrides });

describe('freezeGate.evaluate', () => {
  const held = { status: 'blocked', reason: { kind: 'freeze', ...freeze } };
  it.each<[string, Parameters<typeof context<undefined>>[1], unknown]>([
    ['no freeze: open', {}, { status: 'open' }],
    ['frozen: held, with who, why and until when', { fleet: frozen() }, held],
    [
      'frozen without an end: held',
      { fleet: frozen({ freeze: { ...freeze, until: null } }) },
      { status: 'blocked', reason: { kind: 'freeze', ...freeze, until: null } },
    ],
    ['lifts by itself at its end', { fleet: frozen(), now: at(3600) }, { status: 'open' }],
    ['an admin let this rollout past it', { fleet: frozen({ freezeOverridden: true }) }, { status: 'open' }],
    [
      'nothing pending (running clusters finish)',
      { fleet: frozen(), clusters: clusters('Progressing') },
      { status: 'open' },
    ],
    ['an empty wave changes nothing', { fleet: frozen(), clusters: [] }, { status: 'open' }],
  ])('%s', (_name, overrides, expected) => {
    expect(freezeGate.evaluate(context(undefined, overrides))).toEqual(expected);
  });
});

describe('freezeGate', () => {
  it('is asked before a wave starts and before each assignment, with no plan setting', () => {
    expect(freezeGate.stage).toEqual(['beforeStart', 'assign']);
    expect(freezeGate.setting).toBeUndefined();
  });

  it('wakes the rollout when the freeze ends by itself', () => {
    expect(freezeGate.recheckAt?.({ kind: 'freeze', ...freeze })).toEqual(at(3600));
    expect(freezeGate.recheckAt?.({ kind: 'freeze', ...freeze, until: null })).toBeNull();
  });

  it.each<[FleetFreeze, string]>([
    [freeze, 'fleet frozen by ops-admin since 2025-12-31T23:00:00Z until 2026-01-01T01:00:00Z: year-end'],
    [{ ...freeze, until: null, reason: '' }, 'fleet frozen by ops-admin since 2025-12-31T23:00:00Z'],
  ])('message %#', (reason, message) => {
    expect(freezeGate.message({ kind: 'freeze', ...reason })).toBe(message);
  });

  it.each<[string, { until: Date | null } | null, boolean]>([
    ['none', null, false],
    ['until later', { until: at(1) }, true],
    ['until now', { until: at(0) }, false],
    ['no end', { until: null }, true],
  ])('freezeHolds: %s', (_name, value, holds) => {
    expect(freezeHolds(value, at(0))).toBe(holds);
  });
});
