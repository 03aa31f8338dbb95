import { usageError } from '../errors.js';

/** Pure: a whole number within bounds, for flags like --max-uses and --poll. */
export function parseInteger(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(text.trim())) throw usageError(`${flag} must be a whole number, not "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw usageError(`${flag} must be from ${min} to ${max}, not ${value}`);
  return value;
}
