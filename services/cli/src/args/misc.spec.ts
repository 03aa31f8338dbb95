import { describe, expect, it } from '@jest/globals';
import { parseInteger } from './numbers.js';
import { parseStates } from './states.js';
import { valuesRulesFrom } from './values.js';

describe('parseStates', () => {
  it.each([
    [[], []],
    [['Progressing'], ['Progressing']],
    [['progressing,PAUSED'], ['Progressing', 'Paused']],
    [
      ['failed', 'rolledback', 'Failed'],
      ['Failed', 'RolledBack'],
    ],
    [['awaitingapproval, soaking'], ['AwaitingApproval', 'Soaking']],
  ])('%j → %j', (values, expected) => {
    expect(parseStates(values)).toEqual(expected);
  });

  it('refuses an unknown state and lists the known ones', () => {
    expect(() => parseStates(['Running'])).toThrow(
      'unknown rollout state "Running": expected one of Pending,',
    );
  });
});

describe('parseInteger', () => {
  it.each([
    ['60', 60],
    [' 10 ', 10],
  ])('%j → %d', (text, value) => {
    expect(parseInteger(text, '--poll', 10, 86_400)).toBe(value);
  });

  it.each([
    ['abc', '--poll must be a whole number, not "abc"'],
    ['1.5', '--poll must be a whole number'],
    ['5', '--poll must be from 10 to 86400, not 5'],
    ['90000', '--poll must be from 10 to 86400, not 90000'],
  ])('refuses %j', (text, message) => {
    expect(() => parseInteger(text, '--poll', 10, 86_400)).toThrow(message);
  });
});

describe('valuesRulesFrom (--values-file)', () => {
  it.each([
    [
      'a mapping is the values of every cluster',
      { replicas: 3 },
      [{ selector: '', values: { replicas: 3 } }],
    ],
    [
      'a list is rules, first match wins',
      [{ selector: 'ring=canary', values: { tag: 'rc' } }, { values: { tag: '1.0' } }],
      [
        { selector: 'ring=canary', values: { tag: 'rc' } },
        { selector: '', values: { tag: '1.0' } },
      ],
    ],
    ['an empty file is no rules', null, []],
  ])('%s', (_case, data, expected) => {
    expect(valuesRulesFrom(data, 'values.yaml')).toEqual(expected);
  });

  it.each([
    ['a scalar', 'just text', 'values.yaml: expected a mapping of values or a list'],
    ['a rule that is not a mapping', ['x'], 'values.yaml: rule 0 must be a mapping'],
    ['a rule without values', [{ selector: 'a=b' }], 'values.yaml: rule 0: values must be a mapping'],
    ['a rule with an unknown field', [{ values: {}, selectr: 'a' }], 'rule 0: unknown field "selectr"'],
    ['a selector that is not a string', [{ selector: 1, values: {} }], 'rule 0: selector must be a string'],
  ])('refuses %s', (_case, data, message) => {
    expect(() => valuesRulesFrom(data, 'values.yaml')).toThrow(message);
  });
});
