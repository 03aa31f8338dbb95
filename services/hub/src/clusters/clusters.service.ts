import { Inject, Injectable } from '@nestjs/common';
import { parseSelector, type Selector, SelectorError, validateLabels } from '@fleetwave/labels';
import { type EntityManager } from 'typeorm';
import { type Actor } from '../common/actor.js';
import { failedPrecondition, invalidArgument, notFound } from '../common/domain-error.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { type NewEvent } from '../events/events.repository.js';
import { AgentCredentialCache } from './agent-credential-cache.js';
import { CLUSTER_PLACEMENTS, type ClusterPlacements } from './cluster-placements.js';
import { type ClusterEntity, type ClusterStatus, maintenanceFrom } from './cluster.entity.js';
import { ClustersRepository } from './clusters.repository.js';
import { type ClusterView } from './page-sql.js';
import { assertNoFactLabelKeys } from './fact-labels.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface ListClusters {
  /** kubectl label-selector syntax; undefined or empty matches every cluster. */
  selector?: string | undefined;
  status?: ClusterStatus | undefined;
  first?: number | undefined;
  /** Exclusive: the name of the last cluster of the previous page. */
  afterName?: string | undefined;
  /** false: totalCount is not counted (0) — the query does not select it. Default true. */
  count?: boolean | undefined;
}

export interface ClusterPage {
  clusters: ClusterView[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * The public state of a cluster as the audit trail records it (and as subscriptions see a
 * deregistered cluster): never the credential hash or the signing key.
 */
export interface ClusterSnapshot {
  id: string;
  name: string;
  labels: Record<string, string>;
  facts: ClusterEntity['facts'];
  status: ClusterStatus;
  cordoned: boolean;
  /** Optional: snapshots stored before maintenance was tracked lack it. */
  maintenance?: { reason: string; since: string } | null;
  agentVersion: string | null;
  lastHeartbeatAt: string | null;
  createdAt: string;
}

export function clusterSnapshot(cluster: ClusterEntity): ClusterSnapshot {
  const maintenance = maintenanceFrom(cluster.maintenanceReason, cluster.maintenanceSince);
  return {
    id: cluster.id,
    name: cluster.name,
    labels: cluster.labels,
    facts: cluster.facts,
    status: cluster.status,
    cordoned: cluster.cordoned,
    maintenance: maintenance && { reason: maintenance.reason, since: maintenance.since.toISOString() },
    agentVersion: cluster.agentVersion,
    lastHeartbeatAt: cluster.lastHeartbeatAt?.toISOString() ?? null,
    createdAt: cluster.createdAt.toISOString(),
  };
}

/** Parses a selector argument; a syntax error is INVALID_ARGUMENT naming the position and reason. */
export function parseSelectorArgument(selector: string | undefined | null): Selector {
  try {
    return parseSelector(selector ?? '');
  } catch (error) {
    if (error instanceof SelectorError) {
      throw invalidArgument(`selector: at position ${error.position}: ${error.reason}`);
    }
    throw error;
  }
}

/** The cluster registry as operators see it: listing, labels, cordoning, deregistration. */
@Injectable()
export class ClustersService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(CLUSTER_PLACEMENTS) private readonly placements: ClusterPlacements,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(AgentCredentialCache) private readonly credentialCache: AgentCredentialCache,
  ) {}

