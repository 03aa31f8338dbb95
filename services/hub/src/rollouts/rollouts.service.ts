import { Inject, Injectable } from '@nestjs/common';
import {
  type VerificationRunRecord,
  VerificationRepository,
} from './verification/verification.repository.js';
import { hasVerification } from './verification-requests.js';
import { waveVerifications } from './engine/verification/wave-state.js';
import { type EntityManager } from 'typeorm';
import { type ApplicationRecord, ApplicationsRepository } from '../applications/applications.repository.js';
import { parsePlan } from '../applications/application-input.js';
import {
  type RevisionVeto,
  type StartRequest,
  vetoedMessage,
  vetoVerdict,
} from '../applications/revision-veto.js';
import { RevisionVetoesRepository } from '../applications/revision-vetoes.repository.js';
import { revisionProblem } from '../applications/revision-usable.js';
import { type Actor, type Role } from '../common/actor.js';
import { DEFAULT_PROJECT, seesProject } from '../projects/project-rules.js';
import { ProjectsService } from '../projects/projects.service.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import {
  conflict,
  failedPrecondition,
  invalidArgument,
  notFound,
  revisionVetoed,
} from '../common/domain-error.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import {
  ACTIVE_STATES,
  type AssignmentPhase,
  type BlockingReason,
  decide,
  INERT_STATES,
  type RolloutEta,
  type RolloutState,
  type WavePlan,
} from './engine/index.js';
import { type DiffGroup } from '../bundles/bundle-diff.js';
import { maskSecretsInBundle } from '../bundles/secret-mask.js';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { FleetGates, type FleetGateState } from './fleet-gates.js';
import { PACE_HISTORY_ROLLOUTS, paceOfHistory, type PreviousPaceRead, rolloutEta } from './rollout-eta.js';
import { Preflight, type PreviewBundle } from './preflight.js';
import { overridden, snapshotOf } from './rollout-pass.service.js';
import { RolloutFactory } from './rollout-factory.js';
import { RolloutScheduler } from './rollout-scheduler.js';
import {
  type RolloutClusterRecord,
  type RolloutPage,
  type RolloutPageRequest,
  type RolloutRecord,
  type RolloutView,
  type RolloutWaveRecord,
  RolloutsRepository,
} from './rollouts.repository.js';

export const DEFAULT_PAGE_SIZE = 20;
/** Renders of one start before giving up on an application that keeps changing under it. */
const RENDER_ATTEMPTS = 3;
export const MAX_PAGE_SIZE = 200;

export interface PreviewWave {
  index: number;
  name: string;
  selector: string;
  clusters: { id: string; name: string; digest: string | null }[];
}

export interface RolloutPreview {
  application: string;
  commit: string | null;
  plan: WavePlan;
  waves: PreviewWave[];
  excluded: { id: string; name: string; wave: string; reason: string }[];
  /** Clusters the revision does not render for (the rollout could not start). */
  renderErrors: string[];
  /** Each distinct bundle it would assign. */
  bundles: PreviewBundle[];
  /** Object by object, what changes on each cluster, identical diffs grouped (only when asked). */
  diff: DiffGroup[] | null;
}

export interface WaveDetail {
  index: number;
  name: string;
  selector: string;
  size: number;
  counts: Record<AssignmentPhase, number>;
  failed: number;
  failureLimit: number;
  concurrencyLimit: number;
  soakSeconds: number;
  requireApproval: boolean;
  progressDeadlineSeconds: number;
  startedAt: Date | null;
  healthyAt: Date | null;
  approvedAt: Date | null;
  approvedBy: string | null;
  blocking: BlockingReason | null;
  /** Every attempt of the wave's verification checks, oldest first. */
  verificationRuns: VerificationRunRecord[];
}

export interface ClusterDetail {
  clusterId: string;
  name: string;
  wave: string;
  phase: AssignmentPhase;
  targetDigest: string | null;
  targetCommit: string | null;
  assignedAt: Date | null;
  reportedDigest: string | null;
  reportedAt: Date | null;
  failing: { id: string; reason: string; message: string }[];
  blocking: BlockingReason | null;
}

