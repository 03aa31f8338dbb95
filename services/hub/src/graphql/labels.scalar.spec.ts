import { describe, expect, it } from '@jest/globals';
import { parseValue } from 'graphql';
import { LabelsScalar } from './labels.scalar.js';

describe('Labels scalar', () => {
  it('accepts and returns a plain object of strings', () => {
    const parsed = LabelsScalar.parseValue({ env: 'prod', 'example.com/team': 'a' });
    expect(parsed).toEqual({ env: 'prod', 'example.com/team': 'a' });
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(LabelsScalar.serialize({ env: 'prod' })).toEqual({ env: 'prod' });
  });

  it.each([[null], ['env=prod'], [['env']], [{ env: 1 }], [{ env: null }]])('refuses %j', (value) => {
    expect(() => LabelsScalar.parseValue(value)).toThrow(/Labels/);
  });

  it('parses object literals, with variables at execution and placeholders during validation', () => {
    const literal = parseValue('{ env: "prod", round: $r }');
    expect(LabelsScalar.parseLiteral(literal, { r: '7' })).toEqual({ env: 'prod', round: '7' });
    expect(LabelsScalar.parseLiteral(literal, undefined)).toEqual({ env: 'prod', round: '' });
    expect(() => LabelsScalar.parseLiteral(literal, { r: 7 })).toThrow(/must be a string/);
    expect(() => LabelsScalar.parseLiteral(parseValue('{ env: 3 }'), {})).toThrow(/strings/);
    expect(() => LabelsScalar.parseLiteral(parseValue('"env=prod"'), {})).toThrow(/object/);
  });

  it('serialises output without copying it, refusing what is not labels', () => {
    const labels = { env: 'prod' };
    expect(LabelsScalar.serialize(labels)).toBe(labels);
    for (const bad of [null, 'env=prod', ['env'], { env: 1 }])
      expect(() => LabelsScalar.serialize(bad)).toThrow(/Labels/);
  });

  it('bounds the number of entries', () => {
    const many = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, 'v']));
    expect(() => LabelsScalar.parseValue(many)).toThrow(/at most 256/);
  });
});
