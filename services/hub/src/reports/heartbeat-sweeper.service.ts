import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { LOGGER } from '../logging/logging.module.js';
import { ClusterSignals } from './cluster-signals.js';
import { ReportsRepository, type StatusChange } from './reports.repository.js';

/**
 * Moves silent clusters to Unknown after N missed heartbeats and to Offline later, by the hub's
 * own clock. Safe on every replica at once (SKIP LOCKED, and a transition happens only once).
 */
@Injectable()
export class HeartbeatSweeperService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ReportsRepository) private readonly reports: ReportsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ClusterSignals) private readonly signals: ClusterSignals,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'heartbeat sweep failed',
        ),
      );
    }, this.config.reports.sweepIntervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<StatusChange[]> {
    const { heartbeatIntervalSeconds, missedHeartbeatsUnknown, offlineAfterSeconds } = this.config.reports;
    const unknownBefore = new Date(now.getTime() - heartbeatIntervalSeconds * missedHeartbeatsUnknown * 1000);
    const offlineBefore = new Date(now.getTime() - offlineAfterSeconds * 1000);
    const changes = await this.audited.run(async (tx) => {
      const changes = await this.reports.markSilentClusters(tx, unknownBefore, offlineBefore);
      const events = changes.map((c) => ({
        actor: 'hub:heartbeat-sweeper',
        action: 'cluster.statusChanged',
        targetKind: 'cluster' as const,
        targetId: c.clusterId,
        before: { status: c.before },
        after: { status: c.after },
      }));
      return { result: changes, events };
    });
    this.signals.emit({ clusterIds: changes.map((c) => c.clusterId), placements: [] });
    return changes;
  }
}
