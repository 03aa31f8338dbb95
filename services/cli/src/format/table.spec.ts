import { describe, expect, it } from '@jest/globals';
import { renderFields, renderTable, truncate, width } from './table.js';

describe('renderTable', () => {
  it.each([
    [
      'aligns columns three spaces apart with uppercase headers',
      ['name', 'status', 'age'],
      [
        ['canary-1', 'Ready', '5m'],
        ['prod-eu-10', 'NotReady', '3h'],
      ],
      'NAME         STATUS     AGE\ncanary-1     Ready      5m\nprod-eu-10   NotReady   3h\n',
    ],
    ['prints only the headers without rows', ['name', 'age'], [], 'NAME   AGE\n'],
    ['leaves no trailing spaces after an empty last cell', ['a', 'b'], [['x', '']], 'A   B\nx\n'],
    ['fills missing cells with nothing', ['a', 'b', 'c'], [['1']], 'A   B   C\n1\n'],
    ['counts characters, not bytes', ['name', 'x'], [['ünï', '1']], 'NAME   X\nünï    1\n'],
  ])('%s', (_case, headers, rows, expected) => {
    expect(renderTable(headers, rows)).toBe(expected);
  });
});

describe('renderFields', () => {
  it('aligns values and leaves out undefined ones', () => {
    expect(
      renderFields([
        ['Rollout', 'r-1'],
        ['Blocking', undefined],
        ['Application', 'web'],
      ]),
    ).toBe('Rollout:      r-1\nApplication:  web\n');
  });

  it('indents the lines of a multi-line value under the first', () => {
    expect(renderFields([['Errors', 'one\ntwo']])).toBe('Errors:  one\n         two\n');
  });
});

describe('truncate and width', () => {
  it.each([
    ['short', 10, 'short'],
    ['exactly10!', 10, 'exactly10!'],
    ['a bit too long', 8, 'a bit t…'],
    ['x', 0, ''],
  ])('truncate(%j, %i) = %j', (text, max, expected) => {
    expect(truncate(text, max)).toBe(expected);
  });

  it('counts code points', () => {
    expect(width('…é')).toBe(2);
  });
});