/** A rollout as operators see it, with the engine's view computed now (nothing is written). */
export interface RolloutDetail {
  rollout: RolloutRecord;
  waves: WaveDetail[];
  clusters: ClusterDetail[];
  /** The reason the rollout as a whole is waiting: the current wave's blocking reason. */
  blocking: BlockingReason | null;
  /** Every attempt of its verification checks, oldest first. */
  verificationRuns: VerificationRunRecord[];
}

export interface ListRollouts {
  application?: string | undefined;
  states?: RolloutState[] | undefined;
  first?: number | undefined;
  /** Exclusive: the id of the last rollout of the previous page. */
  afterId?: string | undefined;
  /** Only rollouts of these projects' applications (the caller's view; undefined: all). */
  projects?: readonly string[] | undefined;
}

export interface RolloutList<T = RolloutRecord> {
  rollouts: T[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * Where {@link RolloutsService.detail} reads a rollout's state: straight from the repository, or
 * from a GraphQL request's loaders, which batch every rollout the response shows into one query.
 */
export interface RolloutReads {
  rollout(id: string): Promise<Pick<RolloutView, 'rollout' | 'waves'> | null>;
  members(rollout: RolloutRecord): Promise<RolloutClusterRecord[]>;
  /** Read only for a rollout whose plan has verification checks. */
  verificationRuns(rollout: RolloutRecord): Promise<VerificationRunRecord[]>;
}

/** Starting, steering and reading rollouts. Each mutation checks state, audits, then runs a pass. */
@Injectable()
export class RolloutsService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(RolloutFactory) private readonly factory: RolloutFactory,
    @Inject(RolloutScheduler) private readonly scheduler: RolloutScheduler,
    @Inject(RevisionVetoesRepository) private readonly vetoes: RevisionVetoesRepository,
    @Inject(FleetGates) private readonly fleet: FleetGates,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(Preflight) private readonly preflight: Preflight,
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(VerificationRepository) private readonly verification: VerificationRepository,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
  ) {}

  async preview(
    actor: Actor,
    applicationName: string,
    commit?: string | null,
    planInput?: unknown,
    withDiff = false,
  ): Promise<RolloutPreview> {
    const app = await this.application(actor, applicationName, 'viewer');
    const plan = planInput === undefined || planInput === null ? app.plan : parsePlan(planInput);
    if (commit != null && !/^[0-9a-f]{40}$/.test(commit)) {
      throw invalidArgument('revision must be a full 40-hex commit id');
    }
    const revisionCommit = commit ?? app.latestCommit;
    const revision =
      revisionCommit === null ? null : await this.applications.findRevision(app.id, revisionCommit);
    if (commit != null && revision === null) {
      throw notFound(`commit ${commit} of application "${app.name}" has not been fetched`);
    }
    const { membership, clusters } = await this.factory.membership(app, plan);
    const members = membership.waves.flatMap((w) => w.clusterIds.map((id) => clusters.get(id)!));
    const problem = revision === null ? null : revisionProblem(app, revision);
    const rendered =
      revision === null || problem !== null
        ? {
            digests: new Map<string, string>(),
            bundles: new Map<string, string>(),
            errors: problem !== null ? [problem] : [],
          }
        : await this.factory.render(app, revision, members);
    const waves = effectiveWavesOf(plan);
    return {
      application: app.name,
      commit: revisionCommit,
      plan,
      waves: membership.waves.map((w) => ({
        index: w.index,
        name: w.name,
        selector: waves[w.index]?.selector ?? '',
        clusters: w.clusterIds.map((id, i) => ({
          id,
          name: w.clusterNames[i] ?? '',
          digest: rendered.digests.get(id) ?? null,
        })),
      })),
      excluded: membership.excluded.map((e) => ({
        id: e.clusterId,
        name: e.name,
        wave: e.wave,
        reason: e.reason,
      })),
      renderErrors: rendered.errors,
      bundles: this.preflight.bundlesOf(rendered),
      diff: withDiff ? await this.preflight.diff(app.id, members, rendered) : null,
    };
  }

