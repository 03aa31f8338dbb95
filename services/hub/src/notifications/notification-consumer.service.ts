import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { decodeHubEvent, type HubEvent } from '@fleetwave/contracts';
import { type Admin, type Consumer, Kafka } from 'kafkajs';
import { type Logger } from 'pino';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { commitThrough } from '../kafka/commit-through.js';
import { IDLE_FETCH_WAIT_MS } from '../kafka/fetch-wait.js';
import { KAFKA_ADMIN } from '../kafka/kafka.module.js';
import { restartAfterCrash } from '../kafka/restart-after-crash.js';
import { hubTopics } from '../kafka/topic-names.js';
import { ensureTopics } from '../kafka/topics.js';
import { LOGGER } from '../logging/logging.module.js';
import { DeliveryWorker } from './delivery-worker.service.js';
import { planDeliveries } from './delivery-plan.js';
import { NotificationsRepository } from './notifications.repository.js';

/**
 * The hub replicas' notification consumer group on fleetwave.events.v1: it only records the
 * deliveries each event is due (idempotent per event × subscription) and commits the offsets after
 * that; sending is the DeliveryWorker's. A crash redelivers a batch, which records nothing twice:
 * at least once from the topic, never blocking the engine that published.
 */
@Injectable()
export class NotificationConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: Consumer | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(NotificationsRepository) private readonly notifications: NotificationsRepository,
    @Inject(DeliveryWorker) private readonly worker: DeliveryWorker,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: a hub whose Kafka is down still starts.
    void this.start(1_000);
  }

  /** Drained before any module shuts down, so the batch in flight finishes whole (as reports do). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.consumer?.disconnect().catch(() => undefined);
  }

  /** Records the deliveries a batch of events is due; returns how many are new. */
  async record(events: readonly HubEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const planned = planDeliveries(events, await this.notifications.subscriptions());
    const recorded = await this.notifications.recordDeliveries(planned, this.clock.now());
    if (recorded > 0) this.worker.kick();
    return recorded;
  }

  private async start(retryDelayMs: number): Promise<void> {
    if (this.stopped) return;
    const topics = hubTopics(this.config);
    const consumer = this.kafka.consumer({
      groupId: topics.notificationsGroup,
      maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
    });
    this.consumer = consumer;
    restartAfterCrash(consumer, {
      name: 'notification consumer',
      logger: this.logger,
      stopped: () => this.stopped,
      start: () => this.start(retryDelayMs),
    });
    try {
      await this.admin.connect();
      await ensureTopics(this.admin, this.config);
      await consumer.connect();
      // From the beginning for a new group: events before a subscription's creation are skipped
      // (planDeliveries), so nothing old is sent and nothing published while the group forms is lost.
      await consumer.subscribe({ topic: topics.events, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          if (!isRunning() || isStale() || batch.messages.length === 0) return;
          const events = batch.messages
            .map((m) => decodeHubEvent(m.value))
            .filter((e): e is HubEvent => e !== undefined);
          await this.record(events);
          await commitThrough(
            consumer,
            batch,
            batch.messages[batch.messages.length - 1]!.offset,
            resolveOffset,
          );
          await heartbeat();
        },
      });
      this.logger.info({ groupId: topics.notificationsGroup }, 'notification consumer running');
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error), retryDelayMs },
        'notification consumer could not start; retrying',
      );
      this.retryTimer = setTimeout(() => void this.start(Math.min(retryDelayMs * 2, 30_000)), retryDelayMs);
    }
  }
}
