import { labelKeyError, labelValueError } from '@fleetwave/labels';
import { usageError } from '../errors.js';

export interface LabelChanges {
  /** `key=value`: set (or overwrite). */
  set: Record<string, string>;
  /** `key-`: remove. */
  remove: string[];
}

/**
 * Pure: kubectl label arguments: `key=value` sets, `key-` removes. Keys and values are checked as
 * Kubernetes labels; a key both set and removed, or set to two values, is refused.
 */
export function parseLabelChanges(args: readonly string[], { allowRemove = true } = {}): LabelChanges {
  if (args.length === 0)
    throw usageError('no labels given: expected key=value' + (allowRemove ? ' or key-' : ''));
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0 && allowRemove && arg.endsWith('-') && arg.length > 1) {
      const key = arg.slice(0, -1);
      checkKey(arg, key);
      if (key in set) throw usageError(`label "${key}" is both set and removed`);
      if (!remove.includes(key)) remove.push(key);
      continue;
    }
    if (eq <= 0) {
      throw usageError(`invalid label "${arg}": expected key=value${allowRemove ? ' or key-' : ''}`);
    }
    const key = arg.slice(0, eq);
    const value = arg.slice(eq + 1);
    checkKey(arg, key);
    const valueProblem = labelValueError(value);
    if (valueProblem) throw usageError(`invalid label "${arg}": ${valueProblem}`);
    if (remove.includes(key)) throw usageError(`label "${key}" is both set and removed`);
    if (key in set && set[key] !== value) throw usageError(`label "${key}" is given two values`);
    set[key] = value;
  }
  return { set, remove };
}

function checkKey(arg: string, key: string): void {
  const problem = labelKeyError(key);
  if (problem) throw usageError(`invalid label "${arg}": key ${problem}`);
}

/** Pure: `{env: "prod", ring: "canary"}` → `env=prod,ring=canary` (keys sorted); `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels[k]}`).join(',');
}
