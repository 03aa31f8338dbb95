import { OPEN, type WaveGate } from './types.js';

export interface FleetBudgetReason {
  kind: 'fleetBudget';
  /** Clusters changing fleet-wide (assigned, not settled), across all rollouts and catch-ups. */
  changing: number;
  /** The fleet-wide change budget (HUB_FLEET_MAX_CHANGING, resolved against the fleet's size). */
  limit: number;
  /** The rollout's fair share of the budget, when it is held by that rather than by a full budget. */
  share?: number;
  /** Clusters the rollout holds in flight (with `share`). */
  held?: number;
}

/**
 * The fleet-wide change budget: a cluster is assigned only while fewer than the limit are changing
 * across all rollouts and catch-ups, and while the rollout holds less than its fair share of the
 * budget (`fair-share.ts`: split evenly among the rollouts contending for it). A hub setting, not a
 * plan one. Passes that would assign serialise on one lock, so the counts they decide on are exact
 * across replicas.
 */
export const fleetBudgetGate: WaveGate<FleetBudgetReason, never, undefined> = {
  kind: 'fleetBudget',
  stage: 'assign',
  setting: undefined,
  evaluate({ fleet }) {
    const limit = fleet.changeLimit;
    if (limit === null) return OPEN;
    const fair = fleet.fairShare ?? null;
    if (fleet.changing < limit && (fair === null || fair.held < fair.share)) return OPEN;
    const reason: FleetBudgetReason = { kind: 'fleetBudget', changing: fleet.changing, limit };
    if (fair !== null) Object.assign(reason, { share: fair.share, held: fair.held });
    return { status: 'blocked', reason };
  },
  message: (reason) =>
    reason.share === undefined
      ? `fleet change budget: ${reason.changing}/${reason.limit} clusters changing`
      : `fleet change budget: ${reason.held ?? 0} held of a fair share of ${reason.share} ` +
        `(budget ${reason.limit}, ${reason.changing} changing)`,
};
