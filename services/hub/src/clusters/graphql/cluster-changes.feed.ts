import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { decodeHubEvent, type HubEvent } from '@fleetwave/contracts';
import { type FastifyInstance } from 'fastify';
import { type Admin, type Consumer, type EachBatchPayload, Kafka } from 'kafkajs';
import { type Logger } from 'pino';
import { AgentCredentialCache } from '../agent-credential-cache.js';
import { type ClusterSnapshot, ClustersService } from '../clusters.service.js';
import { HUB_CONFIG } from '../../config/config.module.js';
import { type HubConfig } from '../../config/hub-config.js';
import { IDLE_FETCH_WAIT_MS } from '../../kafka/fetch-wait.js';
import { KAFKA_ADMIN } from '../../kafka/kafka.module.js';
import { hubTopics } from '../../kafka/topic-names.js';
import { ensureTopics } from '../../kafka/topics.js';
import { LOGGER } from '../../logging/logging.module.js';
import { type ClusterChangeModel, snapshotToClusterModel, toClusterModel } from './cluster.model.js';

/** The mercurius pubsub topic clusterChanged subscribers listen on (local to this replica). */
export const CLUSTER_CHANGED_TOPIC = 'clusterChanged';
/** The mercurius pubsub topic rolloutChanged subscribers listen on (local to this replica). */
export const ROLLOUT_CHANGED_TOPIC = 'rolloutChanged';

/** What the feed publishes on ROLLOUT_CHANGED_TOPIC: that a rollout changed (subscribers load it). */
export interface RolloutChangedSignal {
  rolloutId: string;
  /** The last of the batch's events about it, e.g. rollout.progressed. */
  action: string;
  actor: string;
  occurredAt: Date;
}

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

interface PubSubPublisher {
  publish(event: { topic: string; payload: unknown }, callback?: (error?: unknown) => void): void;
}

/**
 * Feeds GraphQL subscriptions from `fleetwave.events.v1` (behind the configured topic prefix). Every
 * replica consumes every event: its consumer group is its own (`fleetwave-hub-events-<uuid>`), starts at the newest offset and
 * commits nothing, so a restarted replica neither replays history nor leaves offsets behind. For
 * each batch it loads the clusters concerned in one query and publishes their current state to
 * this replica's mercurius pubsub; selectors are applied per subscriber. Rollout events become one
 * RolloutChangedSignal per rollout and batch (no query here: subscribers of that rollout load it).
 *
 * Kafka being down never blocks start-up: creating the topics and joining retry in the background
 * (1 s doubling to 30 s), and a consumer that crashes for good is rebuilt the same way.
 */
