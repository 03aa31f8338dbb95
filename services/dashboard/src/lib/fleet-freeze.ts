import { formatDuration, formatTime } from './format';

export interface Freeze {
  reason: string;
  by: string;
  since: string;
  until: string | null;
}

/**
 * Pure: whether the freeze still holds at `now`. The hub lifts a freeze by itself at `until`; the
 * banner is read every few seconds, so one that just ended is hidden before the next read.
 */
export function freezeHolds(freeze: Freeze | null | undefined, now: number): freeze is Freeze {
  return freeze != null && (freeze.until === null || Date.parse(freeze.until) > now);
}

/** Pure: the banner's words: who froze the fleet, why, and until when. */
export function freezeText(freeze: Freeze, now: number, time: (iso: string) => string = formatTime): string {
  const until =
    freeze.until === null
      ? 'until an admin unfreezes it'
      : `until ${time(freeze.until)} (in ${formatDuration(Date.parse(freeze.until) - now)})`;
  return `The fleet is frozen by ${freeze.by} since ${time(freeze.since)}, ${until}: ${freeze.reason}. No rollout starts a new wave and no catch-up starts; clusters in flight finish.`;
}
