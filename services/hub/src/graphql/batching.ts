/** Small helpers for DataLoader batch functions: answers are matched back to keys by a string key. */

export function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item] as const));
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** DataLoader answers a key with an Error instance to fail only that key. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
