import { Inject, Injectable } from '@nestjs/common';
import { canonicalJson, type DeletionPolicy } from '@fleetwave/contracts';
import { type EntityManager } from 'typeorm';
import { type Actor } from '../common/actor.js';
import { conflict, failedPrecondition, invalidArgument, notFound } from '../common/domain-error.js';
import { AssignmentsRepository } from '../assignments/assignments.repository.js';
import { Withdrawals } from '../assignments/withdrawals.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import { GitSourceError, normalizeRepoUrl, policyFingerprint } from '../git/index.js';
import { JOB_MANIFEST_MAX_BYTES, readJobManifest, type WavePlan } from '../rollouts/engine/index.js';
import {
  type ApplicationSpec,
  checkTrustedKeys,
  mergeApplicationUpdate,
  parseCreateApplication,
} from './application-input.js';
import {
  ApplicationExistsError,
  type ApplicationRecord,
  ApplicationsRepository,
  type RevisionInfo,
} from './applications.repository.js';
import { RepositorySources } from './repository-sources.js';
import { ROLLOUT_STARTER, type RolloutStarter } from './rollout-starter.js';
import { ProjectUsage } from '../projects/project-usage.js';
import { applicationDenial, requireProjectRole, seesProject } from '../projects/project-rules.js';
import { ProjectsService } from '../projects/projects.service.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** What the audit trail records of an application: never credentials (there are none, only a reference). */
export function applicationSnapshot(app: ApplicationRecord) {
  return {
    id: app.id,
    name: app.name,
    project: app.project,
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
    deletionPolicy: app.deletionPolicy,
    allowEmpty: app.allowEmpty,
    healthChecks: app.healthChecks,
    recreate: app.recreate,
    // Which keys, not the key blocks themselves (public, but up to 20 × 64 KiB on every event).
    verify: app.verify && {
      mode: app.verify.mode,
      trustedKeys: app.verify.trustedKeys.length,
      policy: policyFingerprint(app.verify),
    },
  };
}

