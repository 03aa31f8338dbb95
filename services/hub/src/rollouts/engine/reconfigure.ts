/** What a cluster of the placement is assigned now: a commit and the digest of its bundle. */
export interface AssignedBundle {
  commit: string;
  digest: string;
}

/** One application's placement as the reconfigure check reads it, after rendering the settled commit. */
export interface ReconfigureState {
  /** The application's settled commit (newest Succeeded rollout or rollback); null: nothing to compare. */
  settledCommit: string | null;
  /** The placement, in order. */
  placed: readonly string[];
  /** Per cluster: what it is assigned now. */
  assigned: ReadonlyMap<string, AssignedBundle>;
  /** Members of any unfinished rollout of the application: they move with it. */
  inActiveRollout: ReadonlySet<string>;
  /** Per cluster: the digest the settled commit renders to for it now (labels and values as they are). */
  rendered: ReadonlyMap<string, string>;
}

/**
 * The clusters whose bundle of the settled commit changed since they were assigned it (a label or
 * values edit): each runs the settled commit, is in no running rollout, and renders now to another
 * digest. A cluster on another commit is the catch-up lane's; one the commit no longer renders for
 * keeps what it runs. In placement order. Pure.
 */
export function reconfigureTargets(state: ReconfigureState): string[] {
  const settled = state.settledCommit;
  if (settled === null) return [];
  return state.placed.filter((id) => {
    const assigned = state.assigned.get(id);
    const rendered = state.rendered.get(id);
    return (
      !state.inActiveRollout.has(id) &&
      assigned?.commit === settled &&
      rendered !== undefined &&
      rendered !== assigned.digest
    );
  });
}

/** The clusters {@link reconfigureTargets} would consider: the placed ones running the settled commit, in no rollout. */
export function reconfigureCandidates(state: Omit<ReconfigureState, 'rendered'>): string[] {
  return state.placed.filter(
    (id) => !state.inActiveRollout.has(id) && state.assigned.get(id)?.commit === state.settledCommit,
  );
}
