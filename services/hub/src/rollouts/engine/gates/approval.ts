import { OPEN, type WaveGate } from './types.js';

export interface ApprovalReason {
  kind: 'approval';
}

/** An operator approves the wave before it starts; an empty wave needs no approval. */
export const approvalGate: WaveGate<ApprovalReason, 'requireApproval', boolean> = {
  kind: 'approval',
  stage: 'beforeStart',
  setting: {
    key: 'requireApproval',
    default: false,
    parse(raw, path, errors) {
      const value = raw ?? false;
      if (typeof value !== 'boolean') errors.push(`${path}.requireApproval: must be a boolean`);
      return value === true;
    },
  },
  evaluate({ setting, clusters, approvedAt, startedAt, waveName }) {
    if (!setting || clusters.length === 0 || approvedAt !== null || startedAt !== null) return OPEN;
    return {
      status: 'blocked',
      reason: { kind: 'approval' },
      state: 'AwaitingApproval',
      event: `wave ${waveName} awaits approval`,
    };
  },
  message: () => 'approval pending',
};