/** Applications: what to deploy (repository, ref, path, values), where (selector) and how (plan). */
@Injectable()
export class ApplicationsService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(Withdrawals) private readonly withdrawals: Withdrawals,
    @Inject(ROLLOUT_STARTER) private readonly rollouts: RolloutStarter,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(RepositorySources) private readonly sources: RepositorySources,
    @Inject(ProjectUsage) usage: ProjectUsage,
  ) {
    usage.register('application(s)', (tx, project) => this.applications.countInProject(tx, project));
    // Assignments carry the project's object bounds: the agents running its applications re-read them.
    usage.onBoundsChanged(async (tx, project) => {
      const clusters = new Set<string>();
      for (const id of await this.applications.idsInProject(tx, project)) {
        for (const cluster of await this.assignments.clustersOfApplication(tx, id)) clusters.add(cluster);
      }
      await this.assignments.bumpGenerations(tx, [...clusters].sort());
    });
  }

  /**
   * In `tx`: FORBIDDEN unless `actor` is an operator in the spec's project, and the project's
   * error code (PROJECT_*_DENIED) when the spec is outside its bounds. The project's row stays
   * share-locked until `tx` ends, so its bounds cannot change under the save.
   */
  private async checkProject(tx: EntityManager, actor: Actor, spec: ApplicationSpec): Promise<void> {
    const project = await this.projects.lockForApplication(tx, spec.project);
    requireProjectRole(actor, project, 'operator');
    const denial = applicationDenial(project, spec);
    if (denial !== null) throw denial;
  }

  /** FORBIDDEN unless `actor` holds `role` in the application's project. */
  private async requireOn(
    tx: EntityManager,
    actor: Actor,
    app: ApplicationRecord,
    role: 'operator',
  ): Promise<void> {
    requireProjectRole(actor, await this.projects.lockForApplication(tx, app.project), role);
  }

  /** `input` is untrusted (GraphQL JSON): validated here, every problem named. */
  async create(actor: Actor, input: unknown): Promise<ApplicationRecord> {
    const { name, spec: parsed } = parseCreateApplication(input);
    const spec = await checkTrustedKeys(parsed);
    return this.audited.run(async (tx) => {
      await this.checkProject(tx, actor, spec);
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

  async update(actor: Actor, name: string, input: unknown): Promise<ApplicationRecord> {
    const before = this.visible(actor, await this.applications.findByName(name));
    if (before !== null) await this.checkJobManifests(before, mergeApplicationUpdate(before, input).plan);
    return this.audited.run(async (tx) => {
      const current = this.visible(actor, await this.applications.findByName(name, tx));
      if (current === null) throw notFound(`application "${name}" not found`);
      const locked = (await this.applications.lockById(tx, current.id))!;
      if (locked.deletion !== null) throw beingDeleted(locked);
      const spec: ApplicationSpec = mergeApplicationUpdate(locked, input);
      if (canonicalJson(spec.verify) !== canonicalJson(locked.verify)) await checkTrustedKeys(spec);

      // Moving it out of a project needs operator there too.
      if (spec.project !== locked.project) await this.requireOn(tx, actor, locked, 'operator');
      await this.checkProject(tx, actor, spec);
      const app = await this.applications.update(tx, locked.id, repoKey(spec), spec);
      // Assignments read the rules live: agents long-polling on their generation see new ones now.
      if (canonicalJson(spec.healthChecks) !== canonicalJson(locked.healthChecks)) {
        await this.assignments.bumpGenerations(tx, await this.assignments.clustersOfApplication(tx, app.id));
      }
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
   * The Job manifests a plan's `job` checks name, read at the application's latest commit (when it
   * has one): one that is there but not a single `batch/v1` Job is refused now, naming the check;
   * one that is not there (yet) is left to the check run, which reads the rollout's commit.
   */
  private async checkJobManifests(app: ApplicationRecord, plan: WavePlan): Promise<void> {
    const commit = app.latestCommit;
    if (commit === null) return;
    const waves = [
      ...plan.waves.map((wave, i) => ({ wave, at: `waves[${i}]` })),
      { wave: plan.rest, at: 'rest' },
    ];
    for (const { wave, at } of waves) {
      for (const [j, check] of (wave.verification ?? []).entries()) {
        if (check.kind !== 'job' || check.manifest === undefined) continue;
        const problem = await this.manifestProblem(app.id, commit, check.manifest);
        if (problem !== null) throw invalidArgument(`${at}.verification[${j}].manifest: ${problem}`);
      }
    }
  }

  private async manifestProblem(applicationId: string, commit: string, path: string): Promise<string | null> {
    let content: Uint8Array;
    try {
      content = await this.sources.readFileAt(applicationId, commit, path, JOB_MANIFEST_MAX_BYTES);
    } catch (error) {
      if (error instanceof GitSourceError && error.code === 'too-large') return error.message;
      return null;
    }
    const read = readJobManifest(content);
    return 'problem' in read ? `${path} at ${commit.slice(0, 12)}: ${read.problem}` : null;
  }

  /**
   * Deletes the application, explicitly: its unfinished rollouts are aborted, every cluster it is
   * assigned to is sent a withdrawal with `deletionPolicy` (prune: the agents delete its objects;
   * orphan: they leave them), and it is Deleting — nothing new starts for it — until every cluster
   * confirmed; then it is deleted (kept as a row, so its rollouts, revisions and audit trail stay
   * queryable, and its name is free). With no cluster to wait for that happens at once. Returns the
   * application as it is after the call.
   */
  delete(actor: Actor, name: string, deletionPolicy: DeletionPolicy = 'prune'): Promise<ApplicationRecord> {
    return this.audited.run(async (tx) => {
      const current = this.visible(actor, await this.applications.findByName(name, tx));
      if (current === null) throw notFound(`application "${name}" not found`);
      await this.requireOn(tx, actor, current, 'operator');
      const locked = (await this.applications.lockById(tx, current.id))!;
      if (locked.deletion !== null) throw beingDeleted(locked);
      const now = new Date();
      // Rollouts first (their rows locked): a pass that assigned clusters has committed by then.
      const events: NewEvent[] = await this.rollouts.abortAll(tx, locked.id, actor.name);
      let app = await this.applications.requestDeletion(tx, locked.id, {
        policy: deletionPolicy,
        requestedAt: now,
        requestedBy: actor.name,
      });
      events.push({
        actor: actor.name,
        action: 'application.deletionRequested',
        targetKind: 'application',
        targetId: app.id,
        before: applicationSnapshot(locked),
        after: { deletionPolicy },
      });
      const clusterIds = await this.assignments.clustersOfApplication(tx, app.id);
      const writes = clusterIds.map((clusterId) => ({
        clusterId,
        reason: 'deleted' as const,
        deletionPolicy,
      }));
      events.push(...(await this.withdrawals.withdraw(tx, app, writes, actor.name, now)));
      const finished = await this.finishDeletion(tx, app, now);
      if (finished !== null) {
        app = finished.app;
        events.push(finished.event);
      }
      return { result: app, events };
    });
  }

  /**
   * In `tx`, which holds the application's row lock: a Deleting application no cluster has assigned
   * or a withdrawal of unconfirmed is marked deleted. Null when it is not Deleting or still waits.
   */
  async finishDeletion(
    tx: EntityManager,
    app: ApplicationRecord,
    now: Date,
  ): Promise<{ app: ApplicationRecord; event: NewEvent } | null> {
    if (app.deletion === null || app.deletedAt !== null) return null;
    if ((await this.assignments.remainingForApplication(app.id, tx)) > 0) return null;
    const deleted = await this.applications.markDeleted(tx, app.id, now);
    return {
      app: deleted,
      event: {
        actor: app.deletion.requestedBy,
        action: 'application.deleted',
        targetKind: 'application',
        targetId: app.id,
        before: applicationSnapshot(app),
        after: { deletionPolicy: app.deletion.policy },
      },
    };
  }

  findByName(name: string): Promise<ApplicationRecord | null> {
    return this.applications.findByName(name);
  }

  /** The application when `actor` holds a role in its project; else null (as if there were none). */
  async findVisible(actor: Actor, name: string): Promise<ApplicationRecord | null> {
    return this.visible(actor, await this.applications.findByName(name));
  }

  /**
   * FORBIDDEN unless `actor` is an operator in the application's project (for operations on it
   * outside this service, such as a sync).
   */
  requireOperator(actor: Actor, app: ApplicationRecord): Promise<void> {
    return this.projects.authorize(actor, app.project, 'operator', () =>
      notFound(`application "${app.name}" not found`),
    );
  }

  /**
   * Fleet-wide roles hold in every project; a project-bound token sees its project, a members-only
   * (OIDC) user the projects that name it.
   */
  private visible(actor: Actor, app: ApplicationRecord | null): ApplicationRecord | null {
    if (app === null) return null;
    return seesProject(actor, app.project) ? app : null;
  }

  findByIds(ids: readonly string[]): Promise<ApplicationRecord[]> {
    return this.applications.findByIds(ids);
  }

  /** A page of applications; `projects` set (the caller's `projectsInView`): only theirs. */
  async list(first: number | undefined, afterName: string | undefined, projects?: readonly string[]) {
    const limit = first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
      throw invalidArgument(`first must be between 0 and ${MAX_PAGE_SIZE}`);
    }
    const page = await this.applications.page(afterName, limit, projects ?? null);
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

function beingDeleted(app: ApplicationRecord) {
  return failedPrecondition(
    `application "${app.name}" is being deleted (asked by ${app.deletion!.requestedBy} at ${app.deletion!.requestedAt.toISOString()})`,
  );
}

function repoKey(spec: ApplicationSpec): string {
  return normalizeRepoUrl(spec.repoUrl);
}
