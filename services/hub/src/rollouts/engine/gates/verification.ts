import { type VerificationCheck } from '../verification/checks.js';
import { parseVerification } from '../verification/plan-checks.js';
import { OPEN, type WaveGate } from './types.js';

export interface VerificationReason {
  kind: 'verification';
  /** `pending`: no check has started yet (the hub starts them); `running`: some are not settled. */
  status: 'pending' | 'running';
  /** The checks not settled yet. */
  running: string[];
}

export interface VerificationFailedReason {
  kind: 'verificationFailed';
  check: string;
  /** `wave` or `updated-vs-baseline`: what the wave-level check failed for. */
  target: string;
  message: string;
}

/**
 * Verification checks after the wave is done, before soak counts and the next wave starts. The
 * checks run outside the pass (rollouts/verification/); this gate reads their recorded state.
 */
export const verificationGate: WaveGate<VerificationReason, 'verification', VerificationCheck[]> = {
  kind: 'verification',
  stage: 'afterDone',
  setting: { key: 'verification', default: [], parse: parseVerification },
  evaluate({ setting, clusters, verification }) {
    if (setting === undefined || setting.length === 0 || clusters.length === 0) return OPEN;
    const state = verification ?? null;
    if (state?.status === 'passed') return OPEN;
    const running = state === null ? setting.map((c) => c.name) : state.running;
    return {
      status: 'blocked',
      reason: { kind: 'verification', status: state === null ? 'pending' : 'running', running },
    };
  },
  message: (r) => `verification ${r.status}: ${r.running.join(', ')}`,
};

/**
 * A wave-level check (prometheus, comparative: no cluster to blame) that failed for good counts as
 * the whole wave failed, beyond any failure budget: the rollout fails and, when the plan says
 * autoRollback, rolls back. Per-cluster checks (http, job) count in the budget instead (budget.ts).
 * See docs/rollouts.md, "Verification checks".
 */
export const verificationFailedGate: WaveGate<VerificationFailedReason, never, undefined> = {
  kind: 'verificationFailed',
  stage: 'wave',
  setting: undefined,
  evaluate({ verification, waveName, autoRollback }) {
    const failed = verification?.failed ?? null;
    if (verification?.status !== 'failed' || failed === null) return OPEN;
    const reason: VerificationFailedReason = { kind: 'verificationFailed', ...failed };
    return {
      status: 'blocked',
      reason,
      state: 'Failed',
      event:
        `rollout failed: wave ${waveName}: ${verificationFailedGate.message(reason)}` +
        (autoRollback ? '; rollback requested' : ''),
    };
  },
  message: (r) => `check ${r.check} failed for ${r.target}: ${r.message}`,
};
