import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { Transactions } from '../database/transactions.js';
import { LOGGER } from '../logging/logging.module.js';
import { EventsRepository } from './events.repository.js';

const DAY_MS = 86_400_000;

/**
 * Expires the audit trail after HUB_EVENT_RETENTION_DAYS (0, the default, keeps it forever), on
 * the garbage collector's interval and batch size. Replicas may expire at once: deleting by id is
 * idempotent, so no lock is needed.
 */
@Injectable()
export class EventRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(EventsRepository) private readonly events: EventsRepository,
    @Inject(Transactions) private readonly transactions: Transactions,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.gc.eventRetentionDays === 0) return;
    this.timer = setInterval(() => {
      this.expire().catch((error: unknown) =>
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'could not expire audit events; will retry',
        ),
      );
    }, this.config.gc.intervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  /** Deletes every event older than the retention period at the hub's now; returns how many. */
  expire(): Promise<number> {
    const run = this.running.catch(() => undefined).then(() => this.expireOnce());
    this.running = run;
    return run;
  }

  private async expireOnce(): Promise<number> {
    const days = this.config.gc.eventRetentionDays;
    if (days === 0) return 0;
    const before = new Date(this.clock.now().getTime() - days * DAY_MS);
    const batch = this.config.gc.batchSize;
    let deleted = 0;
    for (;;) {
      const n = await this.events.deleteOlderThan(this.transactions.manager, before, batch);
      deleted += n;
      if (n < batch) break;
    }
    if (deleted > 0) this.logger.info({ deleted, before }, 'expired audit events');
    return deleted;
  }
}
