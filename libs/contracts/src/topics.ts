/**
 * Kafka topic names: the one place they are spelled. A few shared topics keyed by cluster id,
 * never a topic per cluster (Maestro broke at 20,000 topics).
 */
export const TOPICS = {
  /** Agent → hub: heartbeats and status reports, key = cluster id. */
  reports: 'fleetwave.reports.v1',
  /** Reports the hub could not accept, with the reason. */
  reportsDeadLetter: 'fleetwave.reports.dlq.v1',
  /** Hub → hub replicas: every state change, feeding GraphQL subscriptions on any replica. */
  events: 'fleetwave.events.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];
