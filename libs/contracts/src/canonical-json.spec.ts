import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { canonicalJson, CanonicalJsonError } from './canonical-json.js';

describe('canonicalJson', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'null'],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['empty object', {}, '{}'],
    ['empty array', [], '[]'],
    ['flat object, keys sorted', { b: 1, a: 2, c: 3 }, '{"a":2,"b":1,"c":3}'],
    [
      'nested objects sorted at every level',
      { z: { y: 1, x: [{ b: 1, a: 2 }] }, a: null },
      '{"a":null,"z":{"x":[{"a":2,"b":1}],"y":1}}',
    ],
    ['arrays keep their order', [3, 1, 2], '[3,1,2]'],
    ['undefined properties are omitted', { a: undefined, b: 1 }, '{"b":1}'],
    ['object with only undefined properties', { a: undefined }, '{}'],
    ['null-prototype object', Object.assign(Object.create(null) as object, { b: 1, a: 2 }), '{"a":2,"b":1}'],
    ['Date through toJSON', { at: new Date(Date.UTC(2025, 0, 31, 12)) }, '{"at":"2025-01-31T12:00:00.000Z"}'],
    ['uppercase sorts before lowercase', { a: 1, B: 2, _: 3 }, '{"B":2,"_":3,"a":1}'],
    ['numeric-looking keys sort as strings', { 10: 'a', 9: 'b', 1: 'c' }, '{"1":"c","10":"a","9":"b"}'],
  ])('%s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each<[number, string]>([
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-1.5, '-1.5'],
    [0.1, '0.1'],
    [4.5, '4.5'],
    [2e-3, '0.002'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [1e30, '1e+30'],
    [Number('333333333.33333329'), '333333333.3333333'],
    [9007199254740991, '9007199254740991'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('number %p encodes as %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
    expect(canonicalJson([value])).toBe(`[${expected}]`);
  });

  it.each<[string, string, string]>([
    ['plain ASCII', 'hello', '"hello"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['control characters', '\n\t\u000f\u001f', '"\\n\\t\\u000f\\u001f"'],
    ['non-ASCII kept as is', '€ é 日本 😀', '"€ é 日本 😀"'],
    ['solidus not escaped', 'a/b', '"a/b"'],
    ['lone surrogate escaped (well-formed JSON.stringify)', '\ud800', '"\\ud800"'],
    ['U+2028 kept as is', '\u2028', '"\u2028"'],
  ])('string: %s', (_name, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('matches the RFC 8785 example', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals":[null,true,false]}',
    ) as unknown;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, not code points (RFC 8785 §3.2.3)', () => {
    const value = {
      '\u20ac': 'Euro',
      '\r': 'CR',
      '\ufb33': 'Hebrew',
      '1': 'One',
      '\ud83d\ude00': 'Smiley',
      '\u0080': 'Ctl',
      '\u00f6': 'ö',
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"CR","1":"One","\u0080":"Ctl","ö":"ö","€":"Euro","😀":"Smiley","\ufb33":"Hebrew"}',
    );
  });

  it.each<[string, unknown, unknown]>([
    ['flat', { a: 1, b: 'x', c: true }, { c: true, b: 'x', a: 1 }],
    [
      'nested',
      { o: { p: 1, q: [1, { r: 2, s: 3 }] }, n: null },
      { n: null, o: { q: [1, { s: 3, r: 2 }], p: 1 } },
    ],
    ['undefined vs absent', { a: 1, b: undefined }, { a: 1 }],
  ])('is independent of key insertion order (%s)', (_name, left, right) => {
    expect(canonicalJson(left)).toBe(canonicalJson(right));
  });

  it('round-trips: canonicalJson(v) === canonicalJson(JSON.parse(JSON.stringify(v)))', () => {
    const value = {
      z: [1, 0.1, -0, 1e21, 'é'],
      a: { at: new Date(0), nested: { y: null, x: false } },
      m: undefined,
    };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
    expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = { back: cyclic };

  it.each<[string, unknown, string]>([
    ['top-level undefined', undefined, 'cannot encode undefined at $'],
    ['undefined in an array', [1, undefined], 'cannot encode undefined at $[1]'],
    [
      'hole in a sparse array',
      Object.assign(new Array<number>(3), { 0: 1, 2: 3 }),
      'cannot encode undefined at $[1]',
    ],
    ['function', () => 1, 'cannot encode a function at $'],
    ['function property', { a: { f: () => 1 } }, 'cannot encode a function at $.a.f'],
    ['symbol', { s: Symbol('x') }, 'cannot encode a symbol at $.s'],
    ['NaN', { n: NaN }, 'cannot encode NaN at $.n'],
    ['Infinity', [Infinity], 'cannot encode Infinity at $[0]'],
    ['-Infinity', { 'odd key': -Infinity }, 'cannot encode -Infinity at $["odd key"]'],
    ['bigint', { big: 10n }, 'cannot encode a bigint at $.big'],
    ['Map', { m: new Map([['a', 1]]) }, 'cannot encode a Map at $.m'],
    ['Set', new Set([1]), 'cannot encode a Set at $'],
    [
      'class instance',
      {
        x: new (class Point {
          x = 1;
        })(),
      },
      'cannot encode a Point at $.x',
    ],
    ['circular reference', cyclic, 'cannot encode a circular reference at $.self.back'],
  ])('rejects %s', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(`canonicalJson: ${message}`);
  });

  it('treats plain objects from another realm as plain objects', () => {
    expect(canonicalJson(runInNewContext('({ b: [{ d: 1, c: 2 }], a: 1 })'))).toBe(
      '{"a":1,"b":[{"c":2,"d":1}]}',
    );
    expect(canonicalJson(structuredClone({ b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"k":1},"b":[{"k":1}]}');
  });
});
