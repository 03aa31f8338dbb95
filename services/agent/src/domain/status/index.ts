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
export { KIND_RULES, SCHEDULE_WINDOW_MS } from './core.js';
export { RESOURCE_STATUSES, type Condition, type ResourceStatus, type Status } from './types.js';
