import { usageError } from '../errors.js';
import { parseDuration } from './duration.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Pure: a point in time as `--since`/`--until` take it, like `kubectl logs --since` and `journalctl`:
 * a duration before now (`90s`, `1h`, `7d`) or an RFC 3339 time (`2026-12-01T09:00:00Z`).
 */
export function parseTimeOrAgo(text: string, flag: string, now: Date): Date {
  const trimmed = text.trim();
  if (RFC3339.test(trimmed)) {
    const at = new Date(trimmed);
    if (!Number.isNaN(at.getTime())) return at;
  }
  if (/^\d{4}-/.test(trimmed)) {
    throw usageError(`invalid ${flag} "${text}": expected an RFC 3339 time like 2026-12-01T09:00:00Z`);
  }
  return new Date(now.getTime() - parseDuration(trimmed, flag) * 1000);
}
