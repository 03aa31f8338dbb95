import { formatTime, OPEN, type WaveGate } from './types.js';

export interface MaintenanceReason {
  kind: 'maintenance';
  /** The cluster's own words (its maintenance annotation). */
  reason: string;
  /** When its agent first saw the maintenance. */
  since: Date;
}

/**
 * A cluster in maintenance gets no new change: a pending member stays pending (the rollout waits
 * for it, never skips it) until its agent reports the maintenance gone. A cluster already assigned
 * keeps going: its agent corrects drift in maintenance anyway, and stopping half-way helps nobody.
 * No plan setting: the cluster's operator decides, not the rollout's.
 */
export const maintenanceGate: WaveGate<MaintenanceReason, never, undefined> = {
  kind: 'maintenance',
  stage: 'cluster',
  setting: undefined,
  evaluate({ cluster }) {
    if (cluster?.phase !== 'Pending' || cluster.maintenance === null) return OPEN;
    const { reason, since } = cluster.maintenance;
    return { status: 'blocked', reason: { kind: 'maintenance', reason, since } };
  },
  message: (reason) =>
    `maintenance since ${formatTime(reason.since)}${reason.reason === '' ? '' : `: ${reason.reason}`}`,
};
