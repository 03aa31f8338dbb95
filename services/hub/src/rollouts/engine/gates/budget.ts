import { FAILURE_PHASES } from '../vocabulary.js';
import { OPEN, type WaveGate } from './types.js';
import { type CountOrPercent, parseCountOrPercent, resolveCount } from './settings.js';

export interface BudgetReason {
  kind: 'budget';
  failed: number;
  limit: number;
  size: number;
}

/** Failed/Degraded/TimedOut clusters a wave may have; one more fails the rollout. */
export const budgetGate: WaveGate<BudgetReason, 'failureBudget', CountOrPercent> = {
  kind: 'budget',
  stage: 'wave',
  setting: {
    key: 'failureBudget',
    default: 0,
    parse: (raw, path, errors) => parseCountOrPercent(raw, 0, 0, `${path}.failureBudget`, errors),
  },
  evaluate({ setting, clusters, waveName, autoRollback }) {
    const failed = clusters.filter((c) => FAILURE_PHASES.has(c.phase)).length;
    const limit = resolveCount(setting, clusters.length);
    if (failed <= limit) return OPEN;
    return {
      status: 'blocked',
      reason: { kind: 'budget', failed, limit, size: clusters.length },
      state: 'Failed',
      event:
        `rollout failed: wave ${waveName} has ${failed}/${clusters.length} failed, budget ${limit}` +
        (autoRollback ? '; rollback requested' : ''),
    };
  },
  message: (reason) => `${reason.failed}/${reason.size} failed, budget ${reason.limit}`,
};
