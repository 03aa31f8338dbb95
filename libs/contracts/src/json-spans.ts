/**
 * Where the elements of a top-level array member lie in a JSON text's bytes, without building
 * anything: the hub fingerprints each bundle status of a v2 report by its exact bytes, so a status
 * sent again byte for byte is recognised without parsing or comparing it again. The text is not
 * validated here (the caller parses what it keeps); anything unexpected (no such member, the member
 * twice, not an array, an escaped key) answers `undefined`, and the caller takes the ordinary path.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** `[start, end)` byte offsets of one element. */
export type Span = readonly [number, number];

/** The array's elements, and the offsets of its `[` and `]`. */
export interface ArraySpans {
  spans: Span[];
  open: number;
  close: number;
}

/**
 * The spans of the elements of the array at top-level member `key` of the JSON object in `bytes`,
 * in order; `undefined` when the text is not shaped so (see the module comment). On text not known
 * to be JSON it never throws and only answers spans whose separators (`[`, `,`, `]`, whitespace)
 * are JSON's: what lies inside an element is not checked.
 */
export function topLevelArraySpans(bytes: Uint8Array, key: string): ArraySpans | undefined {
  const wanted = Buffer.from(`"${key}"`, 'utf8');
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_OBJECT) return undefined;
  i = skipSpace(bytes, i + 1);
  let found: ArraySpans | undefined;
  if (bytes[i] === CLOSE_OBJECT) return undefined;
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = skipString(bytes, i);
    if (keyEnd < 0) return undefined;
    const isWanted = equalBytes(bytes, i, keyEnd, wanted);
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    i = skipSpace(bytes, i + 1);
    if (isWanted) {
      if (found !== undefined || bytes[i] !== OPEN_ARRAY) return undefined;
      found = arraySpans(bytes, i);
      if (found === undefined) return undefined;
      i = found.close + 1;
    } else {
      i = skipValue(bytes, i);
      if (i < 0) return undefined;
    }
    i = skipSpace(bytes, i);
    if (bytes[i] === COMMA) {
      i = skipSpace(bytes, i + 1);
      continue;
    }
    return bytes[i] === CLOSE_OBJECT ? found : undefined;
  }
}

function arraySpans(bytes: Uint8Array, open: number): ArraySpans | undefined {
  const spans: Span[] = [];
  let i = skipSpace(bytes, open + 1);
  if (bytes[i] === CLOSE_ARRAY) return { spans, open, close: i };
  for (;;) {
    const end = skipValue(bytes, i);
    if (end < 0) return undefined;
    spans.push([i, end]);
    i = skipSpace(bytes, end);
    if (bytes[i] === COMMA) {
      i = skipSpace(bytes, i + 1);
      continue;
    }
    return bytes[i] === CLOSE_ARRAY ? { spans, open, close: i } : undefined;
  }
}

/** The offset just after the value starting at `i`, or -1. */
function skipValue(bytes: Uint8Array, i: number): number {
  const c = bytes[i];
  if (c === QUOTE) return skipString(bytes, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    while (i < bytes.length) {
      const x = bytes[i]!;
      if (x === QUOTE) {
        i = skipString(bytes, i);
        if (i < 0) return -1;
        continue;
      }
      if (x === OPEN_OBJECT || x === OPEN_ARRAY) depth++;
      else if (x === CLOSE_OBJECT || x === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  const start = i;
  while (i < bytes.length && !isDelimiter(bytes[i]!)) i++;
  return i > start ? i : -1;
}

/** The offset just after the string whose opening quote is at `i`, or -1. */
function skipString(bytes: Uint8Array, i: number): number {
  // Native search for the next quote (strings are most of the bytes); escaped when an odd number of
  // backslashes precede it.
  for (let from = i + 1; ;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

function skipSpace(bytes: Uint8Array, i: number): number {
  while (i < bytes.length) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

function isDelimiter(c: number): boolean {
  return (
    c === COMMA ||
    c === CLOSE_OBJECT ||
    c === CLOSE_ARRAY ||
    c === 0x20 ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0x09
  );
}

function equalBytes(bytes: Uint8Array, start: number, end: number, wanted: Buffer): boolean {
  if (end - start !== wanted.length) return false;
  for (let k = 0; k < wanted.length; k++) if (bytes[start + k] !== wanted[k]) return false;
  return true;
}
