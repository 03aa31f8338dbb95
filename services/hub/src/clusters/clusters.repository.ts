import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { ClusterEntity, type ClusterFacts } from './cluster.entity.js';

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

/** The only code that queries the cluster table. */
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

  findByCredentialHash(credentialHash: string): Promise<ClusterEntity | null> {
    return this.transactions.manager.findOne(ClusterEntity, { where: { credentialHash } });
  }

  insert(tx: EntityManager, cluster: NewCluster): Promise<ClusterEntity> {
    return tx.save(
      ClusterEntity,
      tx.create(ClusterEntity, { ...cluster, status: 'Pending', cordoned: false, lastSeq: '-1', lastHeartbeatAt: null }),
    );
  }

  /** A re-registration: new credential and signing key, fresh facts; labels stay the operator's. */
  async reRegister(
    tx: EntityManager,
    id: string,
    changes: Pick<NewCluster, 'facts' | 'agentVersion' | 'credentialHash' | 'signingKey' | 'registeredWith'>,
  ): Promise<void> {
    // The sequence restarts with the new signing key: the agent's counter lives with its credential.
    await tx.update(ClusterEntity, { id }, { ...changes, lastSeq: '-1' });
  }
}
