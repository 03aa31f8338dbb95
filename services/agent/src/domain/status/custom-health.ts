import {
  celActivation,
  describeGroupKind,
  groupKindKey,
  HEALTH_EXPRESSION_FIELDS,
  type CompiledHealthCheck,
  type CompiledHealthChecks,
  type HealthExpressionField,
} from '@fleetwave/contracts';
import type { KubeObject } from '../kube-object.js';
import { checkGeneration } from './generic.js';
import type { ResourceStatus, Status } from './types.js';

export const HEALTH_CHECK_FAILED = 'HealthCheckFailed';
export const HEALTH_CHECK_IN_PROGRESS = 'HealthCheckInProgress';
export const HEALTH_CHECK_NOT_CURRENT = 'HealthCheckNotCurrent';
export const HEALTH_CHECK_ERROR = 'HealthCheckError';

const OUTCOMES: Record<HealthExpressionField, { status: Status; reason?: string }> = {
  inProgress: { status: 'InProgress', reason: HEALTH_CHECK_IN_PROGRESS },
  failed: { status: 'Failed', reason: HEALTH_CHECK_FAILED },
  current: { status: 'Current' },
};

/** The application's rule for this object's group and kind, if it has one. */
export function healthCheckFor(
  obj: KubeObject,
  checks: CompiledHealthChecks,
): CompiledHealthCheck | undefined {
  return checks.size === 0 ? undefined : checks.get(groupKindKey(obj.apiVersion, obj.kind));
}

/**
 * An object judged by a custom rule, as Flux's CEL status evaluator (fluxcd/pkg `runtime/cel`) does:
 *
 * 1. `status.observedGeneration` present and ≠ `metadata.generation` → InProgress;
 * 2. `inProgress`, then `failed`, then `current`: the first that is true decides;
 * 3. none true → InProgress.
 *
 * An expression that cannot be evaluated (a key the object lacks, a non-bool result) stops there and
 * makes the object Unknown with the error, never Failed: Flux waits on such an object too, because a
 * field a controller has not written yet is the usual cause. The bundle's progress deadline then
 * fails it (`ProgressDeadlineExceeded`, with this message). Guard with `has()` or `.?field`.
 */
export function evaluateHealthCheck(obj: KubeObject, check: CompiledHealthCheck): ResourceStatus {
  const generation = checkGeneration(obj);
  if (generation !== undefined) return generation;

  const rule = `healthChecks[${check.index}] (${describeGroupKind(check)})`;
  const activation = celActivation(obj);
  for (const field of HEALTH_EXPRESSION_FIELDS) {
    const expression = check.expressions[field];
    if (expression === undefined) continue;
    const result = expression.evaluate(activation);
    if (!result.ok) {
      return {
        status: 'Unknown',
        reason: HEALTH_CHECK_ERROR,
        message: `${rule}: ${field} could not be evaluated: ${result.message}`,
      };
    }
    if (result.value) {
      const outcome = OUTCOMES[field];
      return { ...outcome, message: `${rule}: ${field} is true` };
    }
  }
  return {
    status: 'InProgress',
    reason: HEALTH_CHECK_NOT_CURRENT,
    message: `${rule}: no expression is true yet`,
  };
}
