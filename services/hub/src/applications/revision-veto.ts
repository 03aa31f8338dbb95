/** A commit an operator (or an automatic rollback) declared bad: it is never rolled out on its own. */
export interface RevisionVeto {
  applicationId: string;
  commit: string;
  reason: string;
  /** Who vetoed: an operator's actor name, or `engine` for an automatic rollback. */
  actor: string;
  at: Date;
}

/** How a rollout of a commit is being started. */
export interface StartRequest {
  /** Started by the hub itself (git poll, push webhook, a redelivery, a re-render), not by an operator. */
  automatic: boolean;
  /** The operator insists (startRollout force: true); meaningless for automatic starts. */
  force: boolean;
}

/**
 * What a veto means for a start: `start` (no veto, or an operator forced it), `skip` (an automatic
 * start quietly does nothing: the application shows the veto) or `refuse` (an operator must say force).
 */
export function vetoVerdict(veto: RevisionVeto | null, request: StartRequest): 'start' | 'skip' | 'refuse' {
  if (veto === null) return 'start';
  if (request.automatic) return 'skip';
  return request.force ? 'start' : 'refuse';
}

/** The refusal operators read: the commit, the reason and how to go ahead anyway. */
export function vetoedMessage(veto: RevisionVeto): string {
  return (
    `commit ${veto.commit.slice(0, 12)} is vetoed by ${veto.actor}: ${veto.reason} ` +
    '(start it with force, or unveto it first)'
  );
}

/** The application's head commit, when it is vetoed: the fleet is then held at an older one. */
export function vetoedHead(
  latestCommit: string | null,
  vetoes: readonly RevisionVeto[],
): RevisionVeto | null {
  if (latestCommit === null) return null;
  return vetoes.find((veto) => veto.commit === latestCommit) ?? null;
}

/** Reasons are shown in lists and audit events: one bounded line. */
export const MAX_VETO_REASON_LENGTH = 1000;
