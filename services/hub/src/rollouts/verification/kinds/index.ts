import { type VerificationCheck } from '../../engine/verification/checks.js';
import { httpKind } from './http.js';
import { jobKind } from './job.js';
import { type CheckKindDefinition } from './kind.js';
import { prometheusKind } from './prometheus.js';

/** The check kinds, one file each (`job` has its agent side in services/agent/src/checks/). */
export const CHECK_KINDS: readonly CheckKindDefinition[] = [
  httpKind as unknown as CheckKindDefinition,
  prometheusKind as unknown as CheckKindDefinition,
  jobKind as unknown as CheckKindDefinition,
];

export function kindOf(check: Pick<VerificationCheck, 'kind'>): CheckKindDefinition {
  const kind = CHECK_KINDS.find((k) => k.kind === check.kind);
  if (kind === undefined) throw new Error(`unknown verification check kind ${check.kind}`);
  return kind;
}

export {
  type AgentJobs,
  type Attempt,
  type CheckCluster,
  type CheckTarget,
  type RunContext,
} from './kind.js';
