import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type Admin, type Consumer, Kafka } from 'kafkajs';
import { type Logger } from 'pino';
import { Gauge } from 'prom-client';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { commitThrough } from '../kafka/commit-through.js';
import { KAFKA_ADMIN } from '../kafka/kafka.module.js';
import { restartAfterCrash } from '../kafka/restart-after-crash.js';
import { hubTopics } from '../kafka/topic-names.js';
import { ensureTopics } from '../kafka/topics.js';
import { LOGGER } from '../logging/logging.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { BatchCoalescer } from './batch-coalescer.js';
import { ReportIngestService } from './report-ingest.service.js';
import { type IncomingMessage } from './report-judge.js';

/** Upper bound of reports per transaction: bounds lock time and statement size. */
const MAX_CHUNK = 1000;
/** Transactions at once (partitions hold disjoint clusters, so they never contend). */
const TRANSACTIONS_IN_PARALLEL = 3;
const FETCH_MIN_BYTES = 64 * 1024;
const FETCH_WAIT_MS = 250;

/**
 * The hub replicas' shared consumer group on fleetwave.reports.v1: partitions (keyed by cluster id)
 * are spread over replicas by Kafka. Offsets are committed only after a chunk's transaction
 * commits, so a crash redelivers instead of losing.
 */
@Injectable()
export class ReportConsumerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: Consumer | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly partitionsAssigned: Gauge<'partition'>;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(ReportIngestService) private readonly ingest: ReportIngestService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    // Per replica, so an operator (or a test) can see which replica ingests which clusters right now.
    this.partitionsAssigned = new Gauge({
      name: 'fleetwave_report_partitions_assigned',
      help: 'Partitions of the reports topic this replica consumes now: 1 per partition, sum() counts them.',
      labelNames: ['partition'] as const,
      registers: [metrics.registry],
    });
  }

  onApplicationBootstrap(): void {
    // In the background: a hub whose Kafka is down still serves its API and says not-ready.
    void this.start(1_000);
  }

  private async start(retryDelayMs: number): Promise<void> {
    if (this.stopped) return;
    const topics = hubTopics(this.config);
    const consumer = this.kafka.consumer({
      groupId: topics.reportsGroup,
      maxBytesPerPartition: 4 * 1024 * 1024,
      // A fetch waits up to FETCH_WAIT_MS for FETCH_MIN_BYTES: at a trickle of heartbeats, one fetch,
      // one transaction and one offset commit per partition carry many reports instead of one
      // each. Under load fetches fill at once and nothing waits.
      minBytes: FETCH_MIN_BYTES,
      maxWaitTimeInMs: FETCH_WAIT_MS,
      sessionTimeout: this.config.reports.consumerSessionTimeoutSeconds * 1000,
      // kafkajs wants heartbeats well inside the session timeout (its default ratio is 1:10).
      heartbeatInterval: Math.min(3000, (this.config.reports.consumerSessionTimeoutSeconds * 1000) / 3),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.partitionsAssigned.reset();
      for (const partition of payload.memberAssignment[topics.reports] ?? []) {
        this.partitionsAssigned.set({ partition: String(partition) }, 1);
      }
    });
    restartAfterCrash(consumer, {
      name: 'report consumer',
      logger: this.logger,
      stopped: () => this.stopped,
      start: () => this.start(retryDelayMs),
    });
    // A rebalance revokes every partition until the next join; a stopped consumer owns none.
    for (const event of [consumer.events.REBALANCING, consumer.events.STOP, consumer.events.CRASH]) {
      consumer.on(event, () => this.partitionsAssigned.reset());
    }
    // The partitions of one fetch share a transaction, up to MAX_CHUNK reports (BatchCoalescer): at
    // a trickle of heartbeats one transaction and one set of statements instead of one per partition.
    const coalescer = new BatchCoalescer<IncomingMessage>(
      async (messages) => void (await this.ingest.ingest(topics.reports, messages)),
      TRANSACTIONS_IN_PARALLEL,
      MAX_CHUNK,
    );
    try {
      await this.admin.connect();
      await ensureTopics(this.admin, this.config);
      await consumer.connect();
      await consumer.subscribe({ topic: topics.reports, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // Every partition of a fetch is handed over at once, so the coalescer can merge them.
        partitionsConsumedConcurrently: this.config.reports.partitions,
        eachBatch: async ({ batch, heartbeat, resolveOffset, isRunning, isStale }) => {
          for (let i = 0; i < batch.messages.length; i += MAX_CHUNK) {
            if (!isRunning() || isStale()) return;
            const chunk = batch.messages.slice(i, i + MAX_CHUNK);
            await coalescer.submit(
              chunk.map((m) => ({
                partition: batch.partition,
                offset: m.offset,
                key: m.key,
                value: m.value,
              })),
            );
            await commitThrough(consumer, batch, chunk[chunk.length - 1]!.offset, resolveOffset);
            await heartbeat();
          }
        },
      });
      // Shut down while starting (a restart after a crash, say): the shutdown's disconnect came
      // before this consumer connected, so it would run on after the hub closed.
      if (this.stopped) {
        await consumer.disconnect().catch(() => undefined);
        return;
      }
      this.logger.info({ groupId: topics.reportsGroup }, 'report consumer running');
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      if (this.stopped) return;
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error), retryDelayMs },
        'report consumer could not start; retrying',
      );
      this.retryTimer = setTimeout(() => void this.start(Math.min(retryDelayMs * 2, 30_000)), retryDelayMs);
    }
  }

  /**
   * Before any module shuts down (the database, the rollout scheduler, the producers): Kafka's
   * disconnect waits for the batch in flight, which must finish whole — transaction, signals,
   * metrics and offset commit — or a report applied here would be redelivered to the next replica
   * as a replay and counted nowhere.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.ingest.close();
  }
}
