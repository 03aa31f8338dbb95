/**
 * kstatus vocabulary (`sigs.k8s.io/cli-utils/pkg/kstatus/status/status.go`):
 *
 * - `InProgress`: the object is being reconciled towards its spec;
 * - `Current`: the object is what its spec asks for;
 * - `Failed`: reconciling it failed and will not get better on its own;
 * - `Terminating`: it is being deleted;
 * - `NotFound`: it does not exist (set by the caller who looked it up, never by `computeStatus`);
 * - `Unknown`: its status could not be computed.
 */
export const RESOURCE_STATUSES = [
  'InProgress',
  'Failed',
  'Current',
  'Terminating',
  'NotFound',
  'Unknown',
] as const;
export type Status = (typeof RESOURCE_STATUSES)[number];

export interface ResourceStatus {
  status: Status;
  message: string;
  /** A one-word CamelCase reason (`LessReady`, `ProgressDeadlineExceeded`), when there is one. */
  reason?: string;
}

/** One entry of `status.conditions`, the fields that matter here. */
export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export function inProgress(reason: string, message: string): ResourceStatus {
  return { status: 'InProgress', reason, message };
}

export function failed(reason: string, message: string): ResourceStatus {
  return { status: 'Failed', reason, message };
}

export function current(message: string): ResourceStatus {
  return { status: 'Current', message };
}
