import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Admin, type Consumer, Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { waitFor } from '../harness/wait-for.js';
import { kafkaBrokers, uniqueTopic } from './support/backing-services.js';

interface Received {
  partition: number;
  key: string;
  value: string;
}

describe('kafkajs against a real Apache Kafka broker', () => {
  const kafka = new Kafka({ clientId: 'fleetwave-it', brokers: kafkaBrokers(), logLevel: logLevel.WARN });
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  /**
   * A consumer that commits an offset only after it has "processed" the message, as the hub's
   * report consumer commits only after its database transaction.
   */
  async function startConsumer(groupId: string, topic: string, sink: Received[]): Promise<Consumer> {
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic: t, partition, message }) => {
        await consumer.commitOffsets([
          { topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() },
        ]);
        sink.push({ partition, key: message.key!.toString(), value: message.value!.toString() });
      },
    });
    return consumer;
  }

  function batch(from: number, to: number) {
    return Array.from({ length: to - from }, (_, i) => ({
      key: `cluster-${(from + i) % 5}`,
      value: `report-${from + i}`,
    }));
  }

  it('round-trips keyed messages through a consumer group, and a restarted consumer resumes from the committed offset', async () => {
    const topic = uniqueTopic('fleetwave.it.roundtrip');
    const groupId = `${topic}.group`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });

    const firstRun: Received[] = [];
    let consumer = await startConsumer(groupId, topic, firstRun);
    await producer.send({ topic, messages: batch(0, 30) });
    await waitFor(() => firstRun.length >= 30, {
      description: '30 messages in the first run',
      timeoutMs: 30_000,
    });
    await consumer.disconnect();

    // While no consumer runs, more reports arrive.
    await producer.send({ topic, messages: batch(30, 50) });

    const secondRun: Received[] = [];
    consumer = await startConsumer(groupId, topic, secondRun);
    await waitFor(() => secondRun.length >= 20, {
      description: '20 messages after the restart',
      timeoutMs: 30_000,
    });
    await consumer.disconnect();

    // No loss and no redelivery: the restart picked up exactly where the committed offsets were.
    expect(firstRun.map((m) => m.value).sort()).toEqual(
      batch(0, 30)
        .map((m) => m.value)
        .sort(),
    );
    expect(secondRun.map((m) => m.value).sort()).toEqual(
      batch(30, 50)
        .map((m) => m.value)
        .sort(),
    );
    // Same key, same partition: the ordering guarantee the hub relies on for per-cluster sequence numbers.
    const partitionsByKey = new Map<string, Set<number>>();
    for (const m of [...firstRun, ...secondRun]) {
      partitionsByKey.set(m.key, (partitionsByKey.get(m.key) ?? new Set()).add(m.partition));
    }
    expect([...partitionsByKey.values()].every((set) => set.size === 1)).toBe(true);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = committed[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(total).toBe(50);
  });

  it('keeps per-key order within a partition', async () => {
    const topic = uniqueTopic('fleetwave.it.order');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const received: Received[] = [];
    const consumer = await startConsumer(`${topic}.group`, topic, received);
    for (let i = 0; i < 20; i++) {
      await producer.send({ topic, messages: [{ key: 'cluster-a', value: String(i) }] });
    }
    await waitFor(() => received.length >= 20, { description: '20 ordered messages', timeoutMs: 30_000 });
    await consumer.disconnect();
    expect(received.map((m) => Number(m.value))).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
