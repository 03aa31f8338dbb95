export {
  aggregateBundleHealth,
  MAX_FAILING,
  PROGRESS_DEADLINE_EXCEEDED,
  type AggregateOptions,
  type BundleHealth,
  type BundleHealthPhase,
  type ResourceResult,
} from './aggregate.js';
export { computeStatus, type ComputeOptions } from './compute.js';
export {
  evaluateHealthCheck,
  HEALTH_CHECK_ERROR,
  HEALTH_CHECK_FAILED,
  HEALTH_CHECK_IN_PROGRESS,
  HEALTH_CHECK_NOT_CURRENT,
  healthCheckFor,
} from './custom-health.js';
export { KIND_RULES, SCHEDULE_WINDOW_MS } from './core.js';
export { RESOURCE_STATUSES, type Condition, type ResourceStatus, type Status } from './types.js';