  async list(request: ListClusters): Promise<ClusterPage> {
    const first = request.first ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      throw invalidArgument(`first must be between 0 and ${MAX_PAGE_SIZE}`);
    }
    const page = await this.clusters.page({
      selector: parseSelectorArgument(request.selector),
      status: request.status,
      afterName: request.afterName,
      limit: first,
      count: request.count,
    });
    return { clusters: page.rows, hasNextPage: page.hasMore, totalCount: page.total };
  }

  findByName(name: string): Promise<ClusterEntity | null> {
    return this.clusters.findByName(name);
  }

  findByIds(ids: readonly string[]): Promise<ClusterEntity[]> {
    return this.clusters.findByIds(ids);
  }

  /**
   * Merges `labels` into the cluster's labels (a key given again takes the new value). Fact labels
   * are refused, and the merge keeps the cluster's own.
   */
  setLabels(actor: Actor, name: string, labels: Record<string, string>): Promise<ClusterEntity> {
    assertNoFactLabelKeys(Object.keys(labels));
    const problems = validateLabels(labels);
    if (problems.length > 0) throw invalidArgument(`invalid labels: ${problems.join('; ')}`);
    return this.changeLabels(actor, name, (current) => ({ ...current, ...labels }));
  }

  /** Removes the given keys; keys the cluster does not have are ignored. */
  removeLabels(actor: Actor, name: string, keys: readonly string[]): Promise<ClusterEntity> {
    assertNoFactLabelKeys(keys);
    const removed = new Set(keys);
    return this.changeLabels(actor, name, (current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !removed.has(key))),
    );
  }

  /** A cordoned cluster keeps its assignments but is left out of new rollout waves. */
  setCordoned(actor: Actor, name: string, cordoned: boolean): Promise<ClusterEntity> {
    return this.mutate(name, async (tx, cluster) => {
      if (cluster.cordoned === cordoned) return [];
      await this.clusters.setCordoned(tx, cluster.id, cordoned);
      cluster.cordoned = cordoned;
      return [
        {
          actor: actor.name,
          action: cordoned ? 'cluster.cordoned' : 'cluster.uncordoned',
          targetKind: 'cluster',
          targetId: cluster.id,
          before: { name: cluster.name, cordoned: !cordoned },
          after: { name: cluster.name, cordoned },
        },
      ];
    });
  }

  /**
   * Revokes the cluster's credential and signing key (and the pair a rotation replaced) without
   * deregistering it: its agent's polls and reports are refused (CREDENTIAL_REVOKED,
   * `revoked-credential`) while the cluster, its labels, assignments and history stay. It comes
   * back when its agent registers again with a registration token (same kube-system UID: same
   * cluster and name). Revoking twice is a no-op.
   */
  revokeCredential(actor: Actor, name: string): Promise<ClusterEntity> {
    return this.mutate(name, async (tx, cluster) => {
      if (cluster.credentialRevokedAt) return [];
      const now = this.clock.now();
      await this.clusters.revokeCredential(tx, cluster.id, now);
      cluster.credentialRevokedAt = now;
      cluster.previousValidUntil = null;
      return [
        {
          actor: actor.name,
          action: 'cluster.credentialRevoked',
          targetKind: 'cluster',
          targetId: cluster.id,
          before: { name: cluster.name, credentialRevokedAt: null },
          after: { name: cluster.name, credentialRevokedAt: now.toISOString() },
        },
      ];
    });
  }

  /**
   * Deregisters the cluster, explicitly. Without `force` it becomes Deregistering: it leaves every
   * placement, keeps its credential so its agent can fetch the withdrawals (each with
   * `deletionPolicy`) and report them done, and is deleted once it has confirmed them all — at once
   * when it has nothing assigned or left to confirm. The withdrawals are written by the catch-up
   * lane (it also takes the cluster out of running rollouts), which the request's audit event wakes. With `force` it is deleted now, Deregistering or not: its credential
   * stops working and its objects stay in place, unmanaged. Returns the cluster as it is after the
   * call (as it was, when deleted).
   */
  deregister(
    actor: Actor,
    name: string,
    options: { deletionPolicy?: 'prune' | 'orphan'; force?: boolean } = {},
  ): Promise<ClusterEntity> {
    const policy = options.deletionPolicy ?? 'prune';
    return this.mutate(name, async (tx, cluster) => {
      const force = options.force === true;
      // Its row is locked: nothing is assigned to it meanwhile (assigning locks the cluster rows).
      if (force || (await this.placements.remaining(tx, cluster.id)) === 0) {
        await this.clusters.delete(tx, cluster.id);
        return [
          {
            actor: actor.name,
            action: 'cluster.deregistered',
            targetKind: 'cluster',
            targetId: cluster.id,
            before: clusterSnapshot(cluster),
            after: { deletionPolicy: force ? null : policy, force },
          },
        ];
      }
      if (cluster.deregistrationRequestedAt !== null) {
        throw failedPrecondition(`cluster "${name}" is already being deregistered; force deletes it at once`);
      }
      const requestedAt = new Date();
      await this.clusters.requestDeregistration(tx, cluster.id, {
        policy,
        requestedAt,
        requestedBy: actor.name,
      });
      cluster.deregistrationPolicy = policy;
      cluster.deregistrationRequestedAt = requestedAt;
      cluster.deregistrationRequestedBy = actor.name;
      return [
        {
          actor: actor.name,
          action: 'cluster.deregistrationRequested',
          targetKind: 'cluster',
          targetId: cluster.id,
          after: { name: cluster.name, deletionPolicy: policy },
        },
      ];
    });
  }

  private changeLabels(
    actor: Actor,
    name: string,
    change: (current: Record<string, string>) => Record<string, string>,
  ): Promise<ClusterEntity> {
    return this.mutate(name, async (tx, cluster) => {
      const before = cluster.labels;
      const after = change(before);
      if (sameLabels(before, after)) return [];
      await this.clusters.updateLabels(tx, cluster.id, after);
      cluster.labels = after;
      return [
        {
          actor: actor.name,
          action: 'cluster.labelsChanged',
          targetKind: 'cluster',
          targetId: cluster.id,
          before: { name: cluster.name, labels: before },
          after: { name: cluster.name, labels: after },
        },
      ];
    });
  }

  /** Locks the named cluster, applies the change and its audit events in one transaction, then publishes. */
  private async mutate(
    name: string,
    change: (tx: EntityManager, cluster: ClusterEntity) => Promise<NewEvent[]>,
  ): Promise<ClusterEntity> {
    const changed = await this.audited.run(async (tx) => {
      const cluster = await this.clusters.findByNameForUpdate(tx, name);
      if (!cluster) throw notFound(`cluster "${name}" does not exist`);
      return { result: cluster, events: await change(tx, cluster) };
    });
    // Revoked, deregistered, relabelled, cordoned: agent requests read the row again, at once here.
    this.credentialCache.forgetClusters([changed.id]);
    return changed;
  }
}

export function sameLabels(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const aKeys = Object.keys(a);
  return (
    aKeys.length === Object.keys(b).length && aKeys.every((key) => Object.hasOwn(b, key) && a[key] === b[key])
  );
}
