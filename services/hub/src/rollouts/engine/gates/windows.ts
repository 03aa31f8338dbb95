import { Cron } from 'croner';
import {
  formatTime,
  OPEN,
  type GateContext,
  type GateResult,
  type TimeWindow,
  type WaveGate,
} from './types.js';

export { type TimeWindow };

export const WINDOW_KINDS = ['allow', 'deny'] as const;

export interface WindowReason {
  kind: 'window';
  /** When a new change may start again; null: not within a year (or never). */
  opensAt: Date | null;
}

/** Compiled schedules, by zone and pattern (a plan's few windows are evaluated on every pass). */
const compiled = new Map<string, Cron>();

function cronOf(window: Pick<TimeWindow, 'schedule' | 'timeZone'>): Cron {
  const key = `${window.timeZone}\u0000${window.schedule}`;
  let cron = compiled.get(key);
  if (cron === undefined) {
    cron = new Cron(window.schedule, { timezone: window.timeZone, paused: true, mode: '5-part' });
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, cron);
  }
  return cron;
}

function seconds(window: TimeWindow): number {
  return parseDuration(window.duration) ?? 0;
}

/** The start of the window occurrence that contains `at`, or null when `at` is outside `window`. */
function containingStart(window: TimeWindow, at: Date): Date | null {
  // The latest start at or before `at` is enough: an earlier occurrence ends before it does.
  const latest = latestStartAtOrBefore(window, at);
  if (latest === null) return null;
  return at.getTime() < latest.getTime() + seconds(window) * 1000 ? latest : null;
}

function latestStartAtOrBefore(window: TimeWindow, at: Date): Date | null {
  // previousRuns looks strictly before its reference (to the second); a start exactly at `at` counts.
  const [previous] = cronOf(window).previousRuns(1, new Date(at.getTime() + 1000));
  return previous === undefined || previous.getTime() > at.getTime() ? null : previous;
}

/** True when `at` lies in an occurrence of `window`: [start, start + duration). */
export function insideWindow(window: TimeWindow, at: Date): boolean {
  return containingStart(window, at) !== null;
}

/** May a change start at `at`: inside an allow window (when there is any) and inside no deny window. */
export function windowsAllow(windows: readonly TimeWindow[], at: Date): boolean {
  const allows = windows.filter((w) => w.kind === 'allow');
  if (allows.length > 0 && !allows.some((w) => insideWindow(w, at))) return false;
  return !windows.some((w) => w.kind === 'deny' && insideWindow(w, at));
}

/** How far {@link nextOpening} looks ahead. */
const HORIZON_MS = 366 * 24 * 3600 * 1000;
const MAX_STEPS = 10_000;

/**
 * The first moment at or after `at` when the windows allow a change to start; `at` itself when they
 * already do; null when not within a year (or never: an allow schedule that never fires).
 */
export function nextOpening(windows: readonly TimeWindow[], at: Date): Date | null {
  const allows = windows.filter((w) => w.kind === 'allow');
  const denies = windows.filter((w) => w.kind === 'deny');
  let t = at;
  for (let step = 0; step < MAX_STEPS && t.getTime() - at.getTime() <= HORIZON_MS; step++) {
    // Inside deny windows: the earliest candidate is when the last of them ends.
    let denyEnd = -Infinity;
    for (const w of denies) {
      const start = containingStart(w, t);
      if (start !== null) denyEnd = Math.max(denyEnd, start.getTime() + seconds(w) * 1000);
    }
    if (denyEnd > t.getTime()) {
      t = new Date(denyEnd);
      continue;
    }
    if (allows.length === 0 || allows.some((w) => insideWindow(w, t))) return t;
    // Outside every allow window: the earliest next start of one of them.
    let next = Infinity;
    for (const w of allows) next = Math.min(next, cronOf(w).nextRun(t)?.getTime() ?? Infinity);
    if (next === Infinity) return null;
    t = new Date(next);
  }
  return null;
}

/** Parses `2h`, `30m`, `1h30m`, `90s` (Go-like, positive) into seconds; null when it is not one. */
export function parseDuration(text: string): number | null {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  if (match === null || text.trim() === '') return null;
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  return Number(d) * 86_400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** Formats seconds back as the plan spells them (largest units first; `0s` never occurs). */
export function durationText(seconds: number): string {
  const parts: string[] = [];
  let left = seconds;
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(left / size);
    if (n > 0) parts.push(`${n}${unit}`);
    left -= n * size;
  }
  return parts.join('') || '0s';
}

