import { failedClusters } from './failed-clusters.js';
import { OPEN, type WaveGate } from './types.js';
import { type CountOrPercent, parseCountOrPercent, resolveCount } from './settings.js';

export interface BudgetReason {
  kind: 'budget';
  failed: number;
  limit: number;
  size: number;
  /** The first (by cluster name) verification check counted among the failures, if any. */
  check?: string;
  /** The cluster that check failed for. */
  target?: string;
  /** Why it failed. */
  detail?: string;
}

/**
 * Failed clusters a wave may have; one more fails the rollout. Failed/Degraded/TimedOut clusters
 * count, and so does a cluster a per-cluster verification check (http, job) failed for good on.
 */
export const budgetGate: WaveGate<BudgetReason, 'failureBudget', CountOrPercent> = {
  kind: 'budget',
  stage: 'wave',
  setting: {
    key: 'failureBudget',
    default: 0,
    parse: (raw, path, errors) => parseCountOrPercent(raw, 0, 0, `${path}.failureBudget`, errors),
  },
  evaluate({ setting, clusters, verification, waveName, autoRollback }) {
    const failures = failedClusters(clusters, verification);
    const failed = failures.length;
    const limit = resolveCount(setting, clusters.length);
    if (failed <= limit) return OPEN;
    const reason: BudgetReason = { kind: 'budget', failed, limit, size: clusters.length };
    const check = failures.find((f) => f.check !== undefined)?.check;
    if (check !== undefined) {
      reason.check = check.check;
      reason.target = check.target;
      reason.detail = check.message;
    }
    return {
      status: 'blocked',
      reason,
      state: 'Failed',
      event:
        `rollout failed: wave ${waveName} has ${budgetGate.message(reason)}` +
        (autoRollback ? '; rollback requested' : ''),
    };
  },
  message: (r) =>
    `${r.failed}/${r.size} failed, budget ${r.limit}` +
    (r.check === undefined ? '' : `; check ${r.check} failed for ${r.target ?? ''}: ${r.detail ?? ''}`),
};
