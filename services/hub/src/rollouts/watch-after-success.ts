import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import { LOGGER } from '../logging/logging.module.js';
import { ClusterSignals } from '../reports/cluster-signals.js';
import { newDegradations, watchingUntil } from './engine/index.js';
import { RolloutFactory } from './rollout-factory.js';
import { RolloutScheduler } from './rollout-scheduler.js';
import { RolloutsRepository } from './rollouts.repository.js';

/**
 * Watch after success (plan `watchSeconds`): while a Succeeded rollout is watched, a member cluster
 * whose report about the rollout's bundle degrades is recorded once with a
 * `rollout.degradedAfterSuccess` event (notifications select it), and with
 * `rollbackOnWatchFailure` the rollout is rolled back through the rollback path a failed pass uses.
 * Looked at when a member reports and every pass interval; the window is read on the hub clock.
 */
@Injectable()
export class WatchAfterSuccess implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void) | undefined;
  private periodic: NodeJS.Timeout | undefined;
  /** Checks run one after another on this replica (each also holds the rollout's row lock). */
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly log: Logger;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(RolloutFactory) private readonly factory: RolloutFactory,
    @Inject(RolloutScheduler) private readonly scheduler: RolloutScheduler,
    @Inject(ClusterSignals) private readonly signals: ClusterSignals,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'watch-after-success' });
  }

  onApplicationBootstrap(): void {
    // A degraded report moves its pair's phase: the clusters of moved pairs, and any whose own status moved.
    this.unsubscribe = this.signals.subscribe(
      (signal) =>
        void this.enqueue([...new Set([...signal.clusterIds, ...signal.placements.map((p) => p.clusterId)])]),
    );
    this.periodic = setInterval(() => void this.enqueue(), this.config.rollouts.passIntervalSeconds * 1000);
    this.periodic.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearInterval(this.periodic);
    await this.chain;
  }

  /**
   * Looks at every watched rollout (or those with one of `clusterIds` as a member) once, after the
   * checks already queued; resolves when done (tests await it instead of waiting).
   */
  check(clusterIds?: readonly string[]): Promise<void> {
    return this.enqueue(clusterIds);
  }

  private enqueue(clusterIds?: readonly string[]): Promise<void> {
    if (this.stopped) return this.chain;
    this.chain = this.chain.then(() => this.checkNow(clusterIds));
    return this.chain;
  }

  private async checkNow(clusterIds?: readonly string[]): Promise<void> {
    try {
      const ids = await this.rollouts.watchedIds(this.clock.now(), clusterIds);
      for (const id of ids) {
        const started = await this.checkOne(id);
        if (started.length > 0) this.scheduler.request(started);
      }
    } catch (error) {
      // The next report or the periodic check looks again; nothing was written unless committed.
      this.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'watch check failed');
    }
  }

  /** One watched rollout under its row lock; returns the rollback it started, if any. */
  private checkOne(id: string): Promise<string[]> {
    return this.audited.run(async (tx) => {
      const rollout = await this.rollouts.lock(tx, id);
      const none = { result: [], events: [] };
      if (rollout === null) return none;
      const now = this.clock.now();
      const until = watchingUntil(rollout, rollout.plan.watchSeconds);
      const clusters = until === null ? [] : await this.rollouts.watchedClusters(tx, rollout);
      const found = newDegradations(until, now, clusters, rollout.watchDegraded);
      if (found.length === 0) return none;
      await this.rollouts.recordDegradations(tx, rollout.id, found);
      const events: NewEvent[] = found.map((d) => ({
        actor: 'engine',
        action: 'rollout.degradedAfterSuccess',
        targetKind: 'rollout',
        targetId: rollout.id,
        after: {
          application: rollout.applicationName,
          commit: rollout.commit,
          cluster: d.cluster,
          clusterId: d.clusterId,
          reason: d.reason,
          watchingUntil: until!.toISOString(),
        },
      }));
      const started: string[] = [];
      // Once: a rollout rolled back already (by the watch or an operator) is not rolled back again.
      if (rollout.plan.rollbackOnWatchFailure === true && rollout.rolledBackBy === null) {
        const app = await this.applications.lockById(tx, rollout.applicationId);
        if (app !== null && app.deletion === null) {
          const members = await this.rollouts.clusters(rollout, tx);
          const rollback = await this.factory.automaticRollback(tx, app, rollout, members);
          if (rollback.id !== null) started.push(rollback.id);
          events.push(...rollback.events);
        }
      }
      return { result: started, events };
    });
  }
}
