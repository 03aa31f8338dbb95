import { OFFLINE_POLICIES, OFFLINE_STATUSES, type OfflinePolicy } from '../vocabulary.js';
import { formatTime, OPEN, type WaveGate } from './types.js';

export interface OfflineReason {
  kind: 'offline';
  /** Last status change (null when never seen). */
  since: Date | null;
}

/** A cluster Offline or Unknown while its wave runs: wait for it, skip it, or fail it. */
export const offlineGate: WaveGate<OfflineReason, 'offlinePolicy', OfflinePolicy> = {
  kind: 'offline',
  stage: 'cluster',
  setting: {
    key: 'offlinePolicy',
    default: 'wait',
    parse(raw, path, errors) {
      const value = raw ?? 'wait';
      const policy = OFFLINE_POLICIES.find((p) => p === value);
      if (policy === undefined)
        errors.push(`${path}.offlinePolicy: must be one of ${OFFLINE_POLICIES.join(', ')}`);
      return policy ?? 'wait';
    },
  },
  evaluate({ setting, cluster }) {
    if (cluster === undefined || !OFFLINE_STATUSES.has(cluster.clusterStatus)) return OPEN;
    const event = (verb: string) => `cluster ${cluster.clusterId} ${verb}: ${cluster.clusterStatus}`;
    switch (setting) {
      case 'skip':
        return { status: 'settled', mark: 'skipped', event: event('skipped') };
      case 'fail':
        return { status: 'settled', mark: 'offlineFailed', event: event('failed') };
      case 'wait':
        return { status: 'blocked', reason: { kind: 'offline', since: cluster.clusterStatusSince } };
    }
  },
  message: (reason) =>
    reason.since === null ? 'offline (never seen)' : `offline since ${formatTime(reason.since)}`,
};
