/** Parsers for the plan fields gates read; messages are part of the API (plan errors). */

/** A count (`3`) or a percentage of the wave's size (`'25%'`). */
export type CountOrPercent = number | `${number}%`;

const PERCENT_RE = /^(\d{1,3})%$/;
/** A year: longer waits are a typo, not a plan. */
const MAX_SECONDS = 7 * 24 * 3600 * 52;

export function parseSeconds(
  raw: unknown,
  fallback: number,
  min: number,
  path: string,
  errors: string[],
): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < min || raw > MAX_SECONDS) {
    errors.push(`${path}: must be an integer from ${min} to ${MAX_SECONDS}`);
    return fallback;
  }
  return raw;
}

export function parseCountOrPercent(
  raw: unknown,
  fallback: CountOrPercent,
  min: number,
  path: string,
  errors: string[],
): CountOrPercent {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw) || raw < min) {
      errors.push(`${path}: must be an integer of at least ${min}, or a percentage such as "25%"`);
      return fallback;
    }
    return raw;
  }
  if (typeof raw === 'string') {
    const match = PERCENT_RE.exec(raw.trim());
    const value = match?.[1] === undefined ? NaN : Number(match[1]);
    if (Number.isInteger(value) && value >= 1 && value <= 100) return `${value}%`;
    errors.push(`${path}: percentage must be from 1% to 100%`);
    return fallback;
  }
  errors.push(`${path}: must be a count or a percentage such as "25%"`);
  return fallback;
}

/**
 * Turns a count or percentage into a number of clusters for a wave of `waveSize`. Percentages round
 * up and give at least 1 when the wave is not empty; counts are returned as they are.
 */
export function resolveCount(value: CountOrPercent, waveSize: number): number {
  if (typeof value === 'number') return value;
  if (waveSize <= 0) return 0;
  const percent = Number(value.slice(0, -1));
  return Math.max(1, Math.ceil((waveSize * percent) / 100));
}
