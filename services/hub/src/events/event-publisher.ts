import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Partitioners, type Producer } from 'kafkajs';
import { type Logger } from 'pino';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { hubTopics } from '../kafka/topic-names.js';
import { LOGGER } from '../logging/logging.module.js';
import { type EventEntity } from './event.entity.js';

/**
 * Publishes committed audit events on fleetwave.events.v1 so every hub replica can feed its
 * GraphQL subscriptions. The Postgres row is the record; a publish that fails is logged and the
 * mutation still succeeds (subscribers miss a live update, nothing is lost from the trail).
 */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private producer: Producer | undefined;
  private connecting: Promise<void> | undefined;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async publish(events: EventEntity[]): Promise<void> {
    if (events.length === 0) return;
    try {
      const producer = await this.connected();
      await producer.send({
        topic: hubTopics(this.config).events,
        messages: events.map((e) => ({
          key: `${e.targetKind}:${e.targetId}`,
          value: JSON.stringify(toMessage(e)),
        })),
      });
    } catch (error) {
      this.logger.warn({ err: errorMessage(error), events: events.length }, 'could not publish events');
    }
  }

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      this.connecting = this.producer.connect();
    }
    try {
      await this.connecting;
    } catch (error) {
      this.producer = undefined;
      throw error;
    }
    return this.producer;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect().catch(() => undefined);
  }
}

export function toMessage(e: EventEntity) {
  return {
    v: 1 as const,
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: e.actor,
    action: e.action,
    target: { kind: e.targetKind, id: e.targetId },
    project: e.project ?? undefined,
    before: e.before ?? undefined,
    after: e.after ?? undefined,
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
