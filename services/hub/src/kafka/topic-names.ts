import { TOPICS } from '@fleetwave/contracts';
import { type HubConfig } from '../config/hub-config.js';

export interface HubTopics {
  reports: string;
  reportsDeadLetter: string;
  events: string;
  /** The report consumer group shared by this fleet's hub replicas. */
  reportsGroup: string;
  /** The notification consumer group shared by this fleet's hub replicas (each event recorded once). */
  notificationsGroup: string;
}

/** This hub's topic and group names: the contract names behind the configured prefix. */
export function hubTopics(config: HubConfig): HubTopics {
  const prefix = config.kafka.topicPrefix;
  return {
    reports: `${prefix}${TOPICS.reports}`,
    reportsDeadLetter: `${prefix}${TOPICS.reportsDeadLetter}`,
    events: `${prefix}${TOPICS.events}`,
    reportsGroup: `${prefix}fleetwave-hub-reports`,
    notificationsGroup: `${prefix}fleetwave-hub-notifications`,
  };
}
