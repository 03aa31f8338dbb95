/** Who did something, for authorization and for the audit trail. */
export type Role = 'viewer' | 'operator' | 'admin';

export interface Actor {
  /** Stable audit name, e.g. `token:ci-bot`, `bootstrap-admin`, `cluster:east-1`. */
  name: string;
  role: Role;
  /**
   * Set for an API token bound to one project (docs/projects.md): `role` is its role in that
   * project only, and it holds no fleet-wide role at all.
   */
  project?: string;
  /** OIDC groups the caller is in, for project membership (`group:<name>`); none for API tokens. */
  groups?: readonly string[];
  /**
   * Set for a signed-in (OIDC) user in none of the fleet-wide role groups: it holds roles only in
   * the projects whose members name it (`user:`/`group:`); `role` holds nowhere else.
   */
  membersOnly?: true;
  /**
   * For a members-only user: the projects whose members name it, looked up when the request was
   * authenticated (so reads that filter by project need no lookup of their own).
   */
  memberOf?: readonly string[];
}

/** Whether the actor's `role` holds fleet-wide (neither bound to a project nor a members-only user). */
export function holdsFleetRole(actor: Actor): boolean {
  return actor.project === undefined && actor.membersOnly !== true;
}

/**
 * The projects whose contents (applications, rollouts, events) the actor may see; undefined: all
 * of them (a fleet-wide role). A project-bound token sees its project, a members-only user the
 * projects that name it.
 */
export function projectsInView(actor: Actor): readonly string[] | undefined {
  if (actor.project !== undefined) return [actor.project];
  if (actor.membersOnly === true) return actor.memberOf ?? [];
  return undefined;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(actor: Actor, needed: Role): boolean {
  return RANK[actor.role] >= RANK[needed];
}

export const ROLE_RANK: Readonly<Record<Role, number>> = RANK;
