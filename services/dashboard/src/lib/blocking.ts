import { formatDuration, formatTime } from './format';

/** The fields of a BlockingReason the dashboard reads (DashboardBlockingFields). */
export interface Blocking {
  kind: string;
  message: string;
  opensAt?: string | null;
  reason?: string | null;
  by?: string | null;
  until?: string | null;
  changing?: number | null;
  limit?: number | null;
  share?: number | null;
  held?: number | null;
}

/**
 * Pure: what the fleet-wide gates add to the hub's message: when a window opens, who froze the
 * fleet and until when, how many are changing against the budget. Undefined for other kinds (their
 * message says it all).
 */
export function blockingDetail(
  blocking: Blocking,
  now: number,
  time: (iso: string) => string = formatTime,
): string | undefined {
  switch (blocking.kind) {
    case 'window':
      return blocking.opensAt
        ? `Next opening: ${time(blocking.opensAt)} (in ${formatDuration(Date.parse(blocking.opensAt) - now)})`
        : 'No opening within a year: check the application’s windows';
    case 'freeze': {
      const until = blocking.until ? `until ${time(blocking.until)}` : 'until an admin unfreezes it';
      return `Fleet frozen by ${blocking.by ?? 'an admin'} ${until}${blocking.reason ? `: ${blocking.reason}` : ''}`;
    }
    case 'fleetBudget':
      if (blocking.share !== undefined && blocking.share !== null)
        return `Holding ${blocking.held ?? '?'} of its fair share of ${blocking.share}; ${blocking.changing ?? '?'} of ${blocking.limit ?? '?'} clusters allowed are changing fleet-wide`;
      return `${blocking.changing ?? '?'} of ${blocking.limit ?? '?'} clusters allowed are changing fleet-wide`;
    case 'clusterBudget':
      return `${blocking.changing ?? '?'} of ${blocking.limit ?? '?'} applications allowed are changing on the cluster`;
    default:
      return undefined;
  }
}
