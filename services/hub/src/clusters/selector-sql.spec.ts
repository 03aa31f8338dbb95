import { describe, expect, it } from '@jest/globals';
import { parseSelector } from '@fleetwave/labels';
import { selectorToSql } from './selector-sql.js';

const sql = (selector: string) => selectorToSql(parseSelector(selector), 'c.labels');
const NUMBER = 'CAST(c.labels ->> :sel0k AS numeric)';

describe('selectorToSql', () => {
  it('adds no condition for the empty selector', () => {
    expect(sql('')).toEqual({ clause: undefined, params: {} });
  });

  it.each([
    ['env=prod', 'c.labels @> CAST(:sel0v AS jsonb)', { sel0v: '{"env":"prod"}' }],
    ['env!=prod', 'NOT (c.labels @> CAST(:sel0v AS jsonb))', { sel0v: '{"env":"prod"}' }],
    [
      'env in (prod,dev)',
      'c.labels ->> :sel0k = ANY(CAST(:sel0v AS text[]))',
      { sel0k: 'env', sel0v: ['dev', 'prod'] },
    ],
    [
      'env notin (prod)',
      'NOT (c.labels ? :sel0k AND c.labels ->> :sel0k = ANY(CAST(:sel0v AS text[])))',
      { sel0k: 'env', sel0v: ['prod'] },
    ],
    ['env', 'c.labels ? :sel0k', { sel0k: 'env' }],
    ['!env', 'NOT (c.labels ? :sel0k)', { sel0k: 'env' }],
    // `()` is the set holding only the empty value (apimachinery), so no special SQL.
    ['env in ()', 'c.labels ->> :sel0k = ANY(CAST(:sel0v AS text[]))', { sel0k: 'env', sel0v: [''] }],
    [
      'env notin ()',
      'NOT (c.labels ? :sel0k AND c.labels ->> :sel0k = ANY(CAST(:sel0v AS text[])))',
      { sel0k: 'env', sel0v: [''] },
    ],
    [
      'nodes>2',
      `CASE WHEN c.labels ->> :sel0k ~ '^[+-]?[0-9]+$' THEN ${NUMBER} BETWEEN -9223372036854775808 AND 9223372036854775807 AND ${NUMBER} > CAST(:sel0v AS numeric) ELSE false END`,
      { sel0k: 'nodes', sel0v: '2' },
    ],
    [
      'nodes<007',
      `CASE WHEN c.labels ->> :sel0k ~ '^[+-]?[0-9]+$' THEN ${NUMBER} BETWEEN -9223372036854775808 AND 9223372036854775807 AND ${NUMBER} < CAST(:sel0v AS numeric) ELSE false END`,
      { sel0k: 'nodes', sel0v: '7' },
    ],
  ])('translates %s with parameters only', (selector, clause, params) => {
    expect(sql(selector)).toEqual({ clause, params });
  });

  it('ANDs requirements with distinct parameter names', () => {
    expect(sql('tier,env=prod,region notin (eu)')).toEqual({
      clause:
        'c.labels @> CAST(:sel0v AS jsonb) AND NOT (c.labels ? :sel1k AND c.labels ->> :sel1k = ANY(CAST(:sel1v AS text[]))) AND c.labels ? :sel2k',
      params: { sel0v: '{"env":"prod"}', sel1k: 'region', sel1v: ['eu'], sel2k: 'tier' },
    });
  });

  it('keeps keys and values out of the SQL text, whatever they are', () => {
    const { clause, params } = selectorToSql(
      [
        { key: "x'); DROP TABLE cluster; --", operator: 'Equals', values: ["'"] },
        { key: '__proto__', operator: 'In', values: ['a"b'] },
      ],
      'c.labels',
      'p',
    );

    expect(clause).not.toContain('DROP');
    expect(clause).not.toContain('__proto__');
    expect(JSON.parse(params['p0v'] as string)).toEqual({ "x'); DROP TABLE cluster; --": "'" });
    expect(params).toMatchObject({ p1k: '__proto__', p1v: ['a"b'] });
  });

  it.each([
    ['a word', ['x']],
    ['no value', []],
    ['two values', ['1', '2']],
  ])('matches nothing for a hand-built Gt/Lt requirement with %s, like matchesSelector', (_what, values) => {
    expect(selectorToSql([{ key: 'n', operator: 'Gt', values }], 'c.labels')).toEqual({
      clause: 'false',
      params: {},
    });
  });

  it('builds the Equals document with an own property even for a key like __proto__', () => {
    const { params } = selectorToSql([{ key: '__proto__', operator: 'Equals', values: ['v'] }], 'c.labels');
    expect(params['sel0v']).toBe('{"__proto__":"v"}');
  });
});
