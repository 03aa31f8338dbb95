import { Inject, Injectable } from '@nestjs/common';
import { type DeletionPolicy } from '@fleetwave/contracts';
import { type Logger } from 'pino';
import { type EntityManager } from 'typeorm';
import { type ApplicationRecord, ApplicationsRepository } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { AssignmentsRepository, type WithdrawalWrite } from '../assignments/assignments.repository.js';
import { Withdrawals } from '../assignments/withdrawals.js';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { clusterSnapshot } from '../clusters/clusters.service.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import { LOGGER } from '../logging/logging.module.js';
import { type WithdrawalState, withdrawalsNeeded } from './engine/index.js';
import { RolloutsRepository } from './rollouts.repository.js';

/** Who the audit trail says ended a placement the hub saw end (labels, target, deregistration). */
const ACTOR = 'placement';

/**
 * Ends placements, explicitly, as part of every catch-up lane sweep: for each application with a
 * placement that may have ended (assigned somewhere, in a running rollout, or being deleted) the
 * pure `withdrawalsNeeded` says which clusters left and why; under the application's row lock and
 * its unfinished rollouts' locks, those clusters leave the rollouts (skipped: a leaving cluster never
 * blocks a rollout, and is not assigned by it later) and their assignments become withdrawals
 * (tombstones the agents are sent until they confirm). Then a Deleting application with nothing left
 * to confirm is marked deleted, and a Deregistering cluster with nothing left is deleted.
 */
@Injectable()
export class WithdrawalSweep {
  private readonly log: Logger;

  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(ApplicationsService) private readonly applicationsService: ApplicationsService,
    @Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository,
    @Inject(Withdrawals) private readonly withdrawals: Withdrawals,
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'withdrawal-sweep' });
  }

  /** One look; returns the rollouts clusters left (they need a pass). */
  async sweep(): Promise<string[]> {
    const ids = new Set([
      ...(await this.assignments.assignedApplicationIds()),
      ...(await this.rollouts.laneApplicationIds()),
      ...(await this.applications.deletingIds()),
    ]);
    const left: string[] = [];
    for (const id of ids) {
      try {
        left.push(...(await this.endPlacements(id)));
      } catch (error) {
        this.log.warn({ err: message(error), application: id }, 'cannot withdraw ended placements');
      }
    }
    for (const cluster of await this.clusters.deregistering()) {
      try {
        await this.finishDeregistration(cluster.name);
      } catch (error) {
        this.log.warn({ err: message(error), cluster: cluster.id }, 'cannot finish deregistration');
      }
    }
    return left;
  }

  private async endPlacements(applicationId: string): Promise<string[]> {
    const app = await this.applications.findById(applicationId);
    if (app === null || app.deletedAt !== null) return [];
    const before = withdrawalsNeeded((await this.state(app, this.audited.manager)).state);
    if (before.withdraw.length === 0 && before.leave.length === 0 && app.deletion === null) return [];
    return this.audited.run(async (tx) => {
      const locked = await this.applications.lockById(tx, applicationId);
      if (locked === null || locked.deletedAt !== null) return { result: [], events: [] };
      // The rollouts' locks first: a pass that assigned clusters has committed before they are read.
      const active = await this.rollouts.lockActiveOfApplication(tx, applicationId);
      const { state, policies, members } = await this.state(locked, tx);
      const needs = withdrawalsNeeded(state);
      const events: NewEvent[] = [];
      const leaving = new Set(needs.leave);
      const left = new Set<string>();
      for (const member of members) {
        if (!leaving.has(member.clusterId) || !active.some((r) => r.id === member.rolloutId)) continue;
        await this.rollouts.skipCluster(tx, member.rolloutId, member.clusterId);
        left.add(member.rolloutId);
        events.push({
          actor: ACTOR,
          action: 'rollout.clusterLeft',
          targetKind: 'rollout',
          targetId: member.rolloutId,
          after: { clusterId: member.clusterId, reason: 'the cluster left the placement' },
        });
      }
      const writes: WithdrawalWrite[] = needs.withdraw.map((w) => ({
        clusterId: w.clusterId,
        reason: w.reason,
        deletionPolicy:
          w.reason === 'deleted'
            ? locked.deletion!.policy
            : w.reason === 'deregistered'
              ? policies.get(w.clusterId)!
              : locked.deletionPolicy,
      }));
      const actor = locked.deletion?.requestedBy ?? ACTOR;
      events.push(...(await this.withdrawals.withdraw(tx, locked, writes, actor)));
      const finished = await this.applicationsService.finishDeletion(tx, locked, new Date());
      if (finished !== null) events.push(finished.event);
      return { result: [...left], events };
    });
  }

  /** The application's placements as `withdrawalsNeeded` reads them, in `tx`. */
  private async state(app: ApplicationRecord, tx: EntityManager) {
    const assigned = await this.assignments.assignedClusters(app.id, tx);
    const members = await this.rollouts.activeMembers(app.id, tx);
    const state: WithdrawalState = {
      target: app.targetSelector,
      deleting: app.deletion !== null,
      editedAt: app.updatedAt,
      assigned: assigned.map((a) => ({
        cluster: { id: a.clusterId, labels: a.labels, deregistering: a.deregistrationPolicy !== null },
        assignedAt: a.assignedAt,
      })),
      members: members.map((m) => ({ id: m.clusterId, labels: m.labels, deregistering: m.deregistering })),
    };
    const policies = new Map<string, DeletionPolicy>();
    for (const a of assigned)
      if (a.deregistrationPolicy !== null) policies.set(a.clusterId, a.deregistrationPolicy);
    return { state, policies, members };
  }

  /** A Deregistering cluster with no assignment and no unconfirmed withdrawal left is deleted. */
  private async finishDeregistration(name: string): Promise<void> {
    await this.audited.run(async (tx) => {
      const cluster = await this.clusters.findByNameForUpdate(tx, name);
      if (cluster === null || cluster.deregistrationRequestedAt === null) return { result: null, events: [] };
      if ((await this.assignments.remainingForCluster(cluster.id, tx)) > 0)
        return { result: null, events: [] };
      await this.clusters.delete(tx, cluster.id);
      return {
        result: null,
        events: [
          {
            actor: cluster.deregistrationRequestedBy ?? ACTOR,
            action: 'cluster.deregistered',
            targetKind: 'cluster',
            targetId: cluster.id,
            before: clusterSnapshot(cluster),
            after: { deletionPolicy: cluster.deregistrationPolicy },
          },
        ],
      };
    });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
