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
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(actor: Actor, needed: Role): boolean {
  return RANK[actor.role] >= RANK[needed];
}

export const ROLE_RANK: Readonly<Record<Role, number>> = RANK;
