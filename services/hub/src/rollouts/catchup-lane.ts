import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type EntityManager } from 'typeorm';
import { type ApplicationRecord, ApplicationsRepository } from '../applications/applications.repository.js';
import { RevisionVetoesRepository } from '../applications/revision-vetoes.repository.js';
import { AssignmentsRepository } from '../assignments/assignments.repository.js';
import { type ClusterEntity } from '../clusters/cluster.entity.js';
import { ClustersRepository, type PlacementCluster } from '../clusters/clusters.repository.js';
import { parseSelectorArgument } from '../clusters/clusters.service.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { CommittedEvents } from '../events/committed-events.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type EventEntity } from '../events/event.entity.js';
import { LOGGER } from '../logging/logging.module.js';
import {
  type CatchupNeeds,
  catchupNeeds,
  type InProgress,
  FINISHED_STATES,
  isFinished,
  placementsFor,
  reconfigureCandidates,
  reconfigureTargets,
} from './engine/index.js';
import { RolloutFactory } from './rollout-factory.js';
import { RolloutScheduler } from './rollout-scheduler.js';
import { RolloutsRepository } from './rollouts.repository.js';
import { WithdrawalSweep } from './withdrawal-sweep.js';

/** Every replica takes this transaction lock to start a catch-up: the fleet-wide budget holds across them. */
const CATCHUP_LOCK_KEY = 7_242_031_313;
/** Who the audit trail says started a catch-up. */
const ACTOR = 'catch-up';

interface Placement {
  settledCommit: string | null;
  inProgress: InProgress | null;
  needs: CatchupNeeds;
  /** Plain rows: entities are read only for the clusters a sweep renders for ({@link entitiesOf}). */
  clusters: Map<string, PlacementCluster>;
  /** The placement's cluster ids, in order. */
  placed: string[];
  inActiveRollout: ReadonlySet<string>;
}

/** The key of a change that may alter every application's bundles (a cluster's labels). */
const EVERY_APPLICATION = '*';

/** A change that may alter rendered bundles: who made it, and whose bundles (null: every placed cluster's). */
interface BundleChange {
  actor: string;
  clusters: ReadonlySet<string> | null;
}

/**
 * The catch-up lane: clusters in an application's placement that do not run its settled revision
 * (newest Succeeded rollout or rollback) get it, rendered for them, as a rollout of kind `catchup`
 * (one wave, no soak or approval, never rolled back), at most `HUB_CATCHUP_MAX_CONCURRENCY`
 * clusters fleet-wide at once. Who needs it is decided by the pure `catchupNeeds`.
 *
 * It sweeps when this replica commits a change that can move a placement (clusters registered,
 * relabelled, cordoned, back online; applications edited; rollouts finished) and every
 * `HUB_ROLLOUT_PASS_INTERVAL_SECONDS`, which is how changes committed by other replicas are seen.
 * Sweeps on one replica never overlap (a request while one runs makes one more after it); across
 * replicas, starts serialise on the application's row lock and an advisory lock for the budget.
 */
