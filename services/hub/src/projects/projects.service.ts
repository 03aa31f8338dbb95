import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Actor, hasRole, holdsFleetRole, type Role } from '../common/actor.js';
import {
  conflict,
  type DomainError,
  failedPrecondition,
  forbidden,
  notFound,
} from '../common/domain-error.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { mergeProjectUpdate, parseCreateProject } from './project-input.js';
import {
  DEFAULT_PROJECT,
  type ProjectRecord,
  projectRole,
  requireProjectRole,
  seesProject,
} from './project-rules.js';
import { ProjectUsage } from './project-usage.js';
import { ProjectExistsError, ProjectsRepository } from './projects.repository.js';

/** What the audit trail records of a project. */
function projectSnapshot(project: ProjectRecord) {
  const { createdAt: _c, updatedAt: _u, ...rest } = project;
  return rest;
}

/**
 * Projects: their bounds and members. Fleet admins create, change and delete them; a project's
 * admins may change its members (not its bounds); callers see the projects they hold a role in.
 */
@Injectable()
export class ProjectsService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ProjectsRepository) private readonly projects: ProjectsRepository,
    @Inject(ProjectUsage) private readonly usage: ProjectUsage,
  ) {}

  /** The projects `actor` holds a role in (a fleet-wide role holds one in every project). */
  async list(actor: Actor): Promise<ProjectRecord[]> {
    return (await this.projects.list()).filter((p) => projectRole(actor, p) !== null);
  }

  /** The project, when it exists and `actor` holds a role in it; else null. */
  async find(actor: Actor, name: string): Promise<ProjectRecord | null> {
    const [project] = await this.projects.findByNames([name]);
    return project !== undefined && projectRole(actor, project) !== null ? project : null;
  }

  findByNames(names: readonly string[], tx?: EntityManager): Promise<ProjectRecord[]> {
    return this.projects.findByNames(names, tx);
  }

  /**
   * For an operation on something of project `name` (an application's rollouts, vetoes, syncs):
   * `hidden()` (a NOT_FOUND) when the caller may not see the project at all, FORBIDDEN unless it
   * holds `needed` there. A project that is gone has no members: fleet-wide roles still hold.
   * Inside a transaction, pass it as `tx`: a second pool connection per transaction could exhaust
   * the pool under load.
   */
  async authorize(
    actor: Actor,
    name: string,
    needed: Role,
    hidden: () => DomainError,
    tx?: EntityManager,
  ): Promise<void> {
    if (!seesProject(actor, name)) throw hidden();
    const [project] = await this.projects.findByNames([name], tx);
    requireProjectRole(actor, project ?? { name, members: [] }, needed);
  }

  /**
   * In `tx`: the project an application is saved into, its row share-locked (so it cannot be
   * deleted or re-bounded until `tx` ends). NOT_FOUND when there is none.
   */
  async lockForApplication(tx: EntityManager, name: string): Promise<ProjectRecord> {
    const project = await this.projects.lock(tx, name, 'share');
    if (project === null) throw notFound(`project "${name}" not found`);
    return project;
  }

  create(actor: Actor, input: unknown): Promise<ProjectRecord> {
    requireFleetAdmin(actor, 'create a project');
    const { name, spec } = parseCreateProject(input);
    return this.audited.run(async (tx) => {
      let project: ProjectRecord;
      try {
        project = await this.projects.insert(tx, name, spec);
      } catch (error) {
        if (error instanceof ProjectExistsError) throw conflict(error.message);
        throw error;
      }
      return {
        result: project,
        events: [
          {
            actor: actor.name,
            action: 'project.created',
            targetKind: 'project',
            targetId: name,
            after: projectSnapshot(project),
          },
        ],
      };
    });
  }

  /**
   * Changes the fields given. Fleet admins may change anything; the project's admins only its
   * members. Applications already in it are judged by the new bounds at their next save and their
   * next rollout (every rollout checks the source, the destination and each rendered object).
   */
  update(actor: Actor, name: string, input: unknown): Promise<ProjectRecord> {
    return this.audited.run(async (tx) => {
      const current = await this.projects.lock(tx, name, 'update');
      if (current === null || projectRole(actor, current) === null)
        throw notFound(`project "${name}" not found`);
      const { spec, changed } = mergeProjectUpdate(current, input);
      if (!isFleetAdmin(actor)) {
        requireProjectRole(actor, current, 'admin');
        const bounds = changed.filter((field) => field !== 'members');
        if (bounds.length > 0) {
          throw forbidden(
            `only fleet administrators change a project's bounds (${bounds.join(', ')}); project admins change its members`,
          );
        }
      }
      if (name === DEFAULT_PROJECT && changed.some((f) => f !== 'members' && f !== 'description')) {
        // Every application that names no project lands here: narrowing it would refuse them all.
        throw failedPrecondition(
          `the bounds of project "${DEFAULT_PROJECT}" cannot be changed; create a project instead`,
        );
      }
      const project = await this.projects.update(tx, name, spec);
      if (changed.some((f) => f === 'namespaces' || f === 'kinds' || f === 'clusterKinds')) {
        await this.usage.boundsChanged(tx, name);
      }
      return {
        result: project,
        events: [
          {
            actor: actor.name,
            action: 'project.updated',
            targetKind: 'project',
            targetId: name,
            before: projectSnapshot(current),
            after: projectSnapshot(project),
          },
        ],
      };
    });
  }

  /** Refused (FAILED_PRECONDITION) while any application belongs to it, and for `default`. */
  delete(actor: Actor, name: string): Promise<ProjectRecord> {
    requireFleetAdmin(actor, 'delete a project');
    if (name === DEFAULT_PROJECT) throw failedPrecondition(`project "${DEFAULT_PROJECT}" cannot be deleted`);
    return this.audited.run(async (tx) => {
      const current = await this.projects.lock(tx, name, 'update');
      if (current === null) throw notFound(`project "${name}" not found`);
      const used = await this.usage.of(tx, name);
      if (used.length > 0) {
        throw failedPrecondition(
          `project "${name}" still has ${used.map((u) => `${u.count} ${u.what}`).join(', ')}; move or delete them first`,
        );
      }
      await this.projects.delete(tx, name);
      return {
        result: current,
        events: [
          {
            actor: actor.name,
            action: 'project.deleted',
            targetKind: 'project',
            targetId: name,
            before: projectSnapshot(current),
          },
        ],
      };
    });
  }
}

function isFleetAdmin(actor: Actor): boolean {
  return holdsFleetRole(actor) && hasRole(actor, 'admin');
}

function requireFleetAdmin(actor: Actor, what: string): void {
  if (!isFleetAdmin(actor)) throw forbidden(`only fleet administrators ${what}; ${actor.name} is not one`);
}
