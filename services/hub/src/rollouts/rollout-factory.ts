import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  type ApplicationRecord,
  ApplicationsRepository,
  type RevisionRecord,
} from '../applications/applications.repository.js';
import { revisionProblem } from '../applications/revision-usable.js';
import { BundleRenderer, type RenderedTargets } from '../bundles/bundle-renderer.js';
import { BundlesRepository } from '../bundles/bundles.repository.js';
import { type ClusterEntity } from '../clusters/cluster.entity.js';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { parseSelectorArgument } from '../clusters/clusters.service.js';
import {
  DomainError,
  emptyBundle,
  failedPrecondition,
  garbageCollected,
  invalidArgument,
} from '../common/domain-error.js';
import { type NewEvent } from '../events/events.repository.js';
import { applicationDenial, type ProjectRecord } from '../projects/project-rules.js';
import { ProjectsService } from '../projects/projects.service.js';
import { type RevisionSource, unpackArtifact } from '../git/index.js';
import {
  assignWaves,
  catchupPlan,
  effectiveWaves,
  type FleetCluster,
  type Membership,
  REST_WAVE,
  rollbackPlan,
  type WavePlan,
} from './engine/index.js';
import { type RolloutClusterRecord, type RolloutRecord, RolloutsRepository } from './rollouts.repository.js';
import { clustersByDigest } from './clusters-by-digest.js';

export type { RenderedTargets } from '../bundles/bundle-renderer.js';

export interface CreatedRollout {
  id: string;
  events: NewEvent[];
}

/** A commit rendered outside any transaction for a rollback to it; `revision` null or with an error: unusable. */
export interface PreparedRender {
  app: ApplicationRecord;
  commit: string;
  revision: RevisionRecord | null;
  rendered: RenderedTargets;
}

/** A rollout rendered outside any transaction, to be started under the application's lock. */
export interface PreparedRollout {
  /** The application as it was rendered for; {@link RolloutFactory.isCurrent} compares it with the locked row. */
  app: ApplicationRecord;
  commit: string;
  plan: WavePlan;
  revision: RevisionRecord;
  membership: Membership;
  members: { cluster: ClusterEntity; wave: string }[];
  rendered: RenderedTargets;
}

/**
 * Creates rollouts: membership from the plan and the fleet, one bundle per cluster rendered from the
 * revision's artifact by the application's renderer (content-addressed, stored once), and the
 * supersede of older rollouts of the same application. Rendering (`prepare`) reads outside any
 * transaction; what writes (`start`, `rollback`) runs in the caller's transaction, which holds the
 * application's row lock.
 */
@Injectable()
export class RolloutFactory {
  constructor(
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(BundlesRepository) private readonly bundles: BundlesRepository,
    @Inject(BundleRenderer) private readonly renderer: BundleRenderer,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
  ) {}

  /**
   * The project's bounds may have narrowed since the application was saved: every rollout, catch-up
   * and join asks again (source, destination, default namespace) and is refused with the code.
   */
  private async requireWithinProject(app: ApplicationRecord): Promise<void> {
    const denial = applicationDenial(await this.projectOf(app), app);
    if (denial !== null) throw denial;
  }

  /** The application's project as it is now (NOT_FOUND-free: a missing one bounds everything shut). */
  private async projectOf(app: ApplicationRecord): Promise<ProjectRecord> {
    const [project] = await this.projects.findByNames([app.project]);
    return (
      project ?? {
        name: app.project,
        description: '',
        sourceRepos: [],
        clusterSelector: '',
        namespaces: [],
        kinds: [],
        clusterKinds: [],
        members: [],
        createdAt: new Date(0),
        updatedAt: new Date(0),
      }
    );
  }

  /** Targeted clusters (by the application's selector) and their waves under `plan`. */
  async membership(
    app: ApplicationRecord,
    plan: WavePlan,
    tx?: EntityManager,
  ): Promise<{ membership: Membership; clusters: Map<string, ClusterEntity> }> {
    const selector = parseSelectorArgument(app.targetSelector);
    const targets = await this.clusters.matching(selector, tx);
    return {
      membership: assignWaves(plan, targets, selector),
      clusters: new Map(targets.map((c) => [c.id, c])),
    };
  }

