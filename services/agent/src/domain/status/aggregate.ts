import type { FailingResource } from '@fleetwave/contracts';
import type { ResourceStatus } from './types.js';

/** The wire contract (`FailingResourceSchema`) bounds these. */
export const MAX_FAILING = 50;
export const MAX_FAILING_REASON = 128;
export const MAX_FAILING_MESSAGE = 1024;

export const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

export type BundleHealthPhase = 'Progressing' | 'Healthy' | 'Degraded' | 'Failed';

export interface ResourceResult {
  /** `namespace_name_group_kind`. */
  id: string;
  status: ResourceStatus;
}

export interface AggregateOptions {
  /** The bundle's progress deadline has passed: anything still in progress has failed. */
  progressDeadlinePassed: boolean;
}

export interface BundleHealth {
  phase: BundleHealthPhase;
  /** Resources that are Current. */
  ready: number;
  total: number;
  /** Non-Current resources, worst first, at most {@link MAX_FAILING}; `total - ready` counts them all. */
  failing: FailingResource[];
}

/**
 * The health of one applied bundle from the kstatus status of each of its objects (what
 * `fluxcd/pkg/ssa` `WaitForSet` decides from the kstatus poller), precedence from worst:
 *
 * - `Failed`: some object is Failed, or the progress deadline has passed while some object is still
 *   InProgress or Unknown (those are listed with reason `ProgressDeadlineExceeded`);
 * - `Degraded`: some applied object is gone (NotFound) or being deleted (Terminating): it was applied,
 *   so something else removed it;
 * - `Progressing`: some object is InProgress or Unknown, and the deadline has not passed;
 * - `Healthy`: every object is Current (also for an empty bundle).
 */
export function aggregateBundleHealth(
  results: readonly ResourceResult[],
  options: AggregateOptions,
): BundleHealth {
  let ready = 0;
  let anyFailed = false;
  let anyGone = false;
  let anyPending = false;
  const failing: { rank: number; entry: FailingResource }[] = [];

  for (const { id, status } of results) {
    switch (status.status) {
      case 'Current':
        ready += 1;
        continue;
      case 'Failed':
        anyFailed = true;
        failing.push({ rank: 0, entry: failingEntry(id, status.reason ?? 'Failed', status.message) });
        continue;
      case 'NotFound':
      case 'Terminating':
        anyGone = true;
        failing.push({
          rank: 2,
          entry: failingEntry(id, status.reason ?? status.status, goneMessage(status)),
        });
        continue;
      case 'InProgress':
      case 'Unknown':
        if (options.progressDeadlinePassed) {
          anyFailed = true;
          failing.push({ rank: 1, entry: failingEntry(id, PROGRESS_DEADLINE_EXCEEDED, status.message) });
        } else {
          anyPending = true;
          failing.push({ rank: 3, entry: failingEntry(id, status.reason ?? status.status, status.message) });
        }
        continue;
    }
  }

  const phase: BundleHealthPhase = anyFailed
    ? 'Failed'
    : anyGone
      ? 'Degraded'
      : anyPending
        ? 'Progressing'
        : 'Healthy';
  failing.sort((a, b) => a.rank - b.rank || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0));
  return {
    phase,
    ready,
    total: results.length,
    failing: failing.slice(0, MAX_FAILING).map(({ entry }) => entry),
  };
}

function goneMessage(status: ResourceStatus): string {
  if (status.message !== '') return status.message;
  return status.status === 'NotFound' ? 'Resource not found' : 'Resource scheduled for deletion';
}

function failingEntry(id: string, reason: string, message: string): FailingResource {
  return {
    id,
    reason: truncate(reason, MAX_FAILING_REASON),
    message: truncate(message, MAX_FAILING_MESSAGE),
  };
}

/** At most `max` UTF-16 units (what zod's `.max` counts), never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