  /**
   * Exactly what one cluster would get from the application at `commit` (default: the newest
   * fetched): its bundle (Secret values masked), or why it does not render. Whether or not the
   * cluster is targeted.
   */
  async renderFor(
    actor: Actor,
    applicationName: string,
    clusterName: string,
    commit?: string | null,
  ): Promise<{ commit: string; digest: string | null; manifests: string | null; error: string | null }> {
    const app = await this.application(actor, applicationName, 'viewer');
    const cluster = await this.clusters.findByName(clusterName);
    if (cluster === null) throw notFound(`cluster "${clusterName}" not found`);
    const target = commit ?? app.latestCommit;
    if (target === null) throw failedPrecondition(`application "${app.name}" has no fetched revision yet`);
    const revision = await this.applications.findRevision(app.id, target);
    if (revision === null)
      throw notFound(`commit ${target} of application "${app.name}" has not been fetched`);
    const problem = revisionProblem(app, revision);
    if (problem !== null) return { commit: target, digest: null, manifests: null, error: problem };
    const rendered = await this.factory.render(app, revision, [cluster]);
    const digest = rendered.digests.get(cluster.id) ?? null;
    return {
      commit: target,
      digest,
      manifests: digest === null ? null : maskSecretsInBundle(rendered.bundles.get(digest)!),
      error: rendered.failed.get(cluster.id) ?? null,
    };
  }

  /**
   * Starts a rollout of `commit` (default: the newest fetched commit of the ref). A vetoed commit is
   * refused (REVISION_VETOED) unless `force`.
   */
  async start(
    actor: Actor,
    applicationName: string,
    commit?: string | null,
    force = false,
  ): Promise<RolloutRecord> {
    await this.application(actor, applicationName, 'operator');
    const id = await this.startRendered(actor.name, { automatic: false, force }, async (tx, lock) => {
      const found = await this.applications.findByName(applicationName, tx);
      if (found === null) throw notFound(`application "${applicationName}" not found`);
      const app = lock ? (await this.applications.lockById(tx, found.id))! : found;
      const target = commit ?? app.latestCommit;
      if (target === null) {
        throw failedPrecondition(
          `application "${app.name}" has no fetched revision yet (${app.lastSyncError ?? 'not synced'})`,
        );
      }
      if (!/^[0-9a-f]{40}$/.test(target)) throw invalidArgument('revision must be a full 40-hex commit id');
      return { app, commit: target };
    });
    this.scheduler.request([id!]);
    return this.get(id!);
  }

  /**
   * Renders a new rollout outside any transaction, then starts it under the application's row lock
   * (rendering every cluster can take a while; holding the lock meanwhile would stall the
   * application's other starts and syncs). `target` says what to start: it is called once without
   * a transaction (`lock` false) to choose what to render, and again in the transaction, where it
   * must lock the application row (`lock` true); null means start nothing. The lock still
   * serialises starts of one application across replicas, so supersede and once-per-commit checks
   * made under it hold as before. If the application's rendering inputs or the chosen commit changed
   * in between (an edit, a newer commit recorded), the rollout is rendered again; a revision and its
   * artifact never change once recorded. Clusters were never locked by a start: membership and
   * labels were read as committed inside the transaction (READ COMMITTED), now as committed just
   * before it, so a concurrent cluster change lands on the same terms as before. Returns the new
   * rollout's id; the caller kicks the scheduler after commit.
   *
   * Every start passes here, so this is the one place a veto is checked (`request`: automatic starts
   * of a vetoed commit quietly start nothing; an operator's is refused unless forced): before
   * rendering, so a vetoed commit is not rendered on every poll, and again under the lock, which
   * decides (a veto takes the same lock).
   */
  async startRendered(
    actor: string,
    request: StartRequest,
    target: (tx: EntityManager, lock: boolean) => Promise<{ app: ApplicationRecord; commit: string } | null>,
  ): Promise<string | null> {
    for (let attempt = 1; ; attempt++) {
      const chosen = await target(this.audited.manager, false);
      if (chosen === null || beingDeleted(chosen.app, request)) return null;
      if ((await this.vetoCheck(this.audited.manager, chosen, request)) === 'skip') return null;
      const prepared = await this.factory.prepare(chosen.app, chosen.commit);
      // undefined: rendered from what is no longer current, render again.
      const started = await this.audited.run<{ id: string | null } | undefined>(async (tx) => {
        const locked = await target(tx, true);
        if (locked === null || beingDeleted(locked.app, request)) return { result: { id: null }, events: [] };
        if (locked.commit !== prepared.commit || !this.factory.isCurrent(prepared, locked.app)) {
          return { result: undefined, events: [] };
        }
        const veto = await this.vetoCheck(tx, locked, request);
        if (veto === 'skip') return { result: { id: null }, events: [] };
        const created = await this.factory.start(tx, prepared, actor);
        const events = [...created.events];
        if (veto !== null) {
          events.push({
            actor,
            action: 'rollout.vetoOverridden',
            targetKind: 'rollout',
            targetId: created.id,
            after: { application: locked.app.name, commit: locked.commit, veto: veto.reason },
          });
        }
        return { result: { id: created.id }, events };
      });
      if (started !== undefined) return started.id;
      if (attempt === RENDER_ATTEMPTS) {
        throw conflict(
          `application "${chosen.app.name}" kept changing while its rollout was rendered; try again`,
        );
      }
    }
  }