  /** The revision's source (its artifact's files), for {@link render}. */
  async source(app: ApplicationRecord, revision: RevisionRecord): Promise<RevisionSource> {
    if (revision.sourceCollectedAt !== null) throw sourceCollected(app, revision);
    const bytes =
      revision.artifactDigest === null ? null : await this.applications.findArtifact(revision.artifactDigest);
    if (bytes === null) {
      // A revision without an error always has its artifact (a CHECK constraint): this is corruption.
      throw new Error(`the artifact of commit ${revision.commit} of "${app.name}" is missing`);
    }
    return { root: app.path, files: unpackArtifact(bytes) };
  }

  /**
   * Renders the revision for each cluster with the application's renderer, once per distinct input
   * (bundles/bundle-renderer.ts), each bundle checked against the project's namespaces and kinds;
   * clusters it does not render for, or whose bundle is outside the bounds, are in `failed`.
   */
  async render(
    app: ApplicationRecord,
    revision: RevisionRecord,
    clusters: readonly ClusterEntity[],
  ): Promise<RenderedTargets> {
    const [source, project] = await Promise.all([this.source(app, revision), this.projectOf(app)]);
    return this.renderer.render(app, source, revision.artifactDigest!, clusters, project);
  }

  /**
   * Everything a new rollout of `commit` needs, read and rendered without any transaction or lock;
   * fails as starting would (revision not fetched or unusable, a cluster it does not render for).
   */
  async prepare(app: ApplicationRecord, commit: string, plan: WavePlan = app.plan): Promise<PreparedRollout> {
    await this.requireWithinProject(app);
    const revision = await this.usableRevision(app, commit);
    const { membership, clusters } = await this.membership(app, plan);
    const members = membership.waves.flatMap((wave) =>
      wave.clusterIds.map((id) => ({ cluster: clusters.get(id)!, wave: wave.name })),
    );
    const rendered = await this.render(
      app,
      revision,
      members.map((m) => m.cluster),
    );
    await this.applications.setRenderError(app.id, commit, renderErrorOf(rendered));
    if (rendered.errors.length > 0) {
      throw renderRefusal(
        rendered,
        `commit ${commit.slice(0, 12)} does not render for ${rendered.errors.length} cluster(s): ` +
          rendered.errors.slice(0, 5).join('; '),
      );
    }
    return { app, commit, plan, revision, membership, members, rendered };
  }

  /**
   * Whether `prepared` still holds for the application as locked now: it was rendered from the same
   * selector, values rules, renderer and plan. (The revision and its artifact never change once
   * recorded, so they need no re-check.)
   */
  isCurrent(prepared: { app: ApplicationRecord }, locked: ApplicationRecord): boolean {
    return renderInputs(prepared.app) === renderInputs(locked);
  }

  /**
   * Starts a prepared rollout in `tx`, which must hold the application's row lock (and have checked
   * {@link isCurrent}): stores its bundles, supersedes the application's active rollouts and inserts
   * it. The lock serialises starts of one application across replicas, so exactly one rollout stays
   * active however many start together.
   */
  async start(tx: EntityManager, prepared: PreparedRollout, actor: string): Promise<CreatedRollout> {
    const { app, commit, plan, revision, membership, members, rendered } = prepared;
    await this.bundles.store(tx, rendered.bundles);
    const events = await this.supersedeActive(tx, app.id, actor);
    const id = await this.rollouts.insert(tx, {
      applicationId: app.id,
      commit,
      kind: 'rollout',
      rollbackOf: null,
      plan,
      createdBy: actor,
      waves: effectiveWaves(plan).map((w) => ({ name: w.name })),
      clusters: members.map((m) => ({
        clusterId: m.cluster.id,
        name: m.cluster.name,
        wave: m.wave,
        targetDigest: rendered.digests.get(m.cluster.id) ?? null,
        targetCommit: commit,
      })),
    });
    events.push({
      actor,
      action: 'rollout.started',
      targetKind: 'rollout',
      targetId: id,
      after: {
        application: app.name,
        commit,
        author: revision.author,
        message: firstLine(revision.message),
        clusters: members.length,
        waves: membership.waves.map((w) => ({ name: w.name, clusters: w.clusterIds.length })),
        excluded: membership.excluded.map((e) => ({ name: e.name, reason: e.reason })),
        // What each cluster was to run, for the audit trail: few distinct bundles, many clusters.
        bundles: clustersByDigest(
          members.map((m) => [m.cluster.name, rendered.digests.get(m.cluster.id) ?? null]),
        ),
      },
    });
    return { id, events };
  }