@Injectable()
export class CatchupLane implements OnApplicationBootstrap, OnApplicationShutdown {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private periodic: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Sweeps run one at a time on this replica, whoever asks (the loop, or a test). */
  private exclusive: Promise<unknown> = Promise.resolve();
  /**
   * Label and values changes this replica committed and the lane has not looked at yet: by
   * application id (or {@link EVERY_APPLICATION}), who made the change.
   */
  private readonly changed = new Map<string, BundleChange>();
  private readonly log: Logger;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(RolloutFactory) private readonly factory: RolloutFactory,
    @Inject(RolloutScheduler) private readonly scheduler: RolloutScheduler,
    @Inject(CommittedEvents) private readonly committed: CommittedEvents,
    @Inject(RevisionVetoesRepository) private readonly vetoes: RevisionVetoesRepository,
    @Inject(WithdrawalSweep) private readonly withdrawals: WithdrawalSweep,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'catchup-lane' });
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.committed.subscribe((events) => {
      for (const event of events) {
        const change = changesBundles(event);
        if (change !== null) this.remember(change.key, change.change);
      }
      if (events.some(movesPlacement)) this.request();
    });
    this.periodic = setInterval(() => this.request(), this.config.rollouts.passIntervalSeconds * 1000);
    this.periodic.unref();
    this.request();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.periodic);
    await this.idle();
  }

  /** Asks for a sweep as soon as possible. */
  request(): void {
    if (this.stopped) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = null));
  }

  /** Resolves when no sweep is running or asked for (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  /**
   * One look at every application with a settled revision or a running rollout; returns the
   * rollouts it started (catch-ups) or added clusters to (joins).
   */
  sweep(): Promise<string[]> {
    const run = this.exclusive.then(() => this.sweepOnce());
    this.exclusive = run.catch(() => undefined);
    return run;
  }

  private async sweepOnce(): Promise<string[]> {
    // Placements that ended first: a cluster that left is not caught up or joined below.
    const moved: string[] = await this.withdrawals.sweep();
    const changed = new Map(this.changed);
    this.changed.clear();
    let room = this.config.rollouts.catchupMaxConcurrency - (await this.rollouts.catchupLoad());
    for (const applicationId of await this.rollouts.laneApplicationIds()) {
      const change = merged(changed.get(applicationId), changed.get(EVERY_APPLICATION));
      try {
        const app = await this.applications.findById(applicationId);
        // Nothing new starts for an application being deleted.
        if (app === null || app.deletion !== null) continue;
        const placement = await this.placement(app, this.audited.manager);
        const joined = await this.join(app, placement);
        if (joined !== null) moved.push(joined);
        // Manual sync: an application shown out of sync is looked at again until it is not.
        const look = change ?? (app.outOfSyncClusters > 0 ? { actor: ACTOR, clusters: null } : undefined);
        if (look !== undefined) {
          const reconfigured = await this.reconfigure(app, placement, look);
          if (reconfigured === 'later') this.remember(applicationId, look);
          else if (reconfigured !== null) moved.push(reconfigured);
        }
        if (room <= 0) continue;
        const created = await this.catchUp(app, placement, room);
        if (created === null) continue;
        moved.push(created.id);
        room -= created.size;
      } catch (error) {
        if (change !== undefined) this.remember(applicationId, change);
        // An unusable revision or a failed render: logged, and looked at again next sweep.
        this.log.warn({ err: message(error), application: applicationId }, 'cannot catch clusters up');
      }
    }
    if (moved.length > 0) this.scheduler.request(moved);
    return moved;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.sweep();
      } catch (error) {
        this.log.warn({ err: message(error) }, 'catch-up sweep failed (database unreachable?); will retry');
      }
    } while (this.again && !this.stopped);
  }

  /**
   * Renders the settled revision for the application's clusters that need it (at most `room`),
   * outside any transaction, then starts their catch-up under the application's row lock if they
   * still need it and the application still renders the same way (else the next sweep renders again).
   */
  private async catchUp(
    app: ApplicationRecord,
    before: Placement,
    room: number,
  ): Promise<{ id: string; size: number } | null> {
    const commit = before.settledCommit;
    const chosen = before.needs.catchUp.slice(0, room);
    if (commit === null || chosen.length === 0) return null;
    // A vetoed settled commit (one an operator forced through) is never caught up to: looked at before
    // rendering, and again under the application's lock, which vetoing also takes.
    if ((await this.vetoes.find(app.id, commit)) !== null) return null;
    const prepared = await this.factory.renderFor(app, commit, await this.entitiesOf(chosen));
    return this.audited.run(async (tx) => {
      const none = { result: null, events: [] };
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CATCHUP_LOCK_KEY]);
      const locked = await this.applications.lockById(tx, app.id);
      if (locked === null || locked.deletion !== null || !this.factory.isCurrent(prepared, locked))
        return none;
      const now = await this.placement(locked, tx);
      if (now.settledCommit !== commit) return none;
      if ((await this.vetoes.find(app.id, commit, tx)) !== null) return none;
      const free = this.config.rollouts.catchupMaxConcurrency - (await this.rollouts.catchupLoad(tx));
      const still = new Set(now.needs.catchUp);
      // A cluster the revision does not render for is still a member, without a bundle: the catch-up
      // shows it Skipped with the reason, and it is not tried again at this commit.
      const members = chosen
        .filter((id) => still.has(id))
        .slice(0, Math.max(0, free))
        .map((id) => now.clusters.get(id)!);
      if (members.length === 0) return none;
      const created = await this.factory.startCatchup(tx, prepared, members, ACTOR);
      return { result: { id: created.id, size: members.length }, events: created.events };
    });
  }

  /** Adds a change to those the next sweep looks at. */
  private remember(key: string, change: BundleChange): void {
    this.changed.set(key, merged(this.changed.get(key), change)!);
  }

  /**
   * A label or values change (by `actor`) may have changed some clusters' bundles of the settled
   * commit: renders it for the clusters running it, outside any transaction, and those whose digest
   * changed get it through a rollout of kind `reconfigure` (the application's waves and gates),
   * started under the application's row lock if all still holds; a manual-sync application only
   * records how many are out of sync. Returns the reconfigure's id, null, or 'later' while any
   * rollout of the application runs (its members move with it; the change is looked at after).
   */
  private async reconfigure(
    app: ApplicationRecord,
    before: Placement,
    change: BundleChange,
  ): Promise<string | 'later' | null> {
    const { actor } = change;
    // Manual sync counts every cluster out of sync, so it looks at all of them.
    const only = app.syncPolicy === 'manual' ? null : change.clusters;
    const commit = before.settledCommit;
    if (commit === null) return null;
    if (before.inProgress !== null || before.inActiveRollout.size > 0) return 'later';
    // VETO: a vetoed settled commit is never started again automatically, this way included.
    if ((await this.vetoes.find(app.id, commit)) !== null) return null;
    const current = {
      settledCommit: commit,
      placed: before.placed,
      assigned: await this.assignments.bundlesOf(app.id),
      inActiveRollout: before.inActiveRollout,
    };
    const candidates = reconfigureCandidates(current).filter((id) => only === null || only.has(id));
    const prepared = await this.factory.renderFor(app, commit, await this.entitiesOf(candidates));
    const targets = reconfigureTargets({ ...current, rendered: prepared.rendered.digests });
    if (app.syncPolicy === 'manual') {
      await this.applications.setOutOfSync(app.id, targets.length);
      return null;
    }
    if (targets.length === 0) return null;
    return this.audited.run(async (tx) => {
      const later = { result: 'later' as const, events: [] };
      const locked = await this.applications.lockById(tx, app.id);
      if (locked === null) return { result: null, events: [] };
      if (!this.factory.isCurrent(prepared, locked)) return later;
      const now = await this.placement(locked, tx);
      if (now.settledCommit !== commit || now.inProgress !== null || now.inActiveRollout.size > 0)
        return later;
      const still = new Set(
        reconfigureTargets({
          settledCommit: commit,
          placed: now.placed,
          assigned: await this.assignments.bundlesOf(app.id, tx),
          inActiveRollout: now.inActiveRollout,
          rendered: prepared.rendered.digests,
        }),
      );
      // Labels changed again since the render: looked at again with them.
      const members = targets.filter((id) => still.has(id)).map((id) => now.clusters.get(id)!);
      if (members.some((c) => !sameLabels(c.labels, before.clusters.get(c.id)!.labels))) return later;
      if (members.length === 0) return { result: null, events: [] };
      const created = await this.factory.startReconfigure(tx, prepared, members, actor);
      return { result: created.id, events: created.events };
    });
  }

  /**
   * Join policy `wave`: adds the clusters that joined the placement to the running rollout, rendered
   * at its commit outside any transaction, under the application's and the rollout's row locks (the
   * rollout's passes and starts of the application wait meanwhile). Returns the rollout's id.
   */
  private async join(app: ApplicationRecord, before: Placement): Promise<string | null> {
    const running = before.inProgress;
    if (running === null || before.needs.join.length === 0) return null;
    const chosen = before.needs.join;
    // VETO: a join follows a rollout already running (its start was checked); nothing to check here.
    const prepared = await this.factory.renderFor(app, running.commit, await this.entitiesOf(chosen));
    return this.audited.run(async (tx) => {
      const none = { result: null, events: [] };
      const locked = await this.applications.lockById(tx, app.id);
      if (locked === null || locked.deletion !== null || !this.factory.isCurrent(prepared, locked))
        return none;
      const rollout = await this.rollouts.lock(tx, running.id);
      if (rollout === null || isFinished(rollout.state)) return none;
      const now = await this.placement(locked, tx);
      if (now.inProgress?.id !== running.id) return none;
      const still = new Set(now.needs.join);
      const members = chosen.filter((id) => still.has(id)).map((id) => now.clusters.get(id)!);
      if (members.length === 0) return none;
      const events = await this.factory.join(tx, prepared, rollout, members, ACTOR);
      return { result: events.length > 0 ? rollout.id : null, events };
    });
  }

  /** The clusters' entities (what rendering reads), in the order of `ids`. */
  private async entitiesOf(ids: readonly string[]): Promise<ClusterEntity[]> {
    const byId = new Map((await this.clusters.findByIds(ids)).map((c) => [c.id, c]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** The application's placement and which of its clusters need the settled revision, read in `tx`. */
  private async placement(app: ApplicationRecord, tx: EntityManager): Promise<Placement> {
    const rollouts = await this.rollouts.catchupState(app.id, tx);
    const targeted = await this.clusters.placementRows(parseSelectorArgument(app.targetSelector), tx);
    const clusters = new Map(targeted.map((c) => [c.id, c]));
    const needs = catchupNeeds({
      ...rollouts,
      joinPolicy: app.joinPolicy,
      placed: placementsFor(app.targetSelector, targeted).map((id) => clusters.get(id)!),
      assignedCommit: await this.assignments.commitsOf(app.id, tx),
    });
    return {
      settledCommit: rollouts.settledCommit,
      inProgress: rollouts.inProgress,
      needs,
      clusters,
      placed: placementsFor(app.targetSelector, targeted),
      inActiveRollout: rollouts.inActiveRollout,
    };
  }
}

/** A rollout finishing: what was waiting for it (join policy `wave` during a rollback) can move. */
const FINISHED_ACTIONS = new Set(
  FINISHED_STATES.map((state) => `rollout.${state.charAt(0).toLowerCase()}${state.slice(1)}`),
);

/**
 * Audit events after which a cluster may need catching up: any cluster change (registered,
 * relabelled, cordoned, status), an application change, a rollout finishing. Not engine progress:
 * that would sweep on every pass.
 */
function movesPlacement(event: EventEntity): boolean {
  if (event.targetKind === 'cluster' || event.targetKind === 'application') return true;
  return event.targetKind === 'rollout' && FINISHED_ACTIONS.has(event.action);
}

/**
 * The change an audit event makes to rendered bundles: a cluster's labels (that cluster's bundles of
 * any application, so {@link EVERY_APPLICATION}) or an application's definition (its values rules:
 * every placed cluster's); null for others.
 */
function changesBundles(event: EventEntity): { key: string; change: BundleChange } | null {
  if (event.action === 'cluster.labelsChanged') {
    return { key: EVERY_APPLICATION, change: { actor: event.actor, clusters: new Set([event.targetId]) } };
  }
  if (event.action === 'application.updated') {
    return { key: event.targetId, change: { actor: event.actor, clusters: null } };
  }
  return null;
}

/** Both changes as one: the actor of `b` (the later one where it matters), the clusters of either (null: all). */
function merged(a: BundleChange | undefined, b: BundleChange | undefined): BundleChange | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const clusters =
    a.clusters === null || b.clusters === null ? null : new Set([...a.clusters, ...b.clusters]);
  return { actor: b.actor, clusters };
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
