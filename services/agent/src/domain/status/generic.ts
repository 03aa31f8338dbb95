import type { KubeObject } from '../kube-object.js';
import { conditionsOf, hasInt, intField, stringField } from './fields.js';
import { type ResourceStatus } from './types.js';

/**
 * kstatus `checkGenericProperties` (generic.go): rules that hold for every kind, applied before the
 * per-kind rules. Undefined when they do not decide.
 *
 * 1. `metadata.deletionTimestamp` set → Terminating.
 * 2. `status.observedGeneration` present and ≠ `metadata.generation` → InProgress.
 * 3. A `Reconciling=True` condition → InProgress; a `Stalled=True` condition → Failed (the first of
 *    the two in the list wins, as in kstatus).
 */
export function checkGenericProperties(obj: KubeObject): ResourceStatus | undefined {
  const terminating = checkTerminating(obj);
  if (terminating !== undefined) return terminating;

  const generation = checkGeneration(obj);
  if (generation !== undefined) return generation;

  for (const condition of conditionsOf(obj)) {
    if (condition.type === 'Reconciling' && condition.status === 'True') {
      return withReason({ status: 'InProgress', message: condition.message }, condition.reason);
    }
    if (condition.type === 'Stalled' && condition.status === 'True') {
      return withReason({ status: 'Failed', message: condition.message }, condition.reason);
    }
  }
  return undefined;
}

/** kstatus: `metadata.deletionTimestamp` set → Terminating, whatever else the object says. */
export function checkTerminating(obj: KubeObject): ResourceStatus | undefined {
  if (stringField(obj, ['metadata', 'deletionTimestamp'], '') === '') return undefined;
  return { status: 'Terminating', message: 'Resource scheduled for deletion' };
}

function withReason(status: ResourceStatus, reason: string): ResourceStatus {
  return reason === '' ? status : { ...status, reason };
}

/** kstatus `checkGeneration`: skipped when either field is absent. */
export function checkGeneration(obj: KubeObject): ResourceStatus | undefined {
  if (!hasInt(obj, ['metadata', 'generation']) || !hasInt(obj, ['status', 'observedGeneration']))
    return undefined;
  const generation = intField(obj, ['metadata', 'generation'], 0);
  const observed = intField(obj, ['status', 'observedGeneration'], 0);
  if (generation === observed) return undefined;
  return {
    status: 'InProgress',
    reason: 'LatestGenerationNotObserved',
    message: `${obj.kind} generation is ${generation}, but latest observed generation is ${observed}`,
  };
}

/**
 * kstatus `checkGenerationSet`, for kinds whose controller always sets both fields (DaemonSet):
 * InProgress while either is missing.
 */
export function checkGenerationSet(obj: KubeObject): ResourceStatus | undefined {
  if (!hasInt(obj, ['metadata', 'generation'])) {
    return {
      status: 'InProgress',
      reason: 'NoGeneration',
      message: `${obj.kind} metadata.generation not found`,
    };
  }
  if (!hasInt(obj, ['status', 'observedGeneration'])) {
    return {
      status: 'InProgress',
      reason: 'NoObservedGeneration',
      message: `${obj.kind} status.observedGeneration not found`,
    };
  }
  return undefined;
}
