/**
 * The integers `>` and `<` compare, as apimachinery reads them with Go's
 * `strconv.ParseInt(s, 10, 64)`: an optional sign, then decimal digits (leading zeros allowed), within
 * the int64 range. Anything else (empty, spaces, `1.5`, `1e3`, `0x10`, out of range) is not an integer,
 * and a label holding it never satisfies `>` or `<`.
 */
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** ParseInt's base-10 syntax; checked before BigInt, which would also accept spaces and `0x…`. */
export const DECIMAL_INTEGER = /^[+-]?[0-9]+$/;

/** The value as a bigint, or undefined when ParseInt(value, 10, 64) would fail. */
export function parseInt64(value: string): bigint | undefined {
  if (!DECIMAL_INTEGER.test(value)) return undefined;
  const parsed = BigInt(value);
  return parsed >= INT64_MIN && parsed <= INT64_MAX ? parsed : undefined;
}
