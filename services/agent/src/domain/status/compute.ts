import type { CompiledHealthChecks } from '@fleetwave/contracts';
import type { KubeObject } from '../kube-object.js';
import { kindRuleFor, readyCondition, type RuleContext } from './core.js';
import { evaluateHealthCheck, healthCheckFor } from './custom-health.js';
import { checkGenericProperties, checkTerminating } from './generic.js';
import { current, type ResourceStatus } from './types.js';

export interface ComputeOptions extends RuleContext {
  /** The application's custom health rules (CEL), compiled; they come before every kstatus rule. */
  healthChecks?: CompiledHealthChecks;
}

/**
 * The kstatus status of a live object (`Compute` in cli-utils `pkg/kstatus/status/status.go`):
 *
 * 0. (our addition, as Flux's `healthCheckExprs`) an object the application has a custom rule for is
 *    judged by that rule alone (`evaluateHealthCheck`), once it is not being deleted;
 * 1. generic rules (Terminating, observedGeneration, Reconciling/Stalled conditions);
 * 2. the rule for its kind, when there is one (Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod,
 *    Job, CronJob, PVC, Service, PDB, CRD, ConfigMap, Secret);
 * 3. (our addition) the `Ready` condition;
 * 4. otherwise Current: a kind with no status to read is assumed reconciled.
 *
 * Never returns NotFound (the caller knows when an object is missing). Pure: the clock, for the one
 * rule that needs it, is `options.now`.
 */
export function computeStatus(obj: KubeObject, options: ComputeOptions = {}): ResourceStatus {
  const custom = options.healthChecks && healthCheckFor(obj, options.healthChecks);
  if (custom !== undefined) return checkTerminating(obj) ?? evaluateHealthCheck(obj, custom);
  const generic = checkGenericProperties(obj);
  if (generic !== undefined) return generic;
  const rule = kindRuleFor(obj);
  if (rule !== undefined) return rule(obj, options);
  return readyCondition(obj) ?? current('Resource is current');
}
