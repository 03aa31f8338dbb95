import { type Admin } from 'kafkajs';
import { type HubConfig } from '../config/hub-config.js';
import { hubTopics } from './topic-names.js';

/**
 * Creates the hub's few shared topics if they are missing (idempotent; safe from every replica).
 * Reports get several partitions (keyed by cluster id, spread over replicas); the others are small.
 */
export async function ensureTopics(admin: Admin, config: HubConfig): Promise<void> {
  const topics = hubTopics(config);
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: topics.reports, numPartitions: config.reports.partitions },
    { topic: topics.reportsDeadLetter, numPartitions: 1 },
    { topic: topics.events, numPartitions: 3 },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length === 0) return;
  try {
    await admin.createTopics({ topics: wanted, waitForLeaders: true });
  } catch (error) {
    // Another replica may have created them between our list and create.
    if (!(error instanceof Error && /already exists/i.test(error.message))) throw error;
  }
}