  /**
   * Renders `commit` for clusters joining the placement (the settled commit for a catch-up, the
   * running rollout's for a join), outside any transaction (see {@link prepare}); fails as starting
   * would when the revision is not usable. Clusters it does not render for are in `rendered.failed`.
   */
  async renderFor(
    app: ApplicationRecord,
    commit: string,
    clusters: readonly ClusterEntity[],
  ): Promise<PreparedRender> {
    await this.requireWithinProject(app);
    const revision = await this.usableRevision(app, commit);
    return { app, commit, revision, rendered: await this.render(app, revision, clusters) };
  }

  /**
   * Starts a catch-up of `clusters` (rendered by {@link renderFor}) in `tx`, which holds the
   * application's row lock: one wave, every member at once, never rolled back ({@link catchupPlan}).
   * It supersedes nothing (the running rollouts keep their members; a later rollout supersedes it).
   */
  async startCatchup(
    tx: EntityManager,
    prepared: PreparedRender,
    clusters: readonly { id: string; name: string }[],
    actor: string,
  ): Promise<CreatedRollout> {
    const { app, commit, rendered } = prepared;
    await this.storeBundlesOf(tx, rendered, clusters);
    const plan = catchupPlan(app.plan.rest.progressDeadlineSeconds);
    const id = await this.rollouts.insert(tx, {
      applicationId: app.id,
      commit,
      kind: 'catchup',
      rollbackOf: null,
      plan,
      createdBy: actor,
      waves: [{ name: REST_WAVE }],
      clusters: clusters.map((c) => ({
        clusterId: c.id,
        name: c.name,
        wave: REST_WAVE,
        targetDigest: rendered.digests.get(c.id) ?? null,
        targetCommit: commit,
      })),
    });
    const events: NewEvent[] = [
      {
        actor,
        action: 'rollout.catchupStarted',
        targetKind: 'rollout',
        targetId: id,
        after: { application: app.name, commit, clusters: clusters.map((c) => c.name) },
      },
    ];
    return { id, events };
  }

  /**
   * Starts a reconfigure of `clusters` (rendered at the settled commit by {@link renderFor}) in `tx`,
   * which holds the application's row lock: the settled commit again for just the clusters whose
   * bundle of it a label or values change altered, through the application's own plan (its waves,
   * first match, and gates), attributed to `actor`, who made the change. It supersedes nothing (no
   * rollout or rollback runs: the caller checked).
   */
  async startReconfigure(
    tx: EntityManager,
    prepared: PreparedRender,
    clusters: readonly FleetCluster[],
    actor: string,
  ): Promise<CreatedRollout> {
    const { app, commit, rendered } = prepared;
    const members = membersByWave(app.plan, clusters, app.targetSelector);
    await this.storeBundlesOf(tx, rendered, members);
    const id = await this.rollouts.insert(tx, {
      applicationId: app.id,
      commit,
      kind: 'reconfigure',
      rollbackOf: null,
      plan: app.plan,
      createdBy: actor,
      waves: effectiveWaves(app.plan).map((w) => ({ name: w.name })),
      clusters: members.map((m) => ({
        clusterId: m.id,
        name: m.name,
        wave: m.wave,
        targetDigest: rendered.digests.get(m.id) ?? null,
        targetCommit: commit,
      })),
    });
    const events: NewEvent[] = [
      {
        actor,
        action: 'rollout.reconfigureStarted',
        targetKind: 'rollout',
        targetId: id,
        after: {
          application: app.name,
          commit,
          clusters: members.map((m) => ({ name: m.name, wave: m.wave })),
        },
      },
    ];
    return { id, events };
  }

