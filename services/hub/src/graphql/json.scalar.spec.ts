import { describe, expect, it } from '@jest/globals';
import { parseValue } from 'graphql';
import { JsonScalar, MAX_JSON_DEPTH } from './json.scalar.js';

describe('JSON scalar', () => {
  it('passes JSON values through as plain copies', () => {
    const value = { waves: [{ name: 'canary', maxConcurrency: '25%', requireApproval: true }], n: null };
    const parsed = JsonScalar.parseValue(value);
    expect(parsed).toEqual(value);
    expect(parsed).not.toBe(value);
    expect(JsonScalar.serialize(value)).toEqual(value);
    expect(JsonScalar.parseValue('text')).toBe('text');
    expect(JsonScalar.serialize(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00.000Z');
  });

  it('parses literals in GraphQL syntax, with variables at execution', () => {
    const literal = parseValue(
      '{ waves: [{ name: "canary", soakSeconds: 60, ratio: 0.5, x: $v }], on: false }',
    );
    expect(JsonScalar.parseLiteral(literal, { v: { a: [1] } })).toEqual({
      waves: [{ name: 'canary', soakSeconds: 60, ratio: 0.5, x: { a: [1] } }],
      on: false,
    });
    expect(JsonScalar.parseLiteral(parseValue('null'), {})).toBeNull();
  });

  it('refuses unquoted strings, non-finite numbers, functions and deep nesting', () => {
    expect(() => JsonScalar.parseLiteral(parseValue('{ policy: skip }'), {})).toThrow(/quoted/);
    expect(() => JsonScalar.parseValue({ n: Infinity })).toThrow(/finite/);
    expect(() => JsonScalar.parseValue({ f: () => 1 })).toThrow(/function/);
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_JSON_DEPTH + 1; i++) deep = [deep];
    expect(() => JsonScalar.parseValue(deep)).toThrow(/deeper/);
  });
});
