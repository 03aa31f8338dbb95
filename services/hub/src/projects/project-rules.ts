import { matchesAnyPattern, type ObjectBounds } from '@fleetwave/contracts';
import { parseSelector, type Requirement, type Selector } from '@fleetwave/labels';
import { type Actor, projectsInView, ROLE_RANK, type Role } from '../common/actor.js';
import { DomainError } from '../common/domain-error.js';

/** A project member: `token:<name>` (an API token), `user:<name>` or `group:<name>` (OIDC), and its role. */
export interface ProjectMember {
  subject: string;
  role: Role;
}

/** A project as stored (docs/projects.md). */
export interface ProjectRecord extends ObjectBounds {
  name: string;
  description: string;
  /** Globs over application repository URLs; `*` alone allows every repository. */
  sourceRepos: string[];
  /** The clusters the project's applications may target ('' = every cluster). */
  clusterSelector: string;
  members: ProjectMember[];
  createdAt: Date;
  updatedAt: Date;
}

export const DEFAULT_PROJECT = 'default';

/**
 * The caller's role in `project`, or null for none: a token bound to a project has its role there
 * and nowhere else; anyone else has their fleet-wide role everywhere, raised by membership
 * (`token:<name>` for API tokens, whose actor name is that; `user:`/`group:` for OIDC callers).
 */
export function projectRole(actor: Actor, project: Pick<ProjectRecord, 'name' | 'members'>): Role | null {
  if (actor.project !== undefined) return actor.project === project.name ? actor.role : null;
  const subjects = new Set([actor.name, ...(actor.groups ?? []).map((g) => `group:${g}`)]);
  // A members-only (OIDC) user starts with no role here; anyone else with their fleet-wide one.
  let role: Role | null = actor.membersOnly ? null : actor.role;
  for (const member of project.members) {
    if (subjects.has(member.subject) && (role === null || ROLE_RANK[member.role] > ROLE_RANK[role])) {
      role = member.role;
    }
  }
  return role;
}

/**
 * Whether `actor` may see what is in project `name` at all: a token bound to another project, or a
 * members-only user the project does not name, may not (to it, that project's applications,
 * rollouts and events do not exist); a fleet-wide role may.
 */
export function seesProject(actor: Actor, name: string): boolean {
  const inView = projectsInView(actor);
  return inView === undefined || inView.includes(name);
}

/** FORBIDDEN unless the caller holds at least `needed` in the project. */
export function requireProjectRole(
  actor: Actor,
  project: Pick<ProjectRecord, 'name' | 'members'>,
  needed: Role,
): void {
  const role = projectRole(actor, project);
  if (role === null || ROLE_RANK[role] < ROLE_RANK[needed]) {
    throw new DomainError(
      'FORBIDDEN',
      `this needs the ${needed} role in project "${project.name}"; ${actor.name} has ${role ?? 'none'} there`,
    );
  }
}

/** Whether the repository URL is among the project's source patterns (`*` alone: any). */
export function sourceAllowed(patterns: readonly string[], repoUrl: string): boolean {
  return patterns.includes('*') || matchesAnyPattern(patterns, repoUrl);
}

/**
 * Whether every cluster `app` selects is one `project` selects, decided from the selectors' text
 * alone (no cluster is read, so it holds for clusters that join later): each of the project's
 * requirements must be implied by one of the application's on the same key. Sound, not complete:
 * an application selector that only happens to stay inside (through requirements on other keys) is
 * refused; the message says which requirement to add.
 */
export function selectorWithin(project: Selector, app: Selector): Requirement | null {
  for (const needed of project) {
    if (!app.some((given) => given.key === needed.key && implies(given, needed))) return needed;
  }
  return null;
}

/** Whether every label set satisfying `a` satisfies `b` (same key). */
function implies(a: Requirement, b: Requirement): boolean {
  // The values `a` allows, when it allows finitely many (Equals, In); else null.
  const only = a.operator === 'Equals' || a.operator === 'In' ? a.values : null;
  const num = (v: string) => (/^-?\d+$/.test(v) ? BigInt(v) : null);
  switch (b.operator) {
    case 'Equals':
    case 'In':
      return only !== null && only.every((v) => b.values.includes(v));
    case 'NotEquals':
    case 'NotIn':
      if (a.operator === 'DoesNotExist') return true;
      if (only !== null) return only.every((v) => !b.values.includes(v));
      return (
        (a.operator === 'NotEquals' || a.operator === 'NotIn') && b.values.every((v) => a.values.includes(v))
      );
    case 'Exists':
      return a.operator !== 'NotEquals' && a.operator !== 'NotIn' && a.operator !== 'DoesNotExist';
    case 'DoesNotExist':
      return a.operator === 'DoesNotExist';
    case 'Gt':
    case 'Lt': {
      const bound = num(b.values[0]!)!;
      const ok = (n: bigint | null) => n !== null && (b.operator === 'Gt' ? n > bound : n < bound);
      if (only !== null) return only.every((v) => ok(num(v)));
      if (a.operator !== b.operator) return false;
      const given = num(a.values[0]!)!;
      return b.operator === 'Gt' ? given >= bound : given <= bound;
    }
  }
}

/** What of an application the project's bounds judge when it is saved. */
export interface BoundedApplication {
  repoUrl: string;
  targetSelector: string;
  defaultNamespace: string | null;
}

/**
 * The first bound `app` breaks, as the error to answer with: its source repository, its target
 * selector (it must stay within the project's cluster selector), its default namespace. Null
 * when within. (Rendered objects are checked per bundle, before any rollout.)
 */
export function applicationDenial(project: ProjectRecord, app: BoundedApplication): DomainError | null {
  if (!sourceAllowed(project.sourceRepos, app.repoUrl)) {
    return new DomainError(
      'PROJECT_SOURCE_DENIED',
      `repository ${app.repoUrl} is not among the source repositories of project "${project.name}" (${project.sourceRepos.join(', ') || 'none'})`,
    );
  }
  const outside = selectorWithin(parseSelector(project.clusterSelector), parseSelector(app.targetSelector));
  if (outside !== null) {
    return new DomainError(
      'PROJECT_DESTINATION_DENIED',
      `targetSelector "${app.targetSelector}" may select clusters outside project "${project.name}": its clusterSelector is "${project.clusterSelector}", and nothing in the targetSelector implies its requirement on "${outside.key}"`,
    );
  }
  if (app.defaultNamespace !== null && !matchesAnyPattern(project.namespaces, app.defaultNamespace)) {
    return new DomainError(
      'PROJECT_NAMESPACE_DENIED',
      `defaultNamespace "${app.defaultNamespace}" is not among the namespaces of project "${project.name}" (${project.namespaces.join(', ') || 'none'})`,
    );
  }
  return null;
}
