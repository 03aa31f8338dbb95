import { describe, expect, it } from '@jest/globals';
import { topLevelArraySpans } from './json-spans.js';

/** The elements' texts as the spans cut them out. */
function elements(text: string, key = 'bundles'): string[] | undefined {
  const bytes = Buffer.from(text, 'utf8');
  return topLevelArraySpans(bytes, key)?.spans.map(([start, end]) => bytes.toString('utf8', start, end));
}

describe('topLevelArraySpans', () => {
  it.each([
    ['compact', '{"a":1,"bundles":[{"x":1},{"y":[2,3]}],"z":null}', ['{"x":1}', '{"y":[2,3]}']],
    ['the member last', '{"kind":"status","bundles":[{"a":"b"}]}', ['{"a":"b"}']],
    ['whitespace everywhere', ' { "bundles" : [ {"x":1} , 2 , "s" ] } ', ['{"x":1}', '2', '"s"']],
    ['an empty array', '{"bundles":[]}', []],
    [
      'brackets, braces and quotes inside strings',
      '{"m":"}]\\"bundles\\":[","bundles":[{"s":"]},\\\\"},{"t":"\\u0022"}]}',
      ['{"s":"]},\\\\"}', '{"t":"\\u0022"}'],
    ],
    ['the key nested deeper is not it', '{"x":{"bundles":[1]},"bundles":[2]}', ['2']],
    [
      'scalars of every kind',
      '{"bundles":[true,false,null,-1.5e3,{}]}',
      ['true', 'false', 'null', '-1.5e3', '{}'],
    ],
    ['multi-byte text', '{"bundles":[{"m":"ünïcødé ✓"}]}', ['{"m":"ünïcødé ✓"}']],
  ])('%s', (_, text, expected) => {
    expect(elements(text)).toEqual(expected);
  });

  it.each([
    ['no such member', '{"a":[1]}'],
    ['not an array', '{"bundles":{"a":1}}'],
    [
      'the member twice (JSON.parse keeps the last; the caller compares the whole)',
      '{"bundles":[1],"bundles":[2]}',
    ],
    ['an escaped key naming it', '{"bundl\\u0065s":[1]}'],
    ['not an object', '[{"bundles":[1]}]'],
    ['an empty object', '{}'],
    ['cut short', '{"bundles":[{"a":1},'],
  ])('%s → undefined', (_, text) => {
    expect(elements(text)).toBeUndefined();
  });

  it('gives the offsets of the brackets', () => {
    expect(topLevelArraySpans(Buffer.from('{"a":1,"bundles": [ 1 ,2] }'), 'bundles')).toEqual({
      spans: [
        [20, 21],
        [23, 24],
      ],
      open: 18,
      close: 24,
    });
  });

  it.each([
    ['garbage in an element (not checked: the caller parses it)', '{"bundles":[{"a":1]]}', ['{"a":1]']],
    ['an unterminated string', '{"bundles":["abc]}', undefined],
    ['a scalar running into other bytes (the caller parses it)', '{"bundles":[1;2]}', ['1;2']],
    ['bytes that are not JSON at all', 'nope', undefined],
    ['an empty text', '', undefined],
  ])('on text not known to be JSON: %s', (_, text, expected) => {
    expect(elements(text)).toEqual(expected);
  });

  it('cuts every element of a JSON.stringify text so that each parses to the element', () => {
    const bundles = [
      { application: 'web', failing: [{ id: 'x', message: 'a "quoted" ] message\n' }] },
      { application: 'api', ready: 2, nested: { deep: [[1], [2, { three: 3 }]] } },
    ];
    const text = JSON.stringify({ schemaVersion: 1, kind: 'status', bundles, removed: ['old'] });
    expect(elements(text)?.map((e) => JSON.parse(e) as unknown)).toEqual(bundles);
  });
});
