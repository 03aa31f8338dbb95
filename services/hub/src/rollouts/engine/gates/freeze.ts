import { hasPending } from './windows.js';
import { formatTime, OPEN, type WaveGate } from './types.js';

export interface FreezeReason {
  kind: 'freeze';
  /** The admin's words when freezing. */
  reason: string;
  by: string;
  since: Date;
  /** When the freeze lifts by itself; null: when an admin unfreezes. */
  until: Date | null;
}

/** True while the freeze holds at `now` (it lifts by itself at `until`). */
export function freezeHolds(freeze: { until: Date | null } | null, now: Date): boolean {
  return freeze !== null && (freeze.until === null || now.getTime() < freeze.until.getTime());
}

/**
 * A fleet-wide freeze: no cluster of any rollout or catch-up gets a new change (neither the next
 * wave nor more of the current one); clusters already assigned finish. An admin may let one rollout
 * past it (an audited override). No plan setting: the fleet's admins decide, not the plan.
 */
export const freezeGate: WaveGate<FreezeReason, never, undefined> = {
  kind: 'freeze',
  stage: ['beforeStart', 'assign'],
  setting: undefined,
  evaluate(context) {
    const { fleet, now } = context;
    const freeze = fleet.freeze;
    if (freeze === null || fleet.freezeOverridden || !freezeHolds(freeze, now) || !hasPending(context)) {
      return OPEN;
    }
    return { status: 'blocked', reason: { kind: 'freeze', ...freeze } };
  },
  recheckAt: (reason) => reason.until,
  message: (reason) =>
    `fleet frozen by ${reason.by} since ${formatTime(reason.since)}` +
    (reason.until === null ? '' : ` until ${formatTime(reason.until)}`) +
    (reason.reason === '' ? '' : `: ${reason.reason}`),
};
