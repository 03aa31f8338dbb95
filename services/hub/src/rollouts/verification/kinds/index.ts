import { type VerificationCheck } from '../../engine/verification/checks.js';
import { httpKind } from './http.js';
import { type CheckKindDefinition } from './kind.js';
import { prometheusKind } from './prometheus.js';

/**
 * The check kinds, one file each. A `job` kind (a Kubernetes Job from the repository run by each
 * wave cluster's agent) would be one more file here plus an agent side; see docs/rollouts.md.
 */
export const CHECK_KINDS: readonly CheckKindDefinition[] = [
  httpKind as unknown as CheckKindDefinition,
  prometheusKind as unknown as CheckKindDefinition,
];

export function kindOf(check: Pick<VerificationCheck, 'kind'>): CheckKindDefinition {
  const kind = CHECK_KINDS.find((k) => k.kind === check.kind);
  if (kind === undefined) throw new Error(`unknown verification check kind ${check.kind}`);
  return kind;
}

export { type CheckCluster, type CheckTarget, type RunContext } from './kind.js';
