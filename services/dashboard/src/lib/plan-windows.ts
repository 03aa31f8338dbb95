/** A plan's time window, as the hub returns it in Application.plan. */
export interface PlanWindow {
  kind: string;
  schedule: string;
  duration: string;
  timeZone: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pure: the plan's windows (none when it has none, or when they are not what the hub writes). */
export function planWindows(plan: unknown): PlanWindow[] {
  if (!isRecord(plan) || !Array.isArray(plan['windows'])) return [];
  return plan['windows'].filter(isRecord).map((w) => ({
    kind: String(w['kind'] ?? ''),
    schedule: String(w['schedule'] ?? ''),
    duration: String(w['duration'] ?? ''),
    timeZone: typeof w['timeZone'] === 'string' ? w['timeZone'] : 'UTC',
  }));
}

/** Pure: one window for people: `no change from “0 18 * * 5” for 2d14h (Europe/Berlin)`. */
export function windowText(window: PlanWindow): string {
  const what = window.kind === 'deny' ? 'no change' : 'changes may start';
  return `${what} from “${window.schedule}” for ${window.duration} (${window.timeZone})`;
}
