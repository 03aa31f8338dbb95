import { describeObjectId } from './object-id.js';

/** What applying or pruning did to one object (`fluxcd/pkg/ssa` `ChangeSetEntry`). */
export const CHANGE_SET_ACTIONS = [
  'created',
  'configured',
  'recreated',
  'unchanged',
  'deleted',
  'skipped',
] as const;
export type ChangeSetAction = (typeof CHANGE_SET_ACTIONS)[number];

export interface ChangeSetEntry {
  /** `namespace_name_group_kind`. */
  id: string;
  action: ChangeSetAction;
  /** Why, for `skipped` (`fleetwave.io/prune: disabled`) and anything worth a word. */
  reason?: string;
  /**
   * For `skipped`: the apply was refused because these fields are immutable (`spec.selector`), so
   * only deleting and re-creating the object can change them.
   */
  immutableFields?: string[];
}

export interface ChangeSetSummary {
  counts: Record<ChangeSetAction, number>;
  total: number;
  /** kubectl-like: `3 created, 1 configured, 12 unchanged`; `no changes` for an empty set. */
  summary: string;
}

export function summarizeChangeSet(entries: readonly ChangeSetEntry[]): ChangeSetSummary {
  const counts: Record<ChangeSetAction, number> = {
    created: 0,
    configured: 0,
    recreated: 0,
    unchanged: 0,
    deleted: 0,
    skipped: 0,
  };
  for (const entry of entries) counts[entry.action] += 1;
  const parts = CHANGE_SET_ACTIONS.filter((action) => counts[action] > 0).map(
    (action) => `${counts[action]} ${action}`,
  );
  return { counts, total: entries.length, summary: parts.length === 0 ? 'no changes' : parts.join(', ') };
}

/** One line per entry, kubectl-like: `Deployment.apps shop/web configured`. */
export function describeChange(entry: ChangeSetEntry): string {
  const line = `${describeObjectId(entry.id)} ${entry.action}`;
  return entry.reason === undefined ? line : `${line} (${entry.reason})`;
}

/**
 * Out-of-band changes the agent reverted, for a re-apply of the revision already applied: every
 * object it had to create (deleted by someone), configure (edited by someone) or re-create (an
 * immutable field changed by someone). Meaningless for the first apply of a new revision, where
 * these are the revision's own changes.
 */
export function countDriftCorrections(entries: readonly ChangeSetEntry[]): number {
  return entries.filter(
    (entry) => entry.action === 'created' || entry.action === 'configured' || entry.action === 'recreated',
  ).length;
}