@Injectable()
export class ClusterChangesFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: Consumer | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;
  private markJoined!: () => void;
  private readonly joined = new Promise<void>((resolve) => (this.markJoined = resolve));
  private readonly log: Logger;

  constructor(
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(ClustersService) private readonly clusters: ClustersService,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(AgentCredentialCache) private readonly credentialCache: AgentCredentialCache,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'cluster-changes-feed' });
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Resolves once the consumer has joined its group (for tests and diagnostics). */
  whenJoined(): Promise<void> {
    return this.joined;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.stopConsumer();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.start(), delayMs);
    this.retryTimer.unref();
  }

  private async start(): Promise<void> {
    if (this.stopped) return;
    try {
      const topics = hubTopics(this.config);
      await this.admin.connect();
      await ensureTopics(this.admin, this.config);
      const consumer = this.kafka.consumer({
        groupId: `${this.config.kafka.topicPrefix}fleetwave-hub-events-${randomUUID()}`,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: IDLE_FETCH_WAIT_MS,
      });
      this.consumer = consumer;
      consumer.on(consumer.events.GROUP_JOIN, () => this.markJoined());
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (payload.restart || this.stopped) return;
        this.log.warn({ err: payload.error.message }, 'events consumer stopped; rebuilding it');
        void this.stopConsumer().then(() => this.retryLater());
      });
      await consumer.connect();
      await consumer.subscribe({ topic: topics.events, fromBeginning: false });
      await consumer.run({ autoCommit: false, eachBatch: (batch) => this.onBatch(batch) });
      if (this.stopped) await this.stopConsumer();
      this.attempts = 0;
    } catch (error) {
      if (this.stopped) return;
      this.log.warn(
        { err: errorMessage(error) },
        'cannot consume cluster events yet (Kafka unreachable?); retrying',
      );
      await this.stopConsumer();
      this.retryLater();
    }
  }

  private retryLater(): void {
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.attempts);
    this.attempts = Math.min(this.attempts + 1, 10);
    this.schedule(delay);
  }

  private async stopConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect().catch(() => undefined);
  }

  private async onBatch({ batch }: EachBatchPayload): Promise<void> {
    const decoded = batch.messages
      .map((message) => decodeHubEvent(message.value))
      .filter((event): event is HubEvent => event !== undefined);
    this.publishRollouts(decoded.filter((event) => event.target.kind === 'rollout'));
    const events = decoded.filter((event) => event.target.kind === 'cluster');
    if (events.length === 0) return;
    // A cluster changed on some replica (revoked, rotated, registered again…): its agent's next
    // request here reads its row again instead of the cached lookup.
    this.credentialCache.forgetClusters(events.map((event) => event.target.id));
    try {
      await this.publish(events);
    } catch (error) {
      // Subscribers miss these live updates; the audit trail in Postgres is unaffected.
      this.log.warn({ err: errorMessage(error), events: events.length }, 'could not deliver cluster changes');
    }
  }

  private async publish(events: HubEvent[]): Promise<void> {
    const pubsub = this.pubsub();
    if (!pubsub) return;
    const live = [...new Set(events.filter((e) => !isDeletion(e)).map((e) => e.target.id))];
    const current = new Map((await this.clusters.findByIds(live)).map((c) => [c.id, c]));
    for (const event of events) {
      const row = current.get(event.target.id);
      const snapshot = isDeletion(event) ? parseSnapshot(event.before) : undefined;
      // A cluster this hub's database does not know (deleted since, or another fleet's event): skip.
      const cluster = row ? toClusterModel(row) : snapshot ? snapshotToClusterModel(snapshot) : undefined;
      if (!cluster) continue;
      const payload: ClusterChangeModel = {
        action: event.action,
        actor: event.actor,
        occurredAt: new Date(event.occurredAt),
        cluster,
      };
      pubsub.publish({ topic: CLUSTER_CHANGED_TOPIC, payload });
    }
  }

  /** One signal per rollout (its latest event in the batch): subscribers load its current state once. */
  private publishRollouts(events: HubEvent[]): void {
    if (events.length === 0) return;
    const pubsub = this.pubsub();
    if (!pubsub) return;
    const latest = new Map<string, HubEvent>();
    for (const event of events) latest.set(event.target.id, event);
    for (const event of latest.values()) {
      const payload: RolloutChangedSignal = {
        rolloutId: event.target.id,
        action: event.action,
        actor: event.actor,
        occurredAt: new Date(event.occurredAt),
      };
      pubsub.publish({ topic: ROLLOUT_CHANGED_TOPIC, payload });
    }
  }

  private pubsub(): PubSubPublisher | undefined {
    const fastify = this.adapterHost.httpAdapter?.getInstance<
      FastifyInstance & { graphql?: { pubsub?: PubSubPublisher } }
    >();
    return fastify?.graphql?.pubsub;
  }
}

function isDeletion(event: HubEvent): boolean {
  return event.action === 'cluster.deregistered';
}

/** The last state a deregistration recorded (see ClustersService.deregister); undefined if not usable. */
function parseSnapshot(value: unknown): ClusterSnapshot | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Partial<Record<keyof ClusterSnapshot, unknown>>;
  const ok =
    typeof s.id === 'string' &&
    typeof s.name === 'string' &&
    typeof s.labels === 'object' &&
    s.labels !== null &&
    typeof s.status === 'string' &&
    typeof s.cordoned === 'boolean' &&
    typeof s.createdAt === 'string';
  return ok ? (value as ClusterSnapshot) : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
