import { readFileSync } from 'node:fs';
import { kafkaConnectionOptions, KafkaSecurityError } from '@fleetwave/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { type AgentConfig, AgentConfigError } from '../config/agent-config.js';

/**
 * The agent's kafkajs client, TLS and SASL included. The CA, client certificate and password are
 * read here, once: one that cannot be read is an AgentConfigError naming the variable and file.
 */
export function createAgentKafka(
  config: Pick<AgentConfig, 'clusterName' | 'kafkaBrokers' | 'kafkaSecurity'>,
  env: NodeJS.ProcessEnv = process.env,
): Kafka {
  let security;
  try {
    security = kafkaConnectionOptions(config.kafkaSecurity, {
      readFile: (file) => readFileSync(file, 'utf8'),
      variable: (name) => env[name],
    });
  } catch (error) {
    if (error instanceof KafkaSecurityError) throw new AgentConfigError(error.problems);
    throw error;
  }
  return new Kafka({
    clientId: `fleetwave-agent-${config.clusterName}`,
    brokers: config.kafkaBrokers,
    ...security,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
  });
}
