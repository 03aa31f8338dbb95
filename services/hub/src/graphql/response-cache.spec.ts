import { describe, expect, it } from '@jest/globals';
import { parse } from 'graphql';
import { type Actor } from '../common/actor.js';
import { type ReadStamp } from '../common/read-cache.js';
import { cacheableRoot, responseKey, ResponseStore, rootArguments } from './response-cache.js';

describe('cacheableRoot', () => {
  it.each<[string, string, string | undefined, string | null]>([
    ['one root field', '{ rollout(id: "a") { id } }', undefined, 'rollout'],
    ['a named query', 'query R($id: ID!) { rollout(id: $id) { id } }', undefined, 'rollout'],
    ['an alias keeps the field', '{ r: rollout(id: "a") { id } }', undefined, 'rollout'],
    [
      'fragments below the root',
      '{ rollout(id: "a") { ...F } } fragment F on Rollout { id }',
      undefined,
      'rollout',
    ],
    [
      'the operation named among several',
      'query A { viewer { name } } query B { rollout(id: "a") { id } }',
      'B',
      'rollout',
    ],
    ['two root fields', '{ rollout(id: "a") { id } viewer { name } }', undefined, null],
    ['a mutation', 'mutation { pauseRollout(id: "a") { id } }', undefined, null],
    ['a subscription', 'subscription { rolloutChanged(id: "a") { id } }', undefined, null],
    [
      'a directive on the root field',
      'query Q($x: Boolean!) { rollout(id: "a") @include(if: $x) { id } }',
      undefined,
      null,
    ],
    ['a directive on the operation', 'query Q @foo { rollout(id: "a") { id } }', undefined, null],
    ['a fragment at the root', '{ ...F } fragment F on Query { rollout(id: "a") { id } }', undefined, null],
    ['an inline fragment at the root', '{ ... on Query { rollout(id: "a") { id } } }', undefined, null],
    ['introspection', '{ __schema { types { name } } }', undefined, null],
    [
      'several operations, none named',
      'query A { viewer { name } } query B { rollout(id: "a") { id } }',
      undefined,
      null,
    ],
    ['an unknown operation name', '{ rollout(id: "a") { id } }', 'Other', null],
  ])('%s', (_, query, operationName, expected) => {
    expect(cacheableRoot(parse(query), operationName)?.name ?? null).toBe(expected);
  });
});

describe('rootArguments', () => {
  it.each<[string, string, Record<string, unknown> | undefined, Record<string, unknown>]>([
    ['a literal', '{ rollout(id: "a") { id } }', undefined, { id: 'a' }],
    ['a variable', 'query R($id: ID!) { rollout(id: $id) { id } }', { id: 'b' }, { id: 'b' }],
    ['an absent variable', 'query R($id: ID) { rollout(id: $id) { id } }', {}, { id: undefined }],
    ['no arguments', '{ viewer { name } }', undefined, {}],
  ])('%s', (_, query, variables, expected) => {
    expect(rootArguments(cacheableRoot(parse(query), undefined)!, variables)).toEqual(expected);
  });
});

describe('responseKey', () => {
  const viewer: Actor = { name: 'token:a', role: 'viewer' };
  const base: Parameters<typeof responseKey>[0] = {
    query: '{ rollout(id: "a") { id } }',
    operationName: undefined,
    variables: { id: 'a' },
    caller: viewer,
  };
  const key = responseKey(base);

  it.each<[string, Partial<typeof base>]>([
    ['another document', { query: '{ rollout(id: "a") { id state } }' }],
    ['another operation', { operationName: 'Other' }],
    ['other variables', { variables: { id: 'b' } }],
    ['no variables', { variables: undefined }],
    ['another caller of the same role', { caller: { name: 'token:b', role: 'viewer' } }],
    ['the same name with another role', { caller: { name: 'token:a', role: 'admin' } }],
    ['bound to a project', { caller: { ...viewer, project: 'payments' } }],
    ['a member of other projects', { caller: { ...viewer, membersOnly: true, memberOf: ['p'] } }],
    ['in other groups', { caller: { ...viewer, groups: ['g'] } }],
  ])('differs for %s', (_, change) => {
    expect(responseKey({ ...base, ...change })).not.toBe(key);
  });

  it('is the same for the same request by the same caller', () => {
    expect(responseKey({ ...base, variables: { id: 'a' }, caller: { ...viewer } })).toBe(key);
  });
});

