import { invalidArgument } from '../common/domain-error.js';

/**
 * Connection cursors are opaque to clients: base64url of the sort key (the cluster name, which is
 * unique). Nothing else is encoded, so a cursor stays valid across requests and replicas.
 */
export function encodeCursor(name: string): string {
  return Buffer.from(name, 'utf8').toString('base64url');
}

const MAX_CURSOR_LENGTH = 512;

/** The name a cursor stands for; INVALID_ARGUMENT when it was not made by encodeCursor. */
export function decodeCursor(cursor: string): string {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalidArgument('after: not a valid cursor (use an endCursor or edge cursor from a previous page)');
  }
  const name = Buffer.from(cursor, 'base64url').toString('utf8');
  // Round-trip check: rejects non-canonical encodings and bytes that are not UTF-8.
  if (name.length === 0 || encodeCursor(name) !== cursor) {
    throw invalidArgument('after: not a valid cursor (use an endCursor or edge cursor from a previous page)');
  }
  return name;
}