  /**
   * Adds clusters joining the placement to the running `rollout` (join policy `wave`) in `tx`, which
   * holds the application's and the rollout's row locks: each in the first wave of the rollout's own
   * plan its labels match, with its bundle of the rollout's commit (rendered by {@link renderFor};
   * none if it did not render, which the rollout shows). The engine assigns it with that wave, or at
   * once if the wave already passed.
   */
  async join(
    tx: EntityManager,
    prepared: PreparedRender,
    rollout: RolloutRecord,
    clusters: readonly FleetCluster[],
    actor: string,
  ): Promise<NewEvent[]> {
    const { app, rendered } = prepared;
    const members = membersByWave(rollout.plan, clusters, app.targetSelector);
    if (members.length === 0) return [];
    await this.storeBundlesOf(tx, rendered, members);
    await this.rollouts.addMembers(
      tx,
      rollout.id,
      members.map((m) => ({
        clusterId: m.id,
        name: m.name,
        wave: m.wave,
        targetDigest: rendered.digests.get(m.id) ?? null,
        targetCommit: rollout.commit,
      })),
    );
    return [
      {
        actor,
        action: 'rollout.clustersJoined',
        targetKind: 'rollout',
        targetId: rollout.id,
        after: { application: app.name, clusters: members.map((m) => ({ name: m.name, wave: m.wave })) },
      },
    ];
  }

  /**
   * The engine's own rollback of `original` (after a failure, or a degradation while watched): the
   * rollback's id, or null with `rollout.rollbackSkipped` when there is nothing to return to (a
   * first deployment, bundles collected) — recorded, not retried.
   */
  async automaticRollback(
    tx: EntityManager,
    app: ApplicationRecord,
    original: RolloutRecord,
    members: readonly RolloutClusterRecord[],
  ): Promise<{ id: string | null; events: NewEvent[] }> {
    try {
      return await this.rollback(tx, app, original, members, 'engine');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return {
        id: null,
        events: [
          {
            actor: 'engine',
            action: 'rollout.rollbackSkipped',
            targetKind: 'rollout',
            targetId: original.id,
            after: { application: original.applicationName, reason: error.message },
          },
        ],
      };
    }
  }

  /**
   * A rollback of `original` on the clusters it changed, last wave first, no soak or approval. To
   * the commit `to` rendered (by {@link prepareRollbackTo}, outside this transaction) when given;
   * otherwise each cluster returns to exactly the bundle it ran before (clusters that had none are
   * left as they are).
   */
  async rollback(
    tx: EntityManager,
    app: ApplicationRecord,
    original: RolloutRecord,
    members: readonly RolloutClusterRecord[],
    actor: string,
    to?: PreparedRender,
  ): Promise<CreatedRollout> {
    const changed = members.filter((m) => m.digestAssigned !== null);
    if (changed.length === 0) {
      throw failedPrecondition(`rollout ${original.id} changed no cluster; there is nothing to roll back`);
    }
    const plan = rollbackPlan(
      original.plan,
      changed.map((m) => ({ clusterId: m.clusterId, wave: m.wave })),
    );
    const waveOf = new Map(plan.waves.flatMap((w) => w.clusterIds.map((id) => [id, w.name] as const)));
    let targets: Map<string, { digest: string | null; commit: string | null }>;
    let rolloutCommit: string;
    if (to !== undefined) {
      const { commit, revision } = to;
      const problem = revision === null ? null : revisionProblem(app, revision);
      if (revision === null || problem !== null) {
        throw failedPrecondition(
          `commit ${commit} of application "${app.name}" is not a usable revision` +
            (problem !== null ? `: ${problem}` : ' (not fetched)'),
        );
      }
      const errors = changed.flatMap((m) => to.rendered.failed.get(m.clusterId) ?? []);
      if (errors.length > 0) {
        throw renderRefusal(
          {
            empty: new Set(changed.filter((m) => to.rendered.empty.has(m.clusterId)).map((m) => m.clusterId)),
            denied: new Map(
              changed.flatMap((m) => {
                const found = to.rendered.denied.get(m.clusterId);
                return found === undefined ? [] : [[m.clusterId, found] as const];
              }),
            ),
          },
          `commit ${commit.slice(0, 12)} does not render: ${errors.slice(0, 5).join('; ')}`,
        );
      }
      targets = new Map(
        changed.map((m) => [m.clusterId, { digest: to.rendered.digests.get(m.clusterId) ?? null, commit }]),
      );
      // Only the changed clusters' bundles, as when only they were rendered.
      const digests = new Set([...targets.values()].flatMap((t) => t.digest ?? []));
      await this.bundles.store(
        tx,
        new Map([...to.rendered.bundles].filter(([digest]) => digests.has(digest))),
      );
      rolloutCommit = commit;
    } else {
      if (changed.every((m) => m.previousDigest === null)) {
        throw failedPrecondition(
          `no cluster of rollout ${original.id} ran an earlier revision of "${app.name}"; name the commit to roll back to`,
        );
      }
      targets = new Map(
        changed.map((m) => [m.clusterId, { digest: m.previousDigest, commit: m.previousCommit }]),
      );
      // Each cluster goes back to the very bundle it ran: stored still (the garbage collector keeps
      // them while this rollout is recent), and locked here so it stays until the rollback is in.
      const previous = [...new Set(changed.flatMap((m) => m.previousDigest ?? []))];
      const stored = await this.bundles.lockExisting(tx, previous);
      if (previous.some((digest) => !stored.has(digest))) {
        throw garbageCollected(
          `the bundles clusters of rollout ${original.id} ran before were garbage-collected (the rollout finished ` +
            `more than the retention period ago); name the commit to roll back to`,
        );
      }
      rolloutCommit =
        (await this.rollouts.lastGoodCommit(tx, app.id, original.createdAt)) ??
        mostCommon(changed.map((m) => m.previousCommit)) ??
        original.commit;
    }
    const events = await this.supersedeActive(tx, app.id, actor);
    const id = await this.rollouts.insert(tx, {
      applicationId: app.id,
      commit: rolloutCommit,
      kind: 'rollback',
      rollbackOf: original.id,
      plan: plan.plan,
      createdBy: actor,
      waves: effectiveWaves(plan.plan).map((w) => ({ name: w.name })),
      clusters: changed.map((m) => ({
        clusterId: m.clusterId,
        name: m.name,
        wave: waveOf.get(m.clusterId) ?? m.wave,
        targetDigest: targets.get(m.clusterId)?.digest ?? null,
        targetCommit: targets.get(m.clusterId)?.commit ?? null,
      })),
    });
    await this.rollouts.markRolledBackBy(tx, original.id, id);
    events.push({
      actor,
      action: 'rollout.rollbackStarted',
      targetKind: 'rollout',
      targetId: id,
      after: {
        application: app.name,
        rollbackOf: original.id,
        commit: rolloutCommit,
        clusters: changed.length,
      },
    });
    return { id, events };
  }

