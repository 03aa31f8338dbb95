import { describe, expect, it } from '@jest/globals';
import { at } from './gate-fixtures.js';
import {
  BLOCKING_KINDS,
  blockingMessage,
  defaultGateSettings,
  GATE_SETTING_KEYS,
  GATES,
  parseGateSettings,
  recheckAt,
  settingOf,
} from './index.js';
import { maintenanceGate } from './maintenance.js';

describe('gate registry', () => {
  it('has one gate per kind and a setting key of its own per tuned gate', () => {
    expect(new Set(GATES.map((g) => g.kind)).size).toBe(GATES.length);
    const keys = GATES.flatMap((g) => (g.setting === undefined ? [] : [g.setting.key]));
    expect(new Set(keys).size).toBe(keys.length);
    expect(GATE_SETTING_KEYS).toEqual(keys);
  });

  it('gives a gate without a setting nothing in the plan and undefined to evaluate', () => {
    const untuned = GATES.filter((g) => g.setting === undefined).map((g) => g.kind);
    expect(untuned).toEqual([
      'freeze',
      'window',
      'maintenance',
      'fleetBudget',
      'clusterBudget',
      'verificationFailed',
    ]);
    expect(Object.keys(defaultGateSettings())).toEqual(GATE_SETTING_KEYS);
    expect(settingOf(maintenanceGate, defaultGateSettings())).toBeUndefined();
  });

  it('lists every gate kind and the structural ones as blocking kinds', () => {
    expect([...BLOCKING_KINDS].sort()).toEqual(
      [...GATES.map((g) => g.kind), 'previousWave', 'cordoned', 'noBundle', 'paused'].sort(),
    );
  });

  it('collects the errors of every gate setting', () => {
    const errors: string[] = [];
    parseGateSettings({ maxConcurrency: 0, soakSeconds: -1, offlinePolicy: 'x' }, 'rest', errors);
    expect(errors).toHaveLength(3);
    expect(errors.every((e) => e.startsWith('rest.'))).toBe(true);
  });

  it.each([
    [{ kind: 'soak' as const, secondsLeft: 1, until: at(60) }, at(60)],
    [{ kind: 'deadline' as const, at: at(30) }, at(30)],
    [{ kind: 'approval' as const }, null],
    [{ kind: 'maintenance' as const, reason: 'upgrade', since: at(0) }, null],
    [{ kind: 'previousWave' as const }, null],
  ])('recheckAt %p', (reason, expected) => {
    expect(recheckAt(reason)).toEqual(expected);
  });

  it.each([
    [{ kind: 'previousWave' as const }, 'waiting for the previous wave'],
    [{ kind: 'paused' as const }, 'paused by an operator'],
    [{ kind: 'approval' as const }, 'approval pending'],
  ])('blockingMessage %p', (reason, message) => {
    expect(blockingMessage(reason)).toBe(message);
  });
});
