import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type NewEvent } from '../events/events.repository.js';
import { AssignmentNotifier } from './assignment-notifier.js';
import { AssignmentsRepository, type WithdrawalWrite } from './assignments.repository.js';

/**
 * Withdrawing an application from clusters and reading their confirmations, each in the caller's
 * transaction, with the long-polling agents woken on commit and the audit events to append:
 * `placement.withdrawn` (who, which cluster, why, the deletion policy) and `placement.removed`
 * (the cluster's report confirmed it). Both are events of the application, so its audit trail shows
 * where it went and left.
 */
@Injectable()
export class Withdrawals {
  constructor(
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(AssignmentNotifier) private readonly notifier: AssignmentNotifier,
  ) {}

  async withdraw(
    tx: EntityManager,
    application: { id: string; name: string },
    writes: readonly WithdrawalWrite[],
    actor: string,
    now = new Date(),
  ): Promise<NewEvent[]> {
    if (writes.length === 0) return [];
    const clusterNames = await this.assignments.withdraw(tx, application, writes, actor, now);
    await this.notifier.notify(
      tx,
      writes.map((w) => w.clusterId),
    );
    return writes.map((w) => ({
      actor,
      action: 'placement.withdrawn',
      targetKind: 'application' as const,
      targetId: application.id,
      after: {
        application: application.name,
        cluster: clusterNames.get(w.clusterId) ?? null,
        clusterId: w.clusterId,
        reason: w.reason,
        deletionPolicy: w.deletionPolicy,
      },
    }));
  }

  /**
   * Status reports listed these applications in `removed`: the matching tombstones go (names the
   * cluster has none of are ignored) and their clusters are woken to read the shorter list.
   */
  async confirm(
    tx: EntityManager,
    removed: readonly { clusterId: string; applications: readonly string[] }[],
  ): Promise<NewEvent[]> {
    const confirmed = await this.assignments.confirmRemoved(tx, removed);
    await this.notifier.notify(tx, [...new Set(confirmed.map((c) => c.clusterId))]);
    return confirmed.map((c) => ({
      actor: `cluster:${c.clusterId}`,
      action: 'placement.removed',
      targetKind: 'application' as const,
      targetId: c.applicationId,
      after: {
        application: c.application,
        clusterId: c.clusterId,
        reason: c.reason,
        deletionPolicy: c.deletionPolicy,
      },
    }));
  }
}