  /**
   * Renders `commit` for every member of a rollout, outside any transaction, for a rollback to it:
   * members are fixed when a rollout starts, so whichever of them have changed by the time the
   * rollback locks are all rendered. An unusable revision is kept as found, for `rollback` to
   * refuse in its usual order.
   */
  async prepareRollbackTo(
    app: ApplicationRecord,
    commit: string,
    members: readonly RolloutClusterRecord[],
  ): Promise<PreparedRender> {
    const revision = await this.applications.findRevision(app.id, commit);
    if (revision === null || revisionProblem(app, revision) !== null) {
      return {
        app,
        commit,
        revision,
        rendered: {
          digests: new Map(),
          bundles: new Map(),
          errors: [],
          failed: new Map(),
          empty: new Set(),
          denied: new Map(),
          renders: 0,
        },
      };
    }
    const byId = new Map(
      (await this.clusters.findByIds(members.map((m) => m.clusterId))).map((c) => [c.id, c]),
    );
    const clusters = members.flatMap((m) => byId.get(m.clusterId) ?? []);
    return { app, commit, revision, rendered: await this.render(app, revision, clusters) };
  }

  /** Stores the bundles rendered for `clusters` (only theirs). */
  private async storeBundlesOf(
    tx: EntityManager,
    rendered: RenderedTargets,
    clusters: readonly { id: string }[],
  ): Promise<void> {
    const digests = new Set(clusters.flatMap((c) => rendered.digests.get(c.id) ?? []));
    await this.bundles.store(tx, new Map([...rendered.bundles].filter(([digest]) => digests.has(digest))));
  }

  private async usableRevision(app: ApplicationRecord, commit: string): Promise<RevisionRecord> {
    const revision = await this.applications.findRevision(app.id, commit);
    if (revision === null) {
      throw failedPrecondition(`commit ${commit} of application "${app.name}" has not been fetched yet`);
    }
    const problem = revisionProblem(app, revision);
    if (problem !== null) {
      throw failedPrecondition(`commit ${commit.slice(0, 12)} cannot be rolled out: ${problem}`);
    }
    if (revision.sourceCollectedAt !== null) throw sourceCollected(app, revision);
    return revision;
  }

