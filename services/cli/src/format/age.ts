/**
 * Pure: how long ago, like kubectl's AGE column (k8s.io/apimachinery HumanDuration): `45s`,
 * `5m12s`, `5m`, `3h`, `2d4h`, `2d`, `3y`. `<none>` when there is no time.
 */
export function formatAge(since: Date | string | null | undefined, now: Date): string {
  if (since === null || since === undefined) return '<none>';
  const at = typeof since === 'string' ? new Date(since) : since;
  if (Number.isNaN(at.getTime())) return '<invalid>';
  return humanDuration((now.getTime() - at.getTime()) / 1000);
}

/** Pure: kubectl's HumanDuration of a number of seconds. */
export function humanDuration(totalSeconds: number): string {
  const seconds = Math.floor(totalSeconds);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${days}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Pure: an absolute time for people, ISO 8601 in UTC to the second (`2026-05-04T10:12:00Z`). */
export function formatTime(at: Date | string | null | undefined): string {
  if (at === null || at === undefined) return '<none>';
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return '<invalid>';
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
