export function shortSha(commit: string | null | undefined): string {
  return commit ? commit.slice(0, 7) : '—';
}

/** "just now", "42s", "5m", "3h 10m", "4d" — for "last heartbeat 42s ago". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d`;
}

export function formatAge(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const text = formatDuration(now - Date.parse(iso));
  return text === 'just now' ? text : `${text} ago`;
}

export function formatTime(iso: string | null): string {
  if (iso === null) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The first line of a commit message. */
export function subject(message: string | null | undefined): string {
  return (message ?? '').split('\n', 1)[0] ?? '';
}

/**
 * An ETA for people: "in 12m (observed, high confidence)", "waiting for approval", "unknown";
 * null once finished (nothing to show).
 */
export function etaLabel(
  eta: { at: string | null; basis: string; confidence?: string } | null | undefined,
  now: number,
): string | null {
  if (!eta || eta.basis === 'finished') return null;
  if (eta.basis === 'awaitingApproval') return 'waiting for approval';
  if (eta.at === null) return 'unknown';
  const left = formatDuration(Date.parse(eta.at) - now);
  const when = left === 'just now' ? 'any moment' : `in ${left}`;
  return eta.confidence ? `${when} (${eta.basis}, ${eta.confidence} confidence)` : `${when} (${eta.basis})`;
}
