import { Inject, Injectable } from '@nestjs/common';
import { type Selector } from '@fleetwave/labels';
import { type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { dateFromJson } from '../common/json-date.js';
import { Transactions } from '../database/transactions.js';
import { ClusterEntity, type ClusterFacts, type ClusterStatus } from './cluster.entity.js';
import { selectorToSql } from './selector-sql.js';

export interface NewCluster {
  name: string;
  kubeSystemUid: string;
  labels: Record<string, string>;
  facts: ClusterFacts;
  agentVersion: string;
  credentialHash: string;
  signingKey: string;
  registeredWith: string;
}

/** What a placement needs of a cluster: a plain row, not an entity (read for every cluster each sweep). */
export interface PlacementCluster {
  id: string;
  name: string;
  labels: Record<string, string>;
  cordoned: boolean;
  status: ClusterStatus;
}

export interface ClusterFilter {
  selector: Selector;
  status?: ClusterStatus | undefined;
}

export interface ClusterPageRequest extends ClusterFilter {
  /** Exclusive lower bound on the name (the cursor); undefined for the first page. */
  afterName?: string | undefined;
  limit: number;
}

/** The only code that queries the cluster table. */
/** What agent endpoints know about the cluster calling them. */
export interface AgentCluster {
  id: string;
  name: string;
  labels: Record<string, string>;
  cordoned: boolean;
  /** As read with the credential (the long-poll's hot path compares it). */
  assignmentGeneration: number;
}

@Injectable()
export class ClustersRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  findByUidForUpdate(tx: EntityManager, kubeSystemUid: string): Promise<ClusterEntity | null> {
    return tx.findOne(ClusterEntity, { where: { kubeSystemUid }, lock: { mode: 'pessimistic_write' } });
  }

  findByName(name: string, tx: EntityManager = this.transactions.manager): Promise<ClusterEntity | null> {
    return tx.findOne(ClusterEntity, { where: { name } });
  }

  findById(id: string, tx: EntityManager = this.transactions.manager): Promise<ClusterEntity | null> {
    return tx.findOne(ClusterEntity, { where: { id } });
  }

  /**
   * The calling agent's cluster, by credential: one indexed single-row read in plain SQL, as it runs
   * on every agent request (entity hydration cost more than the query).
   */
  async findAgentByCredentialHash(credentialHash: string): Promise<AgentCluster | null> {
    const rows = await this.transactions.manager.query<
      (Omit<AgentCluster, 'assignmentGeneration'> & { generation: string })[]
    >(
      `SELECT id, name, labels, cordoned, assignment_generation AS generation
         FROM cluster WHERE credential_hash = $1`,
      [credentialHash],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      labels: row.labels,
      cordoned: row.cordoned,
      assignmentGeneration: Number(row.generation),
    };
  }

  insert(tx: EntityManager, cluster: NewCluster): Promise<ClusterEntity> {
    return tx.save(
      ClusterEntity,
      tx.create(ClusterEntity, {
        ...cluster,
        status: 'Pending',
        cordoned: false,
        lastSeq: '-1',
        lastHeartbeatAt: null,
      }),
    );
  }

  /** A re-registration: new credential and signing key, fresh facts and fact labels (operators' labels stay). */
  async reRegister(
    tx: EntityManager,
    id: string,
    changes: Pick<
      NewCluster,
      'labels' | 'facts' | 'agentVersion' | 'credentialHash' | 'signingKey' | 'registeredWith'
    >,
  ): Promise<void> {
    // The sequence restarts with the new signing key: the agent's counter lives with its credential.
    await tx.update(ClusterEntity, { id }, { ...changes, lastSeq: '-1' });
  }

  /**
   * One page in name order plus the number of clusters the filter matches (ignoring the cursor):
   * two statements, run side by side. Asks for one row more than `limit` to tell whether a next
   * page exists without counting.
   */
  async page(
    request: ClusterPageRequest,
  ): Promise<{ rows: ClusterEntity[]; hasMore: boolean; total: number }> {
    const filtered = this.filtered(request);
    const page = filtered.clone();
    if (request.afterName !== undefined)
      page.andWhere('cluster.name > :afterName', { afterName: request.afterName });
    // Each row as one JSON object: decoding 18 columns and hydrating an entity per row was most of
    // a page's hub CPU (bench/README.md: GraphQL profiles).
    page
      .select(CLUSTER_JSON, 'cluster')
      .orderBy('cluster.name', 'ASC')
      .limit(request.limit + 1);
    const [raw, total] = await Promise.all([
      page.getRawMany<{ cluster: ClusterJson }>(),
      filtered.getCount(),
    ]);
    const rows = raw.slice(0, request.limit).map((r) => clusterFromJson(r.cluster));
    return { rows, hasMore: raw.length > request.limit, total };
  }

  /**
   * Every cluster the selector matches, in name order (rollout membership, placements and previews).
   * Clusters being deregistered are left out: no placement includes them any more.
   */
  matching(selector: Selector, tx: EntityManager = this.transactions.manager): Promise<ClusterEntity[]> {
    const query = tx
      .createQueryBuilder(ClusterEntity, 'cluster')
      .where('cluster.deregistration_requested_at IS NULL');
    const labels = selectorToSql(selector, 'cluster.labels');
    if (labels.clause) query.andWhere(labels.clause, labels.params);
    return query.orderBy('cluster.name', 'ASC').getMany();
  }

  /**
   * {@link matching} as plain rows of the columns a placement reads: the catch-up lane reads every
   * targeted cluster of every application each sweep, and building entities for 10,000 clusters ×
   * 10 applications cost the hub about a second per sweep (bench/README.md, issue 18).
   */
  placementRows(
    selector: Selector,
    tx: EntityManager = this.transactions.manager,
  ): Promise<PlacementCluster[]> {
    const query = tx
      .createQueryBuilder(ClusterEntity, 'cluster')
      .select('cluster.id', 'id')
      .addSelect('cluster.name', 'name')
      .addSelect('cluster.labels', 'labels')
      .addSelect('cluster.cordoned', 'cordoned')
      .addSelect('cluster.status', 'status')
      .where('cluster.deregistration_requested_at IS NULL');
    const labels = selectorToSql(selector, 'cluster.labels');
    if (labels.clause) query.andWhere(labels.clause, labels.params);
    return query.orderBy('cluster.name', 'ASC').getRawMany<PlacementCluster>();
  }

  private filtered({ selector, status }: ClusterFilter): SelectQueryBuilder<ClusterEntity> {
    const query = this.transactions.manager.createQueryBuilder(ClusterEntity, 'cluster');
    const labels = selectorToSql(selector, 'cluster.labels');
    if (labels.clause) query.andWhere(labels.clause, labels.params);
    if (status) query.andWhere('cluster.status = :status', { status });
    return query;
  }

  findByNameForUpdate(tx: EntityManager, name: string): Promise<ClusterEntity | null> {
    return tx.findOne(ClusterEntity, { where: { name }, lock: { mode: 'pessimistic_write' } });
  }

  findByIds(ids: readonly string[], tx: EntityManager = this.transactions.manager): Promise<ClusterEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return tx.find(ClusterEntity, { where: { id: In([...ids]) } });
  }

  async updateLabels(tx: EntityManager, id: string, labels: Record<string, string>): Promise<void> {
    await tx.update(ClusterEntity, { id }, { labels });
  }

  async setCordoned(tx: EntityManager, id: string, cordoned: boolean): Promise<void> {
    await tx.update(ClusterEntity, { id }, { cordoned });
  }

  /** The cluster becomes Deregistering (it keeps its credential: its agent fetches its withdrawals). */
  async requestDeregistration(
    tx: EntityManager,
    id: string,
    deregistration: { policy: 'prune' | 'orphan'; requestedAt: Date; requestedBy: string },
  ): Promise<void> {
    await tx.update(
      ClusterEntity,
      { id },
      {
        deregistrationPolicy: deregistration.policy,
        deregistrationRequestedAt: deregistration.requestedAt,
        deregistrationRequestedBy: deregistration.requestedBy,
      },
    );
  }

  /** Clusters being deregistered, oldest request first. */
  deregistering(): Promise<ClusterEntity[]> {
    return this.transactions.manager
      .createQueryBuilder(ClusterEntity, 'cluster')
      .where('cluster.deregistration_requested_at IS NOT NULL')
      .orderBy('cluster.deregistration_requested_at', 'ASC')
      .getMany();
  }

  /** Registered clusters: what a fleet-wide percentage (HUB_FLEET_MAX_CHANGING) is taken of. */
  async count(tx: EntityManager = this.transactions.manager): Promise<number> {
    const [row] = await tx.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM cluster`);
    return row.n;
  }

  /** Deletes the cluster; its credential stops working with the row, its bundle status cascades. */
  async delete(tx: EntityManager, id: string): Promise<void> {
    await tx.delete(ClusterEntity, { id });
  }
}

/** Every column a ClusterEntity selects, keyed by property (bigint as text: JSON numbers lose digits). */
const CLUSTER_JSON = `json_build_object(
  'id', cluster.id, 'name', cluster.name, 'kubeSystemUid', cluster.kube_system_uid,
  'labels', cluster.labels, 'facts', cluster.facts, 'status', cluster.status, 'cordoned', cluster.cordoned,
  'agentVersion', cluster.agent_version, 'lastHeartbeatAt', cluster.last_heartbeat_at,
  'maintenanceReason', cluster.maintenance_reason, 'maintenanceSince', cluster.maintenance_since,
  'deregistrationRequestedAt', cluster.deregistration_requested_at,
  'deregistrationRequestedBy', cluster.deregistration_requested_by,
  'deregistrationPolicy', cluster.deregistration_policy, 'lastSeq', cluster.last_seq::text,
  'registeredWith', cluster.registered_with, 'createdAt', cluster.created_at, 'updatedAt', cluster.updated_at)`;

type ClusterDates =
  'lastHeartbeatAt' | 'maintenanceSince' | 'deregistrationRequestedAt' | 'createdAt' | 'updatedAt';

/** A cluster row as CLUSTER_JSON carries it: timestamps as ISO text. */
type ClusterJson = Omit<ClusterEntity, ClusterDates | 'credentialHash' | 'signingKey'> & {
  [K in ClusterDates]: string | null;
};

/** The entity TypeORM would have made of the row (secrets unselected, as `select: false` leaves them). */
function clusterFromJson(row: ClusterJson): ClusterEntity {
  const date = dateFromJson;
  return Object.assign(new ClusterEntity(), {
    ...row,
    lastHeartbeatAt: date(row.lastHeartbeatAt),
    maintenanceSince: date(row.maintenanceSince),
    deregistrationRequestedAt: date(row.deregistrationRequestedAt),
    createdAt: date(row.createdAt)!,
    updatedAt: date(row.updatedAt)!,
  });
}
