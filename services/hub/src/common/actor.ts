/** Who did something, for authorization and for the audit trail. */
export type Role = 'viewer' | 'operator' | 'admin';

export interface Actor {
  /** Stable audit name, e.g. `token:ci-bot`, `bootstrap-admin`, `cluster:east-1`. */
  name: string;
  role: Role;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(actor: Actor, needed: Role): boolean {
  return RANK[actor.role] >= RANK[needed];
}
