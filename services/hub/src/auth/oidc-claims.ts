import { type Actor, type Role } from '../common/actor.js';
import { type OidcConfig } from '../config/hub-config.js';

/** How claims become an actor: which claims, and which groups hold a fleet-wide role. */
export type ClaimMapping = Pick<
  OidcConfig,
  'usernameClaim' | 'groupsClaim' | 'adminGroups' | 'operatorGroups' | 'viewerGroups'
>;

export type ClaimsOutcome = { actor: Actor } | { actor: undefined; problem: string };

/**
 * The actor of a verified ID token's claims: `user:<username claim>` with its groups (for
 * `group:<name>` project members) and the greatest fleet-wide role a group grants; a user in none
 * of those groups holds roles only where projects name it (`membersOnly`).
 */
export function actorFromClaims(claims: Record<string, unknown>, mapping: ClaimMapping): ClaimsOutcome {
  const username = claims[mapping.usernameClaim];
  if (typeof username !== 'string' || username.trim() === '') {
    return { actor: undefined, problem: `the SSO token has no "${mapping.usernameClaim}" claim (a string)` };
  }
  const groups = groupsOf(claims[mapping.groupsClaim]);
  if (groups === null) {
    return {
      actor: undefined,
      problem: `the SSO token's "${mapping.groupsClaim}" claim must be a list of group names`,
    };
  }
  const role = fleetRole(groups, mapping);
  const actor: Actor = { name: `user:${username}`, role: role ?? 'viewer', groups };
  return { actor: role === null ? { ...actor, membersOnly: true } : actor };
}

/** A groups claim: absent is none; a single string (some providers) is one group. Null: malformed. */
function groupsOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((g): g is string => typeof g === 'string')) return [...value];
  return null;
}

function fleetRole(groups: readonly string[], mapping: ClaimMapping): Role | null {
  const inAny = (names: readonly string[]) => groups.some((g) => names.includes(g));
  if (inAny(mapping.adminGroups)) return 'admin';
  if (inAny(mapping.operatorGroups)) return 'operator';
  if (inAny(mapping.viewerGroups)) return 'viewer';
  return null;
}
