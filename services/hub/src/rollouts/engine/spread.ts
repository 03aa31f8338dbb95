import { labelKeyError } from '@fleetwave/labels';

/**
 * Orders a wave's clusters so that every batch (any prefix of the order, e.g. the first
 * `maxConcurrency`) covers the values of one label as evenly as the clusters allow, instead of name
 * order: round robin over the values (in value order; clusters without the label form the last
 * group), each group keeping the order it was given (name order). For any prefix, two values that
 * both still have clusters after it differ by at most one in how many the prefix holds. Pure.
 */
export function spreadOrder<T>(items: readonly T[], valueOf: (item: T) => string | undefined): T[] {
  const groups = new Map<string, T[]>();
  const missing: T[] = [];
  for (const item of items) {
    const value = valueOf(item);
    if (value === undefined) {
      missing.push(item);
      continue;
    }
    const group = groups.get(value);
    if (group === undefined) groups.set(value, [item]);
    else group.push(item);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  if (missing.length > 0) ordered.push(missing);
  const out: T[] = [];
  for (let round = 0; out.length < items.length; round++) {
    for (const group of ordered) {
      const item = group[round];
      if (item !== undefined) out.push(item);
    }
  }
  return out;
}

/** Reads a wave's `spreadBy` (a label key, or absent); pushes `${path}.spreadBy: …` on a bad one. */
export function parseSpreadBy(raw: unknown, path: string, errors: string[]): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') {
    errors.push(`${path}.spreadBy: must be a label key such as "region"`);
    return undefined;
  }
  const problem = labelKeyError(raw);
  if (problem !== undefined) {
    errors.push(`${path}.spreadBy: ${problem}`);
    return undefined;
  }
  return raw;
}
