import { formatDuration, OPEN, type WaveGate } from './types.js';
import { parseSeconds } from './settings.js';

export interface SoakReason {
  kind: 'soak';
  secondsLeft: number;
  until: Date;
}

/**
 * Bake time after the whole wave is done (after its verification checks passed, when it has any),
 * from the hub clock; an empty wave does not soak.
 */
export const soakGate: WaveGate<SoakReason, 'soakSeconds', number> = {
  kind: 'soak',
  stage: 'afterDone',
  setting: {
    key: 'soakSeconds',
    default: 0,
    parse: (raw, path, errors) => parseSeconds(raw, 0, 0, `${path}.soakSeconds`, errors),
  },
  evaluate({ setting, clusters, healthyAt, verification, now }) {
    const from = verification?.passedAt ?? healthyAt;
    if (clusters.length === 0 || setting <= 0 || from === null) return OPEN;
    const until = new Date(from.getTime() + setting * 1000);
    const leftMs = until.getTime() - now.getTime();
    if (leftMs <= 0) return OPEN;
    return {
      status: 'blocked',
      reason: { kind: 'soak', secondsLeft: Math.ceil(leftMs / 1000), until },
      state: 'Soaking',
    };
  },
  recheckAt: (reason) => reason.until,
  message: (reason) => `soak: ${formatDuration(reason.secondsLeft)} left`,
};
