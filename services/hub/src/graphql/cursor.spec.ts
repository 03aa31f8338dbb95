import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../common/domain-error.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('connection cursors', () => {
  it.each(['a', 'prod-eu-1', 'x'.repeat(253), 'näme'])('round-trip %s', (name) => {
    const cursor = encodeCursor(name);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toBe(name);
  });

  it('are not the name itself', () => {
    expect(encodeCursor('prod-eu')).not.toContain('prod');
  });

  it.each(['', 'not a cursor!', 'cHJvZA==', 'x'.repeat(600), encodeCursor('ok') + '+'])(
    'refuse %j with INVALID_ARGUMENT',
    (cursor) => {
      let error: unknown;
      try {
        decodeCursor(cursor);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('after') });
    },
  );

  it('refuses bytes that are not UTF-8', () => {
    expect(() => decodeCursor(Buffer.from([0xff, 0xfe]).toString('base64url'))).toThrow(DomainError);
  });
});