  /** The veto on a start: 'skip', the veto a forced start goes past, or null (none). Throws on 'refuse'. */
  private async vetoCheck(
    tx: EntityManager,
    target: { app: ApplicationRecord; commit: string },
    request: StartRequest,
  ): Promise<RevisionVeto | 'skip' | null> {
    const veto = await this.vetoes.find(target.app.id, target.commit, tx);
    const verdict = vetoVerdict(veto, request);
    if (verdict === 'skip') return 'skip';
    if (verdict === 'refuse') throw revisionVetoed(vetoedMessage(veto!));
    return veto;
  }

  /** After the caller's transaction committed. */
  kick(ids: readonly string[]): void {
    this.scheduler.request(ids);
  }

  /**
   * An admin lets one rollout past the fleet freeze (for the rest of its life): audited as
   * `rollout.freezeOverridden` with the freeze it went past. Only an unfinished rollout.
   */
  overrideFreeze(actor: Actor, id: string): Promise<RolloutRecord> {
    return this.control(actor, id, 'rollout.freezeOverridden', async (tx, rollout) => {
      if (!ACTIVE_STATES.includes(rollout.state)) {
        throw failedPrecondition(
          `rollout is ${rollout.state}; only an unfinished rollout can go past a freeze`,
        );
      }
      await this.rollouts.overrideFreeze(tx, rollout.id, actor.name, this.clock.now());
      return { after: { freeze: (await this.fleet.forPass(tx)).freeze } };
    });
  }

  approveWave(actor: Actor, id: string, waveName?: string | null): Promise<RolloutRecord> {
    return this.control(actor, id, 'rollout.waveApproved', async (tx, rollout) => {
      if (rollout.state !== 'AwaitingApproval') {
        throw failedPrecondition(
          `rollout is ${rollout.state}; only a rollout AwaitingApproval can be approved`,
        );
      }
      const waves = await this.rollouts.waves(rollout.id, tx);
      const current = waves[rollout.currentWave];
      if (current === undefined) throw failedPrecondition('the rollout has no current wave');
      if (waveName != null && waveName !== current.name) {
        throw failedPrecondition(`wave "${waveName}" is not the wave awaiting approval ("${current.name}")`);
      }
      await this.rollouts.approveWave(tx, rollout.id, current.index, actor.name, this.clock.now());
      return { after: { wave: current.name } };
    });
  }

  pause(actor: Actor, id: string): Promise<RolloutRecord> {
    return this.control(actor, id, 'rollout.paused', async (tx, rollout) => {
      if (rollout.paused || !movable(rollout.state)) {
        throw failedPrecondition(`rollout is ${rollout.state}; only a running rollout can be paused`);
      }
      await this.rollouts.setState(tx, rollout.id, { state: 'Paused', paused: true }, this.clock.now());
      return { after: { state: 'Paused' } };
    });
  }

