import { type Actor, hasRole, holdsFleetRole, type Role } from './actor.js';
import { forbidden, unauthenticated } from './domain-error.js';

/** Who is calling, as resolved from the request's bearer token. */
export type AuthState = { actor: Actor } | { actor: undefined; problem: string };

/**
 * The actor, when it holds at least `needed` fleet-wide; else UNAUTHENTICATED (no valid token) or
 * FORBIDDEN. A project-bound token holds no fleet-wide role: it reaches only the operations that
 * check project roles themselves ({@link requireCaller}).
 */
export function requireRole(auth: AuthState | undefined, needed: Role): Actor {
  const actor = requireCaller(auth);
  if (actor.project !== undefined) {
    throw forbidden(
      `${actor.name} is bound to project "${actor.project}" and holds no fleet-wide role; this needs the ${needed} role fleet-wide`,
    );
  }
  if (!holdsFleetRole(actor)) {
    throw forbidden(
      `${actor.name} holds roles only in the projects that name it (and no fleet-wide role); this needs the ${needed} role fleet-wide`,
    );
  }
  if (!hasRole(actor, needed)) {
    throw forbidden(`this needs the ${needed} role; ${actor.name} has ${actor.role}`);
  }
  return actor;
}

/** Any authenticated caller (project-aware operations check the caller's project role themselves). */
export function requireCaller(auth: AuthState | undefined): Actor {
  if (!auth?.actor) {
    throw unauthenticated(auth && 'problem' in auth ? auth.problem : 'an API token is required');
  }
  return auth.actor;
}