describe('ResponseStore', () => {
  const at = (version: string, monotonic = 0, clock = 1_000_000): ReadStamp => ({
    version,
    monotonic,
    clock,
  });
  const body = (text: string, length = 10) => ({
    body: Buffer.from(text.padEnd(length, '.')),
    etag: `"${text}"`,
  });
  const store = (options: Partial<ConstructorParameters<typeof ResponseStore>[0]> = {}) =>
    new ResponseStore({ maxAgeMs: 1_000, maxBytes: 1_000, maxPerScope: 3, ...options });

  it.each<[string, ReadStamp, boolean]>([
    ['the same version within the bound', at('v1', 500, 1_000_500), true],
    ['another version', at('v2', 1), false],
    ['past the bound', at('v1', 1_001, 1_000_100), false],
    ['the hub clock moved back', at('v1', 1, 999_999), false],
  ])('serves an answer at %s: %s', (_, now, served) => {
    const kept = store();
    kept.put('r1', 'k', at('v1'), body('a'));
    expect(kept.get('r1', 'k', now)?.etag).toBe(served ? '"a"' : undefined);
    // A stale answer is dropped, not kept until evicted.
    expect(kept.size.entries).toBe(served ? 1 : 0);
  });

  it('keeps nothing with the bound 0', () => {
    const kept = store({ maxAgeMs: 0 });
    kept.put('r1', 'k', at('v1'), body('a'));
    expect(kept.size).toEqual({ entries: 0, bytes: 0 });
  });

  it("drops a scope's answers of another version when a new one is kept, not other scopes'", () => {
    const kept = store();
    kept.put('r1', 'viewer', at('v1'), body('a'));
    kept.put('r1', 'admin', at('v1'), body('b'));
    kept.put('r2', 'viewer', at('w1'), body('c'));
    kept.put('r1', 'viewer', at('v2'), body('d'));
    expect(kept.get('r1', 'admin', at('v1'))).toBeUndefined();
    expect(kept.get('r1', 'viewer', at('v2'))?.etag).toBe('"d"');
    expect(kept.get('r2', 'viewer', at('w1'))?.etag).toBe('"c"');
    expect(kept.size).toEqual({ entries: 2, bytes: 20 });
  });

  it('replaces the answer of the same key', () => {
    const kept = store();
    kept.put('r1', 'k', at('v1'), body('a'));
    kept.put('r1', 'k', at('v1'), body('b', 20));
    expect(kept.get('r1', 'k', at('v1'))?.etag).toBe('"b"');
    expect(kept.size).toEqual({ entries: 1, bytes: 20 });
  });

  it("evicts the scope's least recently used answer beyond maxPerScope", () => {
    const kept = store();
    for (const key of ['a', 'b', 'c']) kept.put('r1', key, at('v1'), body(key));
    kept.get('r1', 'a', at('v1')); // a used: b is now the least recently used
    kept.put('r1', 'd', at('v1'), body('d'));
    expect(['a', 'b', 'c', 'd'].map((k) => kept.get('r1', k, at('v1'))?.etag ?? null)).toEqual([
      '"a"',
      null,
      '"c"',
      '"d"',
    ]);
  });

  it('evicts the least recently used answers of any scope beyond maxBytes', () => {
    const kept = store({ maxBytes: 100 });
    kept.put('r1', 'a', at('v1'), body('a', 25));
    kept.put('r2', 'b', at('v1'), body('b', 25));
    kept.put('r3', 'c', at('v1'), body('c', 25));
    kept.get('r1', 'a', at('v1'));
    kept.put('r4', 'd', at('v1'), body('d', 25));
    kept.put('r5', 'e', at('v1'), body('e', 25));
    expect(kept.get('r2', 'b', at('v1'))).toBeUndefined();
    expect(kept.get('r1', 'a', at('v1'))?.etag).toBe('"a"');
    expect(kept.size.bytes).toBeLessThanOrEqual(100);
    expect(kept.size.entries).toBe(4);
  });

  it('does not keep an answer larger than a quarter of maxBytes', () => {
    const kept = store({ maxBytes: 100 });
    kept.put('r1', 'a', at('v1'), body('a', 26));
    expect(kept.size.entries).toBe(0);
  });
});