  resume(actor: Actor, id: string): Promise<RolloutRecord> {
    return this.control(actor, id, 'rollout.resumed', async (tx, rollout) => {
      if (!rollout.paused) throw failedPrecondition(`rollout is ${rollout.state}, not Paused`);
      const now = this.clock.now();
      // Progressing until the pass that follows says otherwise; deadlines restart from now.
      await this.rollouts.setState(
        tx,
        rollout.id,
        { state: 'Progressing', paused: false, resumedAt: now },
        now,
      );
      return { after: { state: 'Progressing' } };
    });
  }

  abort(actor: Actor, id: string): Promise<RolloutRecord> {
    return this.control(actor, id, 'rollout.aborted', async (tx, rollout) => {
      if (!ACTIVE_STATES.includes(rollout.state)) {
        throw failedPrecondition(`rollout is ${rollout.state}; it has already finished`);
      }
      await this.rollouts.setState(
        tx,
        rollout.id,
        { state: 'Aborted', paused: false, message: `aborted by ${actor.name}` },
        this.clock.now(),
      );
      return { after: { state: 'Aborted' } };
    });
  }

  retryCluster(actor: Actor, id: string, clusterName: string): Promise<RolloutRecord> {
    return this.control(actor, id, 'rollout.clusterRetried', async (tx, rollout) => {
      if (!ACTIVE_STATES.includes(rollout.state)) {
        throw failedPrecondition(
          `rollout is ${rollout.state}; clusters can only be retried in a running rollout`,
        );
      }
      const member = await this.member(tx, rollout, clusterName);
      await this.rollouts.resetCluster(tx, rollout.id, member.clusterId, this.clock.now());
      return { after: { cluster: clusterName } };
    });
  }

  skipCluster(actor: Actor, id: string, clusterName: string): Promise<RolloutRecord> {
    return this.control(actor, id, 'rollout.clusterSkipped', async (tx, rollout) => {
      if (!ACTIVE_STATES.includes(rollout.state)) {
        throw failedPrecondition(
          `rollout is ${rollout.state}; clusters can only be skipped in a running rollout`,
        );
      }
      const member = await this.member(tx, rollout, clusterName);
      if (member.skipped) throw failedPrecondition(`cluster "${clusterName}" is already skipped`);
      await this.rollouts.skipCluster(tx, rollout.id, member.clusterId);
      return { after: { cluster: clusterName } };
    });
  }

  /** A rollback of this rollout's changed clusters, to `commit` or to what each cluster ran before. */
  async rollback(actor: Actor, id: string, commit?: string | null): Promise<RolloutRecord> {
    if (commit != null && !/^[0-9a-f]{40}$/.test(commit)) {
      throw invalidArgument('commit must be a full 40-hex commit id');
    }
    // To a commit: rendered outside the transaction (see startRendered), re-rendered if the
    // application's rendering inputs changed before the locks were taken.
    for (let attempt = 1; ; attempt++) {
      const to = commit == null ? undefined : await this.prepareRollbackTo(id, commit);
      const created = await this.audited.run(async (tx) => {
        const rollout = await this.rollouts.lock(tx, id);
        if (rollout === null) throw notFound(`rollout ${id} not found`);
        if (rollout.kind === 'catchup') {
          throw failedPrecondition(
            'a catch-up brings clusters to the settled revision and is never rolled back; roll back the rollout that settled it',
          );
        }
        if (rollout.kind === 'rollback' && commit == null) {
          throw failedPrecondition('this rollout is itself a rollback; name the commit to roll back to');
        }
        const app = await this.applications.lockById(tx, rollout.applicationId);
        if (app === null) throw notFound('the application no longer exists');
        await this.authorize(actor, app.project, 'operator', `rollout ${id}`, tx);
        beingDeleted(app, { automatic: false, force: false });
        if (commit != null && (to === undefined || !this.factory.isCurrent(to, app))) {
          return { result: null, events: [] };
        }
        const members = await this.rollouts.clusters(rollout, tx);
        const result = await this.factory.rollback(tx, app, rollout, members, actor.name, to);
        const events: NewEvent[] = [...result.events];
        if (ACTIVE_STATES.includes(rollout.state)) {
          // supersedeActive already stopped it; record who asked.
          events.push(audit(actor, 'rollout.rollbackRequested', rollout, { rollback: result.id }));
        }
        return { result: result.id, events };
      });
      if (created !== null) {
        this.scheduler.request([created]);
        return this.get(created);
      }
      if (attempt === RENDER_ATTEMPTS) {
        throw conflict(
          `the application of rollout ${id} kept changing while the rollback was rendered; try again`,
        );
      }
    }
  }

