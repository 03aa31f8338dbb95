import { getPath, isRecord } from '../kube-object.js';
import type { Condition } from './types.js';

/** kstatus `GetIntField`: the integer at `path`, or `fallback` when absent or not an integer. */
export function intField(obj: unknown, path: readonly string[], fallback: number): number {
  const value = getPath(obj, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/** kstatus `GetStringField`: the string at `path`, or `fallback` when absent or not a string. */
export function stringField(obj: unknown, path: readonly string[], fallback: string): string {
  const value = getPath(obj, path);
  return typeof value === 'string' ? value : fallback;
}

/** True when an integer is present at `path` (kstatus `NestedInt64` "found"). */
export function hasInt(obj: unknown, path: readonly string[]): boolean {
  const value = getPath(obj, path);
  return typeof value === 'number' && Number.isInteger(value);
}

/** `status.conditions`, skipping malformed entries; missing strings read as ''. */
export function conditionsOf(obj: unknown): Condition[] {
  const list = getPath(obj, ['status', 'conditions']);
  if (!Array.isArray(list)) return [];
  const conditions: Condition[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry.type !== 'string') continue;
    conditions.push({
      type: entry.type,
      status: typeof entry.status === 'string' ? entry.status : '',
      reason: typeof entry.reason === 'string' ? entry.reason : '',
      message: typeof entry.message === 'string' ? entry.message : '',
    });
  }
  return conditions;
}

export function findCondition(conditions: readonly Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}