  private supersedeActive(tx: EntityManager, applicationId: string, actor: string): Promise<NewEvent[]> {
    return this.endActive(tx, applicationId, actor, 'Superseded', 'a newer rollout started');
  }

  /**
   * Ends the application's unfinished rollouts (locked first) in `tx`: superseded by a newer one,
   * or aborted because the application is being deleted. Returns their audit events.
   */
  async endActive(
    tx: EntityManager,
    applicationId: string,
    actor: string,
    state: 'Superseded' | 'Aborted',
    message: string,
  ): Promise<NewEvent[]> {
    const active = await this.rollouts.lockActiveOfApplication(tx, applicationId);
    const now = new Date();
    const events: NewEvent[] = [];
    for (const old of active) {
      const paused = state === 'Aborted' ? { paused: false } : {};
      await this.rollouts.setState(tx, old.id, { state, ...paused, message }, now);
      events.push({
        actor,
        action: `rollout.${state.charAt(0).toLowerCase()}${state.slice(1)}`,
        targetKind: 'rollout',
        targetId: old.id,
        before: { state: old.state },
        after: { state },
      });
    }
    return events;
  }
}

/** Each cluster in the first wave of `plan` its labels match (cordoned ones left out), in wave order. */
function membersByWave(
  plan: WavePlan,
  clusters: readonly FleetCluster[],
  selector: string,
): { id: string; name: string; wave: string }[] {
  return assignWaves(plan, clusters, selector).waves.flatMap((wave) =>
    wave.clusterIds.map((id, i) => ({ id, name: wave.clusterNames[i]!, wave: wave.name })),
  );
}

/**
 * What the revision records of a rollout's render: `render-failed: <first failing cluster's line>`
 * (`empty-bundle: …` when every failing cluster renders nothing, `project-denied: …` naming the
 * offending objects when every failing cluster's bundle is outside the project's bounds), or null
 * when every cluster renders.
 */
export function renderErrorOf(rendered: Pick<RenderedTargets, 'failed' | 'empty' | 'denied'>): string | null {
  const [first] = rendered.failed.entries();
  if (first === undefined) return null;
  const ids = [...rendered.failed.keys()];
  const kind = ids.every((id) => rendered.empty.has(id))
    ? 'empty-bundle'
    : ids.every((id) => rendered.denied.has(id))
      ? 'project-denied'
      : 'render-failed';
  const more = rendered.failed.size > 1 ? ` (and ${rendered.failed.size - 1} more cluster(s))` : '';
  return `${kind}: ${first[1].slice(0, 2000)}${more}`;
}

/**
 * A render refused for some clusters: EMPTY_BUNDLE when any renders nothing, the first offending
 * object's PROJECT_*_DENIED when a bundle is outside the project's bounds, else INVALID_ARGUMENT.
 */
function renderRefusal(rendered: Pick<RenderedTargets, 'empty' | 'denied'>, message: string) {
  if (rendered.empty.size > 0) return emptyBundle(message);
  const [denied] = rendered.denied.values();
  if (denied !== undefined) return new DomainError(denied[0]!.code, message);
  return invalidArgument(message);
}

function sourceCollected(app: ApplicationRecord, revision: RevisionRecord) {
  return garbageCollected(
    `the source of commit ${revision.commit.slice(0, 12)} of "${app.name}" was garbage-collected at ` +
      `${revision.sourceCollectedAt!.toISOString()} (nothing referenced it for the retention period); ` +
      `a sync reads it again from git when the ref points at it`,
  );
}

/** What rendering and membership read of an application; jsonb comes back with its keys in one order. */
function renderInputs(app: ApplicationRecord): string {
  return JSON.stringify([
    app.renderer,
    app.targetSelector,
    app.values,
    app.valuesFiles,
    app.valuesRules,
    app.helm,
    app.defaultNamespace,
    app.plan,
    app.allowEmpty,
  ]);
}

export function firstLine(message: string): string {
  return message.split('\n', 1)[0]!.slice(0, 200);
}

function mostCommon(values: readonly (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (best === null || n > counts.get(best)!) best = v;
  return best;
}
