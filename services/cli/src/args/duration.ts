import { usageError } from '../errors.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Pure: a duration like `90s`, `10m`, `1h30m`, `7d` (or a bare number of seconds) in seconds.
 * `0` is allowed (callers give it a meaning, e.g. no limit); negative or garbled input is refused.
 */
export function parseDuration(text: string, flag = 'duration'): number {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const part = /(\d+(?:\.\d+)?)([smhd])/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(trimmed)) !== null) {
    total += Number(match[1]) * UNITS[match[2]!]!;
    consumed = part.lastIndex;
  }
  if (trimmed === '' || consumed !== trimmed.length) {
    throw usageError(`invalid ${flag} "${text}": expected e.g. 90s, 10m, 1h30m, 7d`);
  }
  return Math.round(total);
}

/** Pure: seconds as the largest units first (`1h30m`, `10m`, `45s`, `2d`). */
export function formatSeconds(totalSeconds: number): string {
  let left = Math.max(0, Math.round(totalSeconds));
  if (left === 0) return '0s';
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(left / size);
    if (count > 0) out += `${count}${unit}`;
    left -= count * size;
  }
  return out;
}
