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
  const state: WriteState = { out: '', path: [], ancestors: new Set() };
  write(value, state);
  return state.out;
}

/**
 * The text so far, where the writer is (keys and indexes from the root) and the objects it is
 * inside. The path is kept as segments and formatted only for an error: building `$.bundles[3].ready`
 * for every member cost more than the encoding itself on a status report of 100 bundles.
 */
interface WriteState {
  out: string;
  path: (string | number)[];
  ancestors: Set<object>;
}

function failure(message: string, state: WriteState): CanonicalJsonError {
  const path = state.path.map((s) => (typeof s === 'number' ? `[${s}]` : formatKey(s))).join('');
  return new CanonicalJsonError(message, `$${path}`);
}

function write(value: unknown, state: WriteState): void {
  switch (typeof value) {
    case 'string':
      state.out += JSON.stringify(value);
      return;
    case 'boolean':
      state.out += value ? 'true' : 'false';
      return;
    case 'number':
      if (!Number.isFinite(value)) throw failure(`cannot encode ${String(value)}`, state);
      // JSON.stringify(-0) === '0', 1e21 → '1e+21': ECMAScript Number::toString, as JCS requires.
      state.out += JSON.stringify(value);
      return;
    case 'undefined':
      throw failure('cannot encode undefined', state);
    case 'bigint':
      throw failure('cannot encode a bigint', state);
    case 'function':
      throw failure('cannot encode a function', state);
    case 'symbol':
      throw failure('cannot encode a symbol', state);
    case 'object':
      break;
  }
  if (value === null) {
    state.out += 'null';
    return;
  }
  const { ancestors, path } = state;
  if (ancestors.has(value)) throw failure('cannot encode a circular reference', state);

  if (!Array.isArray(value) && hasToJson(value)) {
    // Same call JSON.stringify makes; the key argument is not meaningful here.
    const replaced: unknown = value.toJSON('');
    if (replaced === value) throw failure('toJSON returned its receiver', state);
    ancestors.add(value);
    write(replaced, state);
    ancestors.delete(value);
    return;
  }

  ancestors.add(value);
  if (Array.isArray(value)) {
    state.out += '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) state.out += ',';
      path.push(i);
      write(value[i], state);
      path.pop();
    }
    state.out += ']';
  } else {
    // Plain means a prototype of null or of some realm's Object.prototype (structuredClone and vm
    // contexts hand out objects from another realm), so Map, Set and class instances are refused.
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      const type = typeof name === 'string' && name !== '' ? name : 'non-plain object';
      throw failure(`cannot encode a ${type}`, state);
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly the JCS ordering.
    const keys = Object.keys(record).sort();
    state.out += '{';
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      if (!first) state.out += ',';
      first = false;
      state.out += `${JSON.stringify(key)}:`;
      path.push(key);
      write(member, state);
      path.pop();
    }
    state.out += '}';
  }
  ancestors.delete(value);
}

function hasToJson(value: object): value is { toJSON: (key: string) => unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

function formatKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