  /** The rollback target rendered for the rollout's members; undefined when the rollout or its application is gone. */
  private async prepareRollbackTo(id: string, commit: string) {
    const rollout = await this.rollouts.findById(id);
    const app = rollout && (await this.applications.findById(rollout.applicationId));
    if (!rollout || !app) return undefined;
    return this.factory.prepareRollbackTo(app, commit, await this.rollouts.clusters(rollout));
  }
  async get(id: string): Promise<RolloutRecord> {
    const rollout = await this.rollouts.findById(id);
    if (rollout === null) throw notFound(`rollout ${id} not found`);
    return rollout;
  }

  find(id: string): Promise<RolloutRecord | null> {
    return this.rollouts.findById(id);
  }

  /** Rollouts with their waves, application and commit metadata (one query). */
  views(ids: readonly string[]): Promise<RolloutView[]> {
    return this.rollouts.views(ids);
  }

  async list(request: ListRollouts): Promise<RolloutList> {
    const list = await this.listViews(request);
    return { ...list, rollouts: list.rollouts.map((view) => view.rollout) };
  }

  /**
   * A page of rollouts, newest first, with its total: one query (the filter and cursor included).
   * `request.projects` (a project-bound or members-only caller's) keeps only those projects'.
   */
  async listViews(request: ListRollouts): Promise<RolloutList<RolloutView>> {
    const { pages, cursorFound } = await this.rollouts.pages({
      ...pageRequest(request),
      projects: request.projects,
      scope: request.application === undefined ? { all: true } : { applicationName: request.application },
    });
    const [page] = pages.values();
    if (page === undefined) throw notFound(`application "${request.application}" not found`);
    if (!cursorFound) throw invalidArgument(AFTER_GONE);
    return toList(page);
  }

  /**
   * {@link list} for each of several applications (the same filter and page size for all), in one
   * query. An application that does not exist (any more) is missing from the answer.
   */
  async listOfApplications(
    applicationIds: readonly string[],
    request: Omit<ListRollouts, 'application'>,
  ): Promise<Map<string, RolloutList<RolloutView>>> {
    const { pages, cursorFound } = await this.rollouts.pages({
      ...pageRequest(request),
      scope: { applicationIds },
    });
    if (!cursorFound) throw invalidArgument(AFTER_GONE);
    return new Map([...pages].map(([id, page]) => [id!, toList(page)]));
  }

  /** Per application: the commit of its newest Succeeded rollout (one query). */
  settledCommits(applicationIds: readonly string[]): Promise<Map<string, string>> {
    return this.rollouts.settledCommits(applicationIds);
  }

  /** Member clusters of many rollouts (one query), by rollout id. */
  members(ids: readonly string[]): Promise<Map<string, RolloutClusterRecord[]>> {
    return this.rollouts.clustersOf(ids);
  }

  /** Waves, clusters and blocking reasons as the engine sees them at this moment. */
  async detail(
    id: string,
    now = this.clock.now(),
    reads: RolloutReads = this.directReads,
  ): Promise<RolloutDetail> {
    const view = await reads.rollout(id);
    if (view === null) throw notFound(`rollout ${id} not found`);
    // Rollouts without checks (most) cost no read of runs.
    const runs = hasVerification(view.rollout.plan) ? await reads.verificationRuns(view.rollout) : [];
    return buildDetail(
      view.rollout,
      view.waves,
      await reads.members(view.rollout),
      now,
      this.fleet.view(),
      runs,
    );
  }

