import { OPEN, type WaveGate } from './types.js';

export interface FleetBudgetReason {
  kind: 'fleetBudget';
  /** Clusters changing fleet-wide (assigned, not settled), across all rollouts and catch-ups. */
  changing: number;
  /** The fleet-wide change budget (HUB_FLEET_MAX_CHANGING, resolved against the fleet's size). */
  limit: number;
}

/**
 * The fleet-wide change budget: a cluster is assigned only while fewer than the limit are changing
 * across all rollouts and catch-ups. A hub setting, not a plan one. Passes that would assign
 * serialise on one lock, so the count they decide on is exact across replicas.
 */
export const fleetBudgetGate: WaveGate<FleetBudgetReason, never, undefined> = {
  kind: 'fleetBudget',
  stage: 'assign',
  setting: undefined,
  evaluate({ fleet }) {
    const limit = fleet.changeLimit;
    if (limit === null || fleet.changing < limit) return OPEN;
    return { status: 'blocked', reason: { kind: 'fleetBudget', changing: fleet.changing, limit } };
  },
  message: (reason) => `fleet change budget: ${reason.changing}/${reason.limit} clusters changing`,
};
