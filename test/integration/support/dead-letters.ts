import { randomUUID } from 'node:crypto';
import { type DeadLetter, decodeDeadLetter } from '@fleetwave/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { type HubConfig } from '../../../services/hub/src/config/hub-config.js';
import { hubTopics } from '../../../services/hub/src/kafka/topic-names.js';
import { waitFor } from '../../harness/wait-for.js';

/** The hub's report dead-letter topic, read from the beginning as letters arrive. */
export interface DeadLetterReader {
  readonly letters: DeadLetter[];
  stop(): Promise<void>;
}

/** Waits for the hub to create its topics, then collects every dead letter in `letters`. */
export async function readDeadLetters(config: HubConfig): Promise<DeadLetterReader> {
  const kafka = new Kafka({
    clientId: 'fleetwave-it-dlq',
    brokers: config.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });
  const topic = hubTopics(config).reportsDeadLetter;
  const admin = kafka.admin();
  await admin.connect();
  await waitFor(async () => (await admin.listTopics()).includes(topic), {
    description: 'the hub to create its topics',
    timeoutMs: 30_000,
  });
  await admin.disconnect();
  const letters: DeadLetter[] = [];
  const consumer = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const letter = decodeDeadLetter(message.value);
      if (letter) letters.push(letter);
    },
  });
  return { letters, stop: () => consumer.disconnect() };
}
