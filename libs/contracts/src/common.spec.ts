import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { formatIssues, truncateUtf8 } from './common.js';

describe('truncateUtf8', () => {
  it.each<[string, string, number, string]>([
    ['short text unchanged', 'hello', 10, 'hello'],
    ['exact fit unchanged', 'hello', 5, 'hello'],
    ['cut with ellipsis', 'hello world', 8, 'hello…'],
    ['never splits a 2-byte character', 'éééé', 6, 'é…'],
    ['fills the budget with 2-byte characters', 'éééé', 7, 'éé…'],
    ['never splits a surrogate pair', '😀😀😀', 9, '😀…'],
    ['budget smaller than the ellipsis', 'hello', 2, ''],
  ])('%s', (_name, text, max, expected) => {
    const out = truncateUtf8(text, max);
    expect(out).toBe(expected);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(max);
  });
});

describe('formatIssues', () => {
  it('writes path: message lines', () => {
    const schema = z.object({ a: z.array(z.object({ 'b-c': z.string() })), d: z.number() });
    const result = schema.safeParse({ a: [{ 'b-c': 1 }], d: 'x' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(formatIssues(result.error.issues).split('\n')).toEqual([
      'a[0]["b-c"]: Invalid input: expected string, received number',
      'd: Invalid input: expected number, received string',
    ]);
  });

  it('names the root', () => {
    const result = z.string().safeParse(1);
    expect(!result.success && formatIssues(result.error.issues)).toMatch(/^\(root\): /);
  });
});