/** A window may last at most this long (a longer one is a typo; use a freeze or a deny schedule). */
const MAX_WINDOW_SECONDS = 31 * 86_400;
const MAX_WINDOWS = 20;
/** A fixed moment to ask "does it ever fire" from, so validation does not depend on the clock. */
const FIRES_AFTER = new Date('2000-01-01T00:00:00Z');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the runtime knows the IANA zone. */
function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a plan's `windows` from untrusted input: `[{ kind, schedule, duration, timeZone }]`. Each
 * problem is pushed as `windows[i].<field>: <code>: <words>`, where the code is stable
 * (`unknown-field`, `invalid-kind`, `invalid-cron`, `invalid-duration`, `unknown-time-zone`, ...).
 */
export function parseWindows(raw: unknown, errors: string[]): TimeWindow[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    errors.push('windows: invalid-windows: must be a list');
    return [];
  }
  if (raw.length > MAX_WINDOWS) errors.push(`windows: too-many-windows: at most ${MAX_WINDOWS}`);
  const out: TimeWindow[] = [];
  raw.forEach((item: unknown, index) => {
    const path = `windows[${index}]`;
    if (!isRecord(item)) {
      errors.push(`${path}: invalid-window: must be an object`);
      return;
    }
    const before = errors.length;
    for (const key of Object.keys(item)) {
      if (!['kind', 'schedule', 'duration', 'timeZone'].includes(key))
        errors.push(`${path}: unknown-field: "${key}"`);
    }
    const kind = item['kind'];
    if (kind !== 'allow' && kind !== 'deny') errors.push(`${path}.kind: invalid-kind: must be allow or deny`);
    const timeZone = item['timeZone'] ?? 'UTC';
    if (typeof timeZone !== 'string' || !knownTimeZone(timeZone)) {
      errors.push(`${path}.timeZone: unknown-time-zone: must be an IANA time zone such as Europe/Berlin`);
    }
    const schedule = item['schedule'];
    if (typeof schedule !== 'string' || schedule.trim().split(/\s+/).length !== 5) {
      errors.push(`${path}.schedule: invalid-cron: must be a 5-field cron expression such as "0 22 * * 1-5"`);
    } else if (typeof timeZone === 'string' && knownTimeZone(timeZone)) {
      try {
        // A schedule that never fires (30 February) would make every pass search in vain.
        if (cronOf({ schedule, timeZone }).nextRun(FIRES_AFTER) === null) {
          errors.push(`${path}.schedule: invalid-cron: never fires`);
        }
      } catch (error) {
        errors.push(
          `${path}.schedule: invalid-cron: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    const duration = item['duration'];
    const seconds = typeof duration === 'string' ? parseDuration(duration) : null;
    if (seconds === null || seconds < 60 || seconds > MAX_WINDOW_SECONDS) {
      errors.push(
        `${path}.duration: invalid-duration: must be from 1m to ${durationText(MAX_WINDOW_SECONDS)}, such as "2h" or "1h30m"`,
      );
    }
    if (errors.length === before) {
      out.push({
        kind: kind as TimeWindow['kind'],
        schedule: (schedule as string).trim(),
        duration: durationText(seconds!),
        timeZone: timeZone as string,
      });
    }
  });
  return out;
}

/** Whether the wave would change any cluster now (an empty or all-settled wave holds nothing). */
export function hasPending(context: Pick<GateContext<unknown>, 'clusters'>): boolean {
  return context.clusters.some((c) => c.phase === 'Pending');
}

/**
 * The plan's time windows: outside every allow window (when there is one) or inside a deny window,
 * no cluster gets a new change (neither the next wave nor more of the current one); clusters already
 * assigned finish. The rollout is looked at again when the windows open.
 */
export const windowGate: WaveGate<WindowReason, never, undefined> = {
  kind: 'window',
  stage: ['beforeStart', 'assign'],
  setting: undefined,
  evaluate(context): GateResult<WindowReason> {
    const { windows, now } = context;
    if (windows.length === 0 || !hasPending(context) || windowsAllow(windows, now)) return OPEN;
    return { status: 'blocked', reason: { kind: 'window', opensAt: nextOpening(windows, now) } };
  },
  recheckAt: (reason) => reason.opensAt,
  message: (reason) =>
    reason.opensAt === null
      ? 'outside its time windows (no opening within a year)'
      : `outside its time windows until ${formatTime(reason.opensAt)}`,
};