  /**
   * The ETA of a rollout read now: a pure function over the detail, plus (only for a rollout with
   * fewer than 3 clusters settled) the application's earlier pace, read through `previous`.
   */
  eta(
    detail: RolloutDetail,
    previous: PreviousPaceRead = (id) => this.previousPace(id),
  ): Promise<RolloutEta> {
    return rolloutEta(detail, this.clock.now(), this.fleet.view(), previous);
  }

  /** Per application: the per-cluster pace of its earlier rollouts (one query), null when none. */
  async previousPaces(applicationIds: readonly string[]): Promise<Map<string, number | null>> {
    const history = await this.rollouts.paceHistory(applicationIds, PACE_HISTORY_ROLLOUTS);
    return new Map(applicationIds.map((id) => [id, paceOfHistory(history.get(id) ?? [])]));
  }

  private async previousPace(applicationId: string): Promise<number | null> {
    return (await this.previousPaces([applicationId])).get(applicationId) ?? null;
  }

  private readonly directReads: RolloutReads = {
    rollout: async (id) => (await this.rollouts.views([id]))[0] ?? null,
    members: (rollout) => this.rollouts.clusters(rollout),
    verificationRuns: (rollout) => this.verification.runs(rollout.id),
  };

  /** The application, when `actor` holds `role` in its project (else NOT_FOUND or FORBIDDEN). */
  private async application(actor: Actor, name: string, role: Role): Promise<ApplicationRecord> {
    const app = await this.applications.findByName(name);
    if (app === null || !seesProject(actor, app.project)) throw notFound(`application "${name}" not found`);
    await this.authorize(actor, app.project, role, `application "${name}"`);
    return app;
  }

  /** NOT_FOUND (as `what`) when `actor` may not see the project, FORBIDDEN without `role` there. */
  private authorize(
    actor: Actor,
    project: string,
    role: Role,
    what: string,
    tx?: EntityManager,
  ): Promise<void> {
    return this.projects.authorize(actor, project, role, () => notFound(`${what} not found`), tx);
  }

  private async member(
    tx: EntityManager,
    rollout: RolloutRecord,
    clusterName: string,
  ): Promise<RolloutClusterRecord> {
    const members = await this.rollouts.clusters(rollout, tx);
    const member = members.find((m) => m.name === clusterName);
    if (member === undefined) throw notFound(`cluster "${clusterName}" is not part of rollout ${rollout.id}`);
    return member;
  }

  private async control(
    actor: Actor,
    id: string,
    action: string,
    change: (tx: EntityManager, rollout: RolloutRecord) => Promise<{ after: Record<string, unknown> }>,
  ): Promise<RolloutRecord> {
    await this.audited.run(async (tx) => {
      const rollout = await this.rollouts.lock(tx, id);
      if (rollout === null) throw notFound(`rollout ${id} not found`);
      // Steering a rollout needs an operator in its application's project (kept after a deletion).
      const app = await this.applications.findById(rollout.applicationId, tx);
      await this.authorize(actor, app?.project ?? DEFAULT_PROJECT, 'operator', `rollout ${id}`, tx);
      const { after } = await change(tx, rollout);
      return { result: undefined, events: [audit(actor, action, rollout, after)] };
    });
    this.scheduler.request([id]);
    return this.get(id);
  }
}

const AFTER_GONE = 'after: the cursor names a rollout that no longer exists';

