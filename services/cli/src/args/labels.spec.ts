import { describe, expect, it } from '@jest/globals';
import { CliError } from '../errors.js';
import { formatLabels, parseLabelChanges } from './labels.js';

describe('parseLabelChanges (kubectl label syntax)', () => {
  it.each([
    [['env=prod'], { set: { env: 'prod' }, remove: [] }],
    [['env=prod', 'ring=canary'], { set: { env: 'prod', ring: 'canary' }, remove: [] }],
    [['ring-'], { set: {}, remove: ['ring'] }],
    [['env=prod', 'ring-', 'tier-'], { set: { env: 'prod' }, remove: ['ring', 'tier'] }],
    [['team='], { set: { team: '' }, remove: [] }],
    [['fleetwave.io/zone=eu-1'], { set: { 'fleetwave.io/zone': 'eu-1' }, remove: [] }],
    [['a=1', 'a=1'], { set: { a: '1' }, remove: [] }],
    [['x-', 'x-'], { set: {}, remove: ['x'] }],
    [['key=with=equals-is-invalid-value'], null],
  ])('%j', (args, expected) => {
    if (expected === null) {
      expect(() => parseLabelChanges(args)).toThrow(CliError);
    } else {
      expect(parseLabelChanges(args)).toEqual(expected);
    }
  });

  it.each([
    [[], 'no labels given'],
    [['env'], 'invalid label "env": expected key=value or key-'],
    [['=prod'], 'invalid label "=prod": expected key=value or key-'],
    [['-'], 'invalid label "-"'],
    [['Bad Key=x'], 'invalid label "Bad Key=x": key name part must consist of'],
    [['env=no spaces'], 'invalid label "env=no spaces": value must consist of'],
    [['env=' + 'x'.repeat(64)], 'value must be no more than 63 characters'],
    [['env=prod', 'env-'], 'label "env" is both set and removed'],
    [['env-', 'env=prod'], 'label "env" is both set and removed'],
    [['env=prod', 'env=dev'], 'label "env" is given two values'],
  ])('refuses %j', (args, message) => {
    expect(() => parseLabelChanges(args)).toThrow(message);
    try {
      parseLabelChanges(args);
    } catch (error) {
      expect((error as CliError).code).toBe('USAGE');
    }
  });

  it('refuses removals where only key=value is allowed (tokens create --label)', () => {
    expect(() => parseLabelChanges(['env-'], { allowRemove: false })).toThrow(
      'invalid label "env-": expected key=value',
    );
    expect(parseLabelChanges(['env=prod'], { allowRemove: false }).set).toEqual({ env: 'prod' });
  });
});

describe('formatLabels', () => {
  it.each([
    [{}, '<none>'],
    [{ ring: 'canary', env: 'prod' }, 'env=prod,ring=canary'],
  ])('%j → %s', (labels, expected) => {
    expect(formatLabels(labels)).toBe(expected);
  });
});
