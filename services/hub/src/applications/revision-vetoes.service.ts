import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Actor } from '../common/actor.js';
import { invalidArgument, notFound } from '../common/domain-error.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import { type ApplicationRecord, ApplicationsRepository } from './applications.repository.js';
import { ProjectsService } from '../projects/projects.service.js';
import { MAX_VETO_REASON_LENGTH, type RevisionVeto } from './revision-veto.js';
import { RevisionVetoesRepository } from './revision-vetoes.repository.js';

/**
 * Vetoing and unvetoing commits. Both take the application's row lock, the lock every rollout start
 * takes, so a start running concurrently either sees the veto or finished before it.
 */
@Injectable()
export class RevisionVetoesService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(RevisionVetoesRepository) private readonly vetoes: RevisionVetoesRepository,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
  ) {}

  veto(actor: Actor, applicationName: string, commit: string, reason: string): Promise<RevisionVeto> {
    const text = reason.trim();
    if (text === '') throw invalidArgument('reason: say why the commit is vetoed');
    if (text.length > MAX_VETO_REASON_LENGTH) {
      throw invalidArgument(`reason: at most ${MAX_VETO_REASON_LENGTH} characters`);
    }
    checkCommit(commit);
    return this.audited.run(async (tx) => {
      const app = await this.lockApplication(tx, actor, applicationName);
      const before = await this.vetoes.find(app.id, commit, tx);
      const veto = await this.vetoes.upsert(tx, {
        applicationId: app.id,
        commit,
        reason: text,
        actor: actor.name,
      });
      return {
        result: veto,
        events: [vetoEvent(actor.name, 'application.revisionVetoed', app, veto, before)],
      };
    });
  }

  unveto(actor: Actor, applicationName: string, commit: string): Promise<RevisionVeto> {
    checkCommit(commit);
    return this.audited.run(async (tx) => {
      const app = await this.lockApplication(tx, actor, applicationName);
      const removed = await this.vetoes.delete(tx, app.id, commit);
      if (removed === null) {
        throw notFound(`commit ${commit.slice(0, 12)} of application "${app.name}" is not vetoed`);
      }
      return {
        result: removed,
        events: [
          {
            actor: actor.name,
            action: 'application.revisionUnvetoed',
            targetKind: 'application',
            targetId: app.id,
            before: { application: app.name, ...vetoSnapshot(removed) },
            after: { application: app.name, commit },
          },
        ],
      };
    });
  }

  /** Each application's vetoes, newest first: one statement for all. */
  ofApplications(applicationIds: readonly string[]): Promise<Map<string, RevisionVeto[]>> {
    return this.vetoes.ofApplications(applicationIds);
  }

  /** The application, locked, when `actor` is an operator in its project (else NOT_FOUND or FORBIDDEN). */
  private async lockApplication(tx: EntityManager, actor: Actor, name: string): Promise<ApplicationRecord> {
    const found = await this.applications.findByName(name, tx);
    const missing = () => notFound(`application "${name}" not found`);
    if (found === null) throw missing();
    await this.projects.authorize(actor, found.project, 'operator', missing, tx);
    return (await this.applications.lockById(tx, found.id))!;
  }
}

/** The audit event of a veto, by an operator or by the engine after an automatic rollback. */
export function vetoEvent(
  actor: string,
  action: string,
  app: Pick<ApplicationRecord, 'id' | 'name'>,
  veto: RevisionVeto,
  before: RevisionVeto | null = null,
): NewEvent {
  return {
    actor,
    action,
    targetKind: 'application',
    targetId: app.id,
    ...(before ? { before: { application: app.name, ...vetoSnapshot(before) } } : {}),
    after: { application: app.name, ...vetoSnapshot(veto) },
  };
}

function vetoSnapshot(veto: RevisionVeto) {
  return { commit: veto.commit, reason: veto.reason, vetoedBy: veto.actor };
}

function checkCommit(commit: string): void {
  if (!/^[0-9a-f]{40}$/.test(commit)) throw invalidArgument('commit must be a full 40-hex commit id');
}
