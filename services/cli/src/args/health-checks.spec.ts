import { describe, expect, it } from '@jest/globals';
import { healthChecksFrom } from './health-checks.js';

describe('healthChecksFrom (--health-check-file)', () => {
  const rule = { apiVersion: 'example.com/v1', kind: 'Widget', current: 'status.ready == true' };

  it.each([
    ['a list of rules', [rule], [rule]],
    [
      'a rule with every expression',
      [{ ...rule, failed: "status.phase == 'Failed'", inProgress: "status.phase == 'Pending'" }],
      [{ ...rule, failed: "status.phase == 'Failed'", inProgress: "status.phase == 'Pending'" }],
    ],
    ['null expressions left out', [{ ...rule, failed: null }], [rule]],
    ['an empty file is no rules', null, []],
    ['an empty list is no rules', [], []],
  ])('%s', (_case, data, expected) => {
    expect(healthChecksFrom(data, 'health.yaml')).toEqual(expected);
  });

  it.each([
    [
      'a mapping',
      rule,
      'health.yaml: expected a list of { apiVersion, kind, current, failed, inProgress } rules',
    ],
    ['a rule that is not a mapping', ['x'], 'health.yaml: rule 0 must be a mapping'],
    ['a rule without current', [{ apiVersion: 'v1', kind: 'W' }], 'health.yaml: rule 0: current is required'],
    [
      'a misspelt field',
      [{ ...rule, inprogress: 'true' }],
      'health.yaml: rule 0: unknown field "inprogress"',
    ],
    [
      'an expression that is not a string',
      [{ ...rule, current: true }],
      'health.yaml: rule 0: current must be a string',
    ],
  ])('refuses %s', (_case, data, message) => {
    expect(() => healthChecksFrom(data, 'health.yaml')).toThrow(message);
  });
});
