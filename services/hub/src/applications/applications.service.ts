import { Inject, Injectable } from '@nestjs/common';
import { type Actor } from '../common/actor.js';
import { conflict, invalidArgument, notFound } from '../common/domain-error.js';
import { AssignmentNotifier } from '../assignments/assignment-notifier.js';
import { AssignmentsRepository } from '../assignments/assignments.repository.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { normalizeRepoUrl } from '../git/index.js';
import { type ApplicationSpec, mergeApplicationUpdate, parseCreateApplication } from './application-input.js';
import {
  ApplicationExistsError,
  type ApplicationRecord,
  ApplicationsRepository,
  type RevisionInfo,
} from './applications.repository.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** What the audit trail records of an application: never credentials (there are none, only a reference). */
export function applicationSnapshot(app: ApplicationRecord) {
  return {
    id: app.id,
    name: app.name,
    repoUrl: app.repoUrl,
    credentialsRef: app.credentialsRef,
    ref: app.ref,
    path: app.path,
    targetSelector: app.targetSelector,
    valuesRules: app.valuesRules,
    plan: app.plan,
    syncPolicy: app.syncPolicy,
    pollIntervalSeconds: app.pollIntervalSeconds,
    defaultNamespace: app.defaultNamespace,
    prune: app.prune,
    joinPolicy: app.joinPolicy,
    allowEmpty: app.allowEmpty,
  };
}

/** Applications: what to deploy (repository, ref, path, values), where (selector) and how (plan). */
@Injectable()
export class ApplicationsService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(AssignmentNotifier) private readonly notifier: AssignmentNotifier,
  ) {}

  /** `input` is untrusted (GraphQL JSON): validated here, every problem named. */
  create(actor: Actor, input: unknown): Promise<ApplicationRecord> {
    const { name, spec } = parseCreateApplication(input);
    return this.audited.run(async (tx) => {
      let app: ApplicationRecord;
      try {
        app = await this.applications.insert(tx, name, repoKey(spec), spec);
      } catch (error) {
        if (error instanceof ApplicationExistsError) throw conflict(error.message);
        throw error;
      }
      return {
        result: app,
        events: [
          {
            actor: actor.name,
            action: 'application.created',
            targetKind: 'application',
            targetId: app.id,
            after: applicationSnapshot(app),
          },
        ],
      };
    });
  }

  update(actor: Actor, name: string, input: unknown): Promise<ApplicationRecord> {
    return this.audited.run(async (tx) => {
      const current = await this.applications.findByName(name, tx);
      if (current === null) throw notFound(`application "${name}" not found`);
      const locked = (await this.applications.lockById(tx, current.id))!;
      const spec: ApplicationSpec = mergeApplicationUpdate(locked, input);
      const app = await this.applications.update(tx, locked.id, repoKey(spec), spec);
      return {
        result: app,
        events: [
          {
            actor: actor.name,
            action: 'application.updated',
            targetKind: 'application',
            targetId: app.id,
            before: applicationSnapshot(locked),
            after: applicationSnapshot(app),
          },
        ],
      };
    });
  }

  /**
   * Deletes the application, its revisions and rollouts. Agents drop the assignment and stop
   * managing its objects; the objects stay in the clusters (nothing is deleted behind anyone's back).
   */
  delete(actor: Actor, name: string): Promise<ApplicationRecord> {
    return this.audited.run(async (tx) => {
      const current = await this.applications.findByName(name, tx);
      if (current === null) throw notFound(`application "${name}" not found`);
      const app = (await this.applications.lockById(tx, current.id))!;
      const clusterIds = await this.assignments.clustersOfApplication(tx, app.id);
      await this.assignments.bumpGenerations(tx, clusterIds);
      await this.applications.delete(tx, app.id);
      await this.notifier.notify(tx, clusterIds);
      return {
        result: app,
        events: [
          {
            actor: actor.name,
            action: 'application.deleted',
            targetKind: 'application',
            targetId: app.id,
            before: applicationSnapshot(app),
          },
        ],
      };
    });
  }

  findByName(name: string): Promise<ApplicationRecord | null> {
    return this.applications.findByName(name);
  }

  findByIds(ids: readonly string[]): Promise<ApplicationRecord[]> {
    return this.applications.findByIds(ids);
  }

  async list(first: number | undefined, afterName: string | undefined) {
    const limit = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
      throw invalidArgument(`first must be between 0 and ${MAX_PAGE_SIZE}`);
    }
    const page = await this.applications.page(afterName, limit);
    return {
      applications: page.rows.map((row) => row.application),
      /** Commit metadata of each application's latestCommit (null: none, or not fetched). */
      latestRevisions: page.rows.map((row) => row.latestRevision),
      hasNextPage: page.hasMore,
      totalCount: page.total,
    };
  }

  /** Each application's newest revisions, at most `first` (0–200) each: one query for all of them. */
  revisions(applicationIds: readonly string[], first = 20): Promise<Map<string, RevisionInfo[]>> {
    return this.applications.listRevisions(applicationIds, Math.min(Math.max(first, 0), 200));
  }

  revisionInfos(keys: readonly { applicationId: string; commit: string }[]) {
    return this.applications.findRevisionInfos(keys);
  }
}

function repoKey(spec: ApplicationSpec): string {
  return normalizeRepoUrl(spec.repoUrl);
}
