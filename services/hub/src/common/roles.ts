import { type Actor, hasRole, type Role } from './actor.js';
import { forbidden, unauthenticated } from './domain-error.js';

/** Who is calling, as resolved from the request's bearer token. */
export type AuthState = { actor: Actor } | { actor: undefined; problem: string };

/** The actor, when it holds at least `needed`; else UNAUTHENTICATED (no valid token) or FORBIDDEN. */
export function requireRole(auth: AuthState | undefined, needed: Role): Actor {
  if (!auth?.actor) {
    throw unauthenticated(auth && 'problem' in auth ? auth.problem : 'an API token is required');
  }
  if (!hasRole(auth.actor, needed)) {
    throw forbidden(`this needs the ${needed} role; ${auth.actor.name} has ${auth.actor.role}`);
  }
  return auth.actor;
}
