import { OPEN, type WaveGate } from './types.js';
import { type CountOrPercent, parseCountOrPercent, resolveCount } from './settings.js';

export interface ConcurrencyReason {
  kind: 'concurrency';
  inFlight: number;
  limit: number;
}

/** Clusters of a wave in flight at once (a count or a percentage of the wave). */
export const concurrencyGate: WaveGate<ConcurrencyReason, 'maxConcurrency', CountOrPercent> = {
  kind: 'concurrency',
  stage: 'assign',
  setting: {
    key: 'maxConcurrency',
    default: 1,
    parse: (raw, path, errors) => parseCountOrPercent(raw, 1, 1, `${path}.maxConcurrency`, errors),
  },
  evaluate({ setting, clusters, inFlight }) {
    const limit = resolveCount(setting, clusters.length);
    if (inFlight < limit) return OPEN;
    return { status: 'blocked', reason: { kind: 'concurrency', inFlight, limit } };
  },
  message: (reason) => `${reason.inFlight}/${reason.limit} in flight (max ${reason.limit})`,
};