function pageRequest(request: Omit<ListRollouts, 'application'>): Omit<RolloutPageRequest, 'scope'> {
  const first = request.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw invalidArgument(`first must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return { states: request.states, afterId: request.afterId, limit: first };
}

function toList(page: RolloutPage): RolloutList<RolloutView> {
  return { rollouts: page.views, hasNextPage: page.hasMore, totalCount: page.total };
}

function audit(
  actor: Actor,
  action: string,
  rollout: RolloutRecord,
  after: Record<string, unknown>,
): NewEvent {
  return {
    actor: actor.name,
    action,
    targetKind: 'rollout',
    targetId: rollout.id,
    before: { state: rollout.state, currentWave: rollout.currentWave },
    after: { application: rollout.applicationName, commit: rollout.commit, ...after },
  };
}

function movable(state: RolloutState): boolean {
  return !INERT_STATES.has(state);
}

function effectiveWavesOf(plan: WavePlan) {
  return [...plan.waves, { name: 'rest', selector: '', ...plan.rest }];
}

/**
 * A finished rollout that is not paused waits for nothing: its blocking reason is null without
 * reading its members or deciding (a list of mostly finished rollouts asks for it on every row).
 */
export function waitsForNothing(rollout: Pick<RolloutRecord, 'state' | 'paused'>): boolean {
  return INERT_STATES.has(rollout.state) && !rollout.paused;
}

/** Pure: the operator's view of a rollout from its stored state and the clock. */
export function buildDetail(
  rollout: RolloutRecord,
  waves: readonly RolloutWaveRecord[],
  members: readonly RolloutClusterRecord[],
  now: Date,
  fleet?: FleetGateState,
  runs: readonly VerificationRunRecord[] = [],
): RolloutDetail {
  const snapshot = snapshotOf(rollout, waves, members);
  if (fleet !== undefined) {
    const fairShare = fleet.fairShares?.get(rollout.id) ?? null;
    snapshot.fleet = { ...fleet, freezeOverridden: overridden(rollout), fairShare };
  }
  snapshot.verification = waveVerifications(runs);
  const decision = decide(snapshot, now);
  const planWaves = effectiveWavesOf(rollout.plan);
  const byId = new Map(members.map((m) => [m.clusterId, m]));
  const waveDetails: WaveDetail[] = decision.waves.map((view) => {
    const settings = planWaves[view.index];
    const stored = waves[view.index];
    return {
      index: view.index,
      name: view.name,
      selector: settings?.selector ?? '',
      size: view.size,
      counts: view.counts,
      failed: view.failed,
      failureLimit: view.failureLimit,
      concurrencyLimit: view.concurrencyLimit,
      soakSeconds: settings?.soakSeconds ?? 0,
      requireApproval: settings?.requireApproval ?? false,
      progressDeadlineSeconds: settings?.progressDeadlineSeconds ?? 600,
      startedAt: stored?.startedAt ?? null,
      healthyAt: stored?.healthyAt ?? null,
      approvedAt: stored?.approvedAt ?? null,
      approvedBy: stored?.approvedBy ?? null,
      blocking: view.blocking ?? null,
      verificationRuns: runs.filter((run) => run.wave === view.name),
    };
  });
  const clusters: ClusterDetail[] = decision.clusters.map((view) => {
    const m = byId.get(view.clusterId)!;
    return {
      clusterId: m.clusterId,
      name: m.name,
      wave: view.wave,
      phase: view.phase,
      targetDigest: m.targetDigest,
      targetCommit: m.targetCommit,
      assignedAt: m.assignedAt,
      reportedDigest: m.reported?.digest ?? null,
      reportedAt: m.reported?.at ?? null,
      failing: m.reported?.digest === m.targetDigest ? m.failing : [],
      blocking: view.blocking ?? null,
    };
  });
  let blocking: BlockingReason | null = null;
  if (rollout.paused) blocking = { kind: 'paused' };
  else if (!waitsForNothing(rollout)) blocking = waveDetails[rollout.currentWave]?.blocking ?? null;
  return { rollout, waves: waveDetails, clusters, blocking, verificationRuns: [...runs] };
}

/**
 * Nothing starts for an application being deleted (or deleted): an automatic start quietly starts
 * nothing (true), an operator's is refused.
 */
function beingDeleted(app: ApplicationRecord, request: StartRequest): boolean {
  if (app.deletion === null) return false;
  if (request.automatic) return true;
  throw failedPrecondition(`application "${app.name}" is being deleted; nothing new starts for it`);
}
