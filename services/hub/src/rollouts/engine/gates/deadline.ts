import { IN_FLIGHT_PHASES } from '../vocabulary.js';
import { formatTime, OPEN, type WaveGate } from './types.js';
import { parseSeconds } from './settings.js';

export interface DeadlineReason {
  kind: 'deadline';
  at: Date;
}

/** A cluster assigned longer than the wave's deadline without Healthy is TimedOut. */
export const deadlineGate: WaveGate<DeadlineReason, 'progressDeadlineSeconds', number> = {
  kind: 'deadline',
  stage: 'cluster',
  setting: {
    key: 'progressDeadlineSeconds',
    default: 600,
    parse: (raw, path, errors) => parseSeconds(raw, 600, 1, `${path}.progressDeadlineSeconds`, errors),
  },
  evaluate({ setting, cluster, healthyAt, resumedAt, now }) {
    if (cluster === undefined || !IN_FLIGHT_PHASES.has(cluster.phase) || cluster.assignedAt === null)
      return OPEN;
    // The deadline is about first reaching Healthy: once the wave is done, a cluster assigned before
    // that which regresses (drift correction, a reordered report) is not timed out; Failed still counts.
    if (healthyAt !== null && cluster.assignedAt <= healthyAt) return OPEN;
    // Runs from the last resume too, so a pause never times a cluster out.
    const from = Math.max(cluster.assignedAt.getTime(), resumedAt?.getTime() ?? 0);
    const at = new Date(from + setting * 1000);
    if (now.getTime() < at.getTime()) return { status: 'blocked', reason: { kind: 'deadline', at } };
    return {
      status: 'settled',
      mark: 'timedOut',
      event: `cluster ${cluster.clusterId} timed out after ${setting}s`,
    };
  },
  recheckAt: (reason) => reason.at,
  message: (reason) => `deadline at ${formatTime(reason.at)}`,
  waveReason: (reasons) => ({
    kind: 'deadline',
    at: new Date(Math.min(...reasons.map((reason) => reason.at.getTime()))),
  }),
};
