import { invalidArgument } from '../common/domain-error.js';
import { type AssignmentPhase } from './engine/index.js';

/** Most member clusters one `Rollout.clusters(first:)` page may ask for. */
export const MAX_CLUSTER_PAGE_SIZE = 1000;

export interface ClusterPageRequest {
  /** Only members in one of these phases (undefined or empty: every phase). */
  phases?: readonly AssignmentPhase[] | undefined;
  /** The name of the last member of the previous page: the page starts after it, in the same order. */
  after?: string | undefined;
  /** At most this many (undefined: all that follow). */
  first?: number | undefined;
}

/**
 * One page of a rollout's member clusters, in the order they are listed (wave, then name). The
 * cursor is a member's name, looked up among all members, so a page still follows on when the
 * previous page's last cluster has since moved to a phase the filter leaves out.
 */
export function pageOfClusters<T extends { name: string; phase: AssignmentPhase }>(
  members: readonly T[],
  { phases, after, first }: ClusterPageRequest,
): T[] {
  if (first !== undefined && (!Number.isInteger(first) || first < 0 || first > MAX_CLUSTER_PAGE_SIZE)) {
    throw invalidArgument(`first must be between 0 and ${MAX_CLUSTER_PAGE_SIZE}`);
  }
  let start = 0;
  if (after !== undefined) {
    const index = members.findIndex((m) => m.name === after);
    if (index < 0) throw invalidArgument(`after: cluster "${after}" is not a member of this rollout`);
    start = index + 1;
  }
  const wanted = phases !== undefined && phases.length > 0 ? new Set(phases) : undefined;
  const page: T[] = [];
  for (let i = start; i < members.length && (first === undefined || page.length < first); i++) {
    if (wanted === undefined || wanted.has(members[i]!.phase)) page.push(members[i]!);
  }
  return page;
}
