import { describe, expect, it } from '@jest/globals';
import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { costLimitRule, depthLimitRule } from './query-limits.js';

// A recursive schema: the hub's own has no cycles yet, so deep valid queries need one here.
const schema = buildSchema(`
  type Query {
    node: Node
    items(first: Int = 50, after: String): ItemConnection!
    plain: [Node!]!
    members(first: Int, after: String): [Node!]!
  }
  type Node { id: ID! child: Node }
  type ItemConnection { edges: [Edge!]! totalCount: Int! }
  type Edge { node: Node! }
`);

function errorsFor(query: string, rules = [depthLimitRule(4), costLimitRule(1_000)]) {
  return validate(schema, parse(query), rules).map((e) => ({ code: e.extensions['code'], ...e.extensions }));
}

const nested = (levels: number) =>
  `{ node { ${'child { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} } }`;

describe('depthLimitRule', () => {
  it('allows depth up to the limit and refuses one more level with QUERY_TOO_DEEP', () => {
    expect(errorsFor(nested(4))).toEqual([]);
    expect(errorsFor(nested(5))).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 }]);
  });

  it('counts fragments where they are spread', () => {
    const query = `
      query { node { ...Deep } }
      fragment Deep on Node { child { child { child { id } } } }`;
    expect(errorsFor(query)).toEqual([{ code: 'QUERY_TOO_DEEP', depth: 5, maxDepth: 4 }]);
  });

  it('exempts introspection, whose type chains are deep', () => {
    expect(errorsFor(getIntrospectionQuery())).toEqual([]);
  });

  it('does not loop on fragment cycles (reported by the spec rules)', () => {
    const query = `query { node { ...A } } fragment A on Node { child { ...A } }`;
    expect(() => validate(schema, parse(query), [depthLimitRule(4)])).not.toThrow();
  });
});

describe('costLimitRule', () => {
  it('multiplies what a page selects by its first argument', () => {
    // 1 (items) + 10 × (1 edges + 1 node + 1 id) + 1 totalCount
    expect(errorsFor(`{ items(first: 10) { edges { node { id } } totalCount } }`)).toEqual([]);
    expect(errorsFor(`{ items(first: 400) { edges { node { id } } } }`)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', cost: 1 + 400 * 3, maxCost: 1_000 },
    ]);
  });

  it('uses the schema default without first, and assumes the maximum for a variable', () => {
    // default 50: 1 + 50 × 3 = 151
    expect(errorsFor(`{ items { edges { node { id } } } }`)).toEqual([]);
    expect(errorsFor(`query($n: Int) { items(first: $n) { edges { node { id } } } }`)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', cost: 1 + 500 * 3, maxCost: 1_000 },
    ]);
  });

  it('counts an optionally paged list once when first is left out, by its page when given', () => {
    // Unpaged, like plain: 1 + (1 id + 1 child + 1 id) = 4; 200 aliases of it stay under 1,000 only
    // if each counts 4, not 4 × 500.
    const aliases = Array.from({ length: 200 }, (_, i) => `m${i}: members { id child { id } }`).join(' ');
    expect(errorsFor(`{ ${aliases} }`)).toEqual([]);
    expect(errorsFor(`{ members(first: 400) { id child { id } } }`)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', cost: 1 + 400 * 3, maxCost: 1_000 },
    ]);
    expect(errorsFor(`query($n: Int) { members(first: $n) { id } }`)).toEqual([]);
  });

  it('adds up aliases', () => {
    const aliases = Array.from({ length: 8 }, (_, i) => `a${i}: items { edges { node { id } } }`).join(' ');
    expect(errorsFor(`{ ${aliases} }`)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', cost: 8 * 151, maxCost: 1_000 },
    ]);
  });

  it('computes each fragment once, so nested spreads cannot blow up the check', () => {
    const fragments = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on Node { a: child { ...F${i + 1} } b: child { ...F${i + 1} } }`,
    ).join('\n');
    const query = `{ node { ...F0 } } ${fragments} fragment F30 on Node { id }`;
    const started = Date.now();
    const errors = errorsFor(query, [costLimitRule(1_000)]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(errors).toEqual([expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' })]);
  });

  it('does not count introspection or __typename', () => {
    expect(errorsFor(`{ __typename }`, [costLimitRule(0)])).toEqual([]);
    expect(errorsFor(getIntrospectionQuery(), [costLimitRule(0)])).toEqual([]);
  });
});
