/**
 * Deterministic JSON encoding for signing, in the style of RFC 8785 (JSON Canonicalization Scheme):
 * object keys sorted by UTF-16 code units, no whitespace, numbers and strings exactly as
 * `JSON.stringify` writes them (ECMAScript Number::toString, which is what JCS specifies), arrays in order.
 *
 * The invariant the signing code relies on: whenever `canonicalJson(v)` returns, it returns the same
 * string for `JSON.parse(JSON.stringify(v))`, so a signer holding an object and a verifier holding the
 * parsed wire form agree byte for byte.
 *
 * Strictness: values JSON cannot carry faithfully throw a {@link CanonicalJsonError} instead of being
 * silently dropped or turned into `null` — `undefined` (at the top level or in an array), functions,
 * symbols, bigints, `NaN`/`±Infinity`, cycles, and objects that are neither plain objects, arrays nor
 * have a `toJSON` method (Map, Set, class instances...). Object properties whose value is `undefined`
 * are omitted, like `JSON.stringify` does. `toJSON` is honoured (so a `Date` encodes as its ISO string).
 */
export class CanonicalJsonError extends TypeError {
  override readonly name = 'CanonicalJsonError';

  constructor(
    message: string,
    /** Where in the value the problem is, e.g. `$.bundles[3].ready`. */
    readonly path: string,
  ) {
    super(`canonicalJson: ${message} at ${path}`);
  }
}

export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, '$', parts, new Set());
  return parts.join('');
}

function write(value: unknown, path: string, out: string[], ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`cannot encode ${String(value)}`, path);
      // JSON.stringify(-0) === '0', 1e21 → '1e+21': ECMAScript Number::toString, as JCS requires.
      out.push(JSON.stringify(value));
      return;
    case 'undefined':
      throw new CanonicalJsonError('cannot encode undefined', path);
    case 'bigint':
      throw new CanonicalJsonError('cannot encode a bigint', path);
    case 'function':
      throw new CanonicalJsonError('cannot encode a function', path);
    case 'symbol':
      throw new CanonicalJsonError('cannot encode a symbol', path);
    case 'object':
      break;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (ancestors.has(value)) throw new CanonicalJsonError('cannot encode a circular reference', path);

  if (!Array.isArray(value) && hasToJson(value)) {
    // Same call JSON.stringify makes; the key argument is not meaningful here.
    const replaced: unknown = value.toJSON('');
    if (replaced === value) throw new CanonicalJsonError('toJSON returned its receiver', path);
    ancestors.add(value);
    write(replaced, path, out, ancestors);
    ancestors.delete(value);
    return;
  }

  ancestors.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], `${path}[${i}]`, out, ancestors);
    }
    out.push(']');
  } else {
    // Plain means a prototype of null or of some realm's Object.prototype (structuredClone and vm
    // contexts hand out objects from another realm), so Map, Set and class instances are refused.
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      const type = typeof name === 'string' && name !== '' ? name : 'non-plain object';
      throw new CanonicalJsonError(`cannot encode a ${type}`, path);
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly the JCS ordering.
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(member, `${path}${formatKey(key)}`, out, ancestors);
    }
    out.push('}');
  }
  ancestors.delete(value);
}

function hasToJson(value: object): value is { toJSON: (key: string) => unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
