import { Inject, Injectable } from '@nestjs/common';
import { type Selector } from '@fleetwave/labels';
import { type EntityManager, In } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { ClusterEntity, type ClusterFacts, type ClusterStatus } from './cluster.entity.js';
import { selectorToSql } from './selector-sql.js';
import {
  type ClusterPageRequest,
  type ClusterView,
  type ClusterViewJson,
  clusterViewFromJson,
  pageSql,
} from './page-sql.js';
import { type CredentialLifetime, type CredentialSlot } from './cluster-credential.js';

export interface NewCluster {
  name: string;
  kubeSystemUid: string;
  labels: Record<string, string>;
  facts: ClusterFacts;
  agentVersion: string;
  credentialHash: string;
  signingKey: string;
  credentialExpiresAt: Date;
  registeredWith: string;
}

/** A newly issued credential and signing key, and the pair they replace (kept for the grace period). */
export interface RotatedCredential {
  credentialHash: string;
  signingKey: string;
  credentialExpiresAt: Date;
  previousCredentialHash: string;
  previousSigningKey: string;
  previousValidUntil: Date;
}

/** A cluster's credentials as a rotation reads them, under the row lock. */
export interface StoredCredentials {
  credentialHash: string | null;
  signingKey: string | null;
  previousCredentialHash: string | null;
  previousSigningKey: string | null;
}

/** What a placement needs of a cluster: a plain row, not an entity (read for every cluster each sweep). */
export interface PlacementCluster {
  id: string;
  name: string;
  labels: Record<string, string>;
  cordoned: boolean;
  status: ClusterStatus;
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
  /** Which credential the agent presented, and when it stops working. */
  credentialSlot: CredentialSlot;
  credential: CredentialLifetime;
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
    // Either credential: the current one, or the one the last rotation replaced (still accepted for
    // the grace period). Both columns are unique, so this is at most one row, by index.
    const rows = await this.transactions.manager.query<
      (Omit<AgentCluster, 'assignmentGeneration' | 'credentialSlot' | 'credential'> & {
        generation: string;
        current: boolean;
        expires_at: Date | null;
        revoked_at: Date | null;
        previous_valid_until: Date | null;
      })[]
    >(
      `SELECT id, name, labels, cordoned, assignment_generation AS generation,
              credential_hash = $1 AS current, credential_expires_at AS expires_at,
              credential_revoked_at AS revoked_at, previous_valid_until
         FROM cluster WHERE credential_hash = $1 OR previous_credential_hash = $1`,
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
      credentialSlot: row.current ? 'current' : 'previous',
      credential: {
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
        previousValidUntil: row.previous_valid_until,
      },
    };
  }

  /** The cluster's credential hashes and signing keys (never selected otherwise), under a row lock. */
  async credentialsForUpdate(tx: EntityManager, id: string): Promise<StoredCredentials | null> {
    const rows = await tx.query<
      {
        credential_hash: string | null;
        signing_key: string | null;
        previous_credential_hash: string | null;
        previous_signing_key: string | null;
      }[]
    >(
      `SELECT credential_hash, signing_key, previous_credential_hash, previous_signing_key
         FROM cluster WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      credentialHash: row.credential_hash,
      signingKey: row.signing_key,
      previousCredentialHash: row.previous_credential_hash,
      previousSigningKey: row.previous_signing_key,
    };
  }

  /** A rotation: the sequence goes on (reports continue, signed with the new key). */
  async rotateCredential(tx: EntityManager, id: string, rotated: RotatedCredential): Promise<void> {
    await tx.update(ClusterEntity, { id }, rotated);
  }

  /** Both credentials and both keys stop working at once; the cluster and its history stay. */
  async revokeCredential(tx: EntityManager, id: string, at: Date): Promise<void> {
    await tx.update(
      ClusterEntity,
      { id },
      {
        credentialRevokedAt: at,
        previousCredentialHash: null,
        previousSigningKey: null,
        previousValidUntil: null,
      },
    );
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
        credentialRevokedAt: null,
        previousCredentialHash: null,
        previousSigningKey: null,
        previousValidUntil: null,
      }),
    );
  }

  /** A re-registration: new credential and signing key, fresh facts and fact labels (operators' labels stay). */
  async reRegister(
    tx: EntityManager,
    id: string,
    changes: Pick<
      NewCluster,
      | 'labels'
      | 'facts'
      | 'agentVersion'
      | 'credentialHash'
      | 'signingKey'
      | 'credentialExpiresAt'
      | 'registeredWith'
    >,
  ): Promise<void> {
    // The sequence restarts with the new signing key: the agent's counter lives with its credential.
    // A revoked credential is replaced (registering again is how a revoked cluster comes back).
    await tx.update(
      ClusterEntity,
      { id },
      {
        ...changes,
        lastSeq: '-1',
        credentialRevokedAt: null,
        previousCredentialHash: null,
        previousSigningKey: null,
        previousValidUntil: null,
      },
    );
  }

  /**
   * One page in name order plus, unless `count` is false, the number of clusters the filter matches
   * (ignoring the cursor): one statement in plain SQL (the page of 100 of 10,000 is the dashboard's
   * fleet view; bench/README.md, issue 18). Asks for one row more than `limit` to tell whether a
   * next page exists without counting. The rows come as one JSON array, each row's object built
   * after the LIMIT: built below the sort, PostgreSQL made one for every matching cluster.
   */
  async page(request: ClusterPageRequest): Promise<{ rows: ClusterView[]; hasMore: boolean; total: number }> {
    const { sql, params } = pageSql(request);
    const manager = this.transactions.manager;
    const [text, values] = manager.connection.driver.escapeQueryWithParameters(sql, params);
    const [result] = await manager.query<[{ total: number | null; rows: ClusterViewJson[] }]>(text, values);
    const raw = result.rows;
    const rows = raw.slice(0, request.limit).map(clusterViewFromJson);
    return { rows, hasMore: raw.length > request.limit, total: result.total ?? 0 };
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
