import { usageError } from '../errors.js';

/** A plan's time window as the hub takes it (docs/rollouts.md); the hub checks cron, duration and zone. */
export interface WindowSpec {
  kind: 'allow' | 'deny';
  schedule: string;
  duration: string;
  timeZone?: string;
}

const WINDOW_SYNTAX = '"<allow|deny> <5-field cron> <duration> [<IANA time zone>]"';

/**
 * Pure: `--window "deny 0 18 * * 5 62h Europe/Berlin"` as a window: the kind, five cron fields
 * (none holds a space), the duration and an optional time zone (the hub's default: UTC).
 */
export function parseWindow(text: string): WindowSpec {
  const words = text.trim().split(/\s+/);
  const [kind, ...rest] = words;
  if (kind !== 'allow' && kind !== 'deny') {
    throw usageError(`invalid --window "${text}": starts with allow or deny, as in ${WINDOW_SYNTAX}`);
  }
  if (rest.length !== 6 && rest.length !== 7) {
    throw usageError(`invalid --window "${text}": expected ${WINDOW_SYNTAX}`);
  }
  const [duration, timeZone] = rest.slice(5);
  return {
    kind,
    schedule: rest.slice(0, 5).join(' '),
    duration: duration!,
    ...(timeZone === undefined ? {} : { timeZone }),
  };
}
