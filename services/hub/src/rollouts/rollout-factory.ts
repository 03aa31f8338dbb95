import { Inject, Injectable } from '@nestjs/common';
import { bundleDigest } from '@fleetwave/contracts';
import { type EntityManager } from 'typeorm';
import {
  type ApplicationRecord,
  ApplicationsRepository,
  type RevisionRecord,
} from '../applications/applications.repository.js';
import { BundlesRepository } from '../bundles/bundles.repository.js';
import { type ClusterEntity } from '../clusters/cluster.entity.js';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { parseSelectorArgument } from '../clusters/clusters.service.js';
import { failedPrecondition, invalidArgument } from '../common/domain-error.js';
import { type NewEvent } from '../events/events.repository.js';
import { renderManifests, RenderError, selectValues } from '../git/index.js';
import { assignWaves, effectiveWaves, type Membership, rollbackPlan, type WavePlan } from './engine/index.js';
import { type RolloutClusterRecord, type RolloutRecord, RolloutsRepository } from './rollouts.repository.js';

export interface RenderedTargets {
  /** Per cluster id: the digest of its bundle. */
  digests: Map<string, string>;
  /** Per digest: the manifests (one entry per distinct values set). */
  bundles: Map<string, string>;
  /** One line per cluster that cannot be rendered. */
  errors: string[];
}

export interface CreatedRollout {
  id: string;
  events: NewEvent[];
}

/**
 * Creates rollouts inside the caller's transaction: membership from the plan and the fleet, one
 * bundle per cluster rendered from the revision's templates (content-addressed, stored once), and
 * the supersede of older rollouts of the same application.
 */
@Injectable()
export class RolloutFactory {
  constructor(
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(BundlesRepository) private readonly bundles: BundlesRepository,
  ) {}

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

  /** Renders the revision for each cluster; pure apart from reading nothing. */
  render(
    app: ApplicationRecord,
    revision: RevisionRecord,
    clusters: readonly ClusterEntity[],
  ): RenderedTargets {
    const digests = new Map<string, string>();
    const bundles = new Map<string, string>();
    const errors: string[] = [];
    for (const cluster of clusters) {
      try {
        const { values } = selectValues(app.valuesRules, cluster.labels);
        const manifests = renderManifests(revision.sources, {
          cluster: { name: cluster.name, labels: cluster.labels },
          values,
        });
        const digest = bundleDigest(manifests);
        digests.set(cluster.id, digest);
        bundles.set(digest, manifests);
      } catch (error) {
        if (!(error instanceof RenderError)) throw error;
        errors.push(`${cluster.name}: ${error.message}`);
      }
    }
    return { digests, bundles, errors };
  }

  /** A new rollout of `commit` over the targeted clusters; supersedes the application's active rollouts. */
  async start(
    tx: EntityManager,
    app: ApplicationRecord,
    commit: string,
    actor: string,
    plan: WavePlan = app.plan,
  ): Promise<CreatedRollout> {
    const revision = await this.applications.findRevision(app.id, commit, tx);
    if (revision === null) {
      throw failedPrecondition(`commit ${commit} of application "${app.name}" has not been fetched yet`);
    }
    if (revision.error !== null) {
      throw failedPrecondition(`commit ${commit.slice(0, 12)} cannot be rolled out: ${revision.error}`);
    }
    const { membership, clusters } = await this.membership(app, plan, tx);
    const members = membership.waves.flatMap((wave) =>
      wave.clusterIds.map((id) => ({ cluster: clusters.get(id)!, wave: wave.name })),
    );
    const rendered = this.render(
      app,
      revision,
      members.map((m) => m.cluster),
    );
    if (rendered.errors.length > 0) {
      throw invalidArgument(
        `commit ${commit.slice(0, 12)} does not render for ${rendered.errors.length} cluster(s): ` +
          rendered.errors.slice(0, 5).join('; '),
      );
    }
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
      },
    });
    return { id, events };
  }

  /**
   * A rollback of `original` on the clusters it changed, last wave first, no soak or approval. To
   * `commit` (rendered afresh) when given; otherwise each cluster returns to exactly the bundle it ran
   * before (clusters that had none are left as they are).
   */
  async rollback(
    tx: EntityManager,
    app: ApplicationRecord,
    original: RolloutRecord,
    members: readonly RolloutClusterRecord[],
    actor: string,
    commit?: string,
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
    if (commit !== undefined) {
      const revision = await this.applications.findRevision(app.id, commit, tx);
      if (revision === null || revision.error !== null) {
        throw failedPrecondition(
          `commit ${commit} of application "${app.name}" is not a usable revision` +
            (revision?.error ? `: ${revision.error}` : ' (not fetched)'),
        );
      }
      const byId = new Map(
        (await this.clusters.findByIds(changed.map((m) => m.clusterId))).map((c) => [c.id, c]),
      );
      const rendered = this.render(
        app,
        revision,
        changed.flatMap((m) => byId.get(m.clusterId) ?? []),
      );
      if (rendered.errors.length > 0) {
        throw invalidArgument(
          `commit ${commit.slice(0, 12)} does not render: ${rendered.errors.slice(0, 5).join('; ')}`,
        );
      }
      await this.bundles.store(tx, rendered.bundles);
      targets = new Map(
        changed.map((m) => [m.clusterId, { digest: rendered.digests.get(m.clusterId) ?? null, commit }]),
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

  private async supersedeActive(
    tx: EntityManager,
    applicationId: string,
    actor: string,
  ): Promise<NewEvent[]> {
    const active = await this.rollouts.lockActiveOfApplication(tx, applicationId);
    const now = new Date();
    const events: NewEvent[] = [];
    for (const old of active) {
      await this.rollouts.setState(
        tx,
        old.id,
        { state: 'Superseded', message: 'a newer rollout started' },
        now,
      );
      events.push({
        actor,
        action: 'rollout.superseded',
        targetKind: 'rollout',
        targetId: old.id,
        before: { state: old.state },
        after: { state: 'Superseded' },
      });
    }
    return events;
  }
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
