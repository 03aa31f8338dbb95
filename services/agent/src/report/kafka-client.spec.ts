import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AgentConfigError, loadAgentConfig } from '../config/agent-config.js';
import { createAgentKafka } from './kafka-client.js';

const base = {
  AGENT_HUB_URL: 'https://hub.example.com',
  AGENT_KAFKA_BROKERS: 'kafka-0:9093',
  AGENT_CLUSTER_NAME: 'eu-west-1',
  AGENT_KAFKA_TLS: 'true',
  AGENT_KAFKA_SASL_MECHANISM: 'scram-sha-512',
  AGENT_KAFKA_SASL_USERNAME: 'agent',
};

describe('createAgentKafka', () => {
  it('stops with an AgentConfigError naming a password file that is not there, never a secret', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetwave-agent-kafka-'));
    const missing = path.join(dir, 'password');
    const config = loadAgentConfig({ ...base, AGENT_KAFKA_SASL_PASSWORD_FILE: missing });
    expect(() => createAgentKafka(config)).toThrow(AgentConfigError);
    expect(() => createAgentKafka(config)).toThrow(
      `AGENT_KAFKA_SASL_PASSWORD_FILE names ${missing}, which cannot be read (ENOENT)`,
    );
  });

  it('makes a client from readable files and the password variable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetwave-agent-kafka-'));
    const ca = path.join(dir, 'ca.crt');
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n');
    const env = {
      ...base,
      AGENT_KAFKA_TLS_CA_FILE: ca,
      AGENT_KAFKA_SASL_PASSWORD: 'hunter2',
    };
    expect(createAgentKafka(loadAgentConfig(env), env)).toBeDefined();
    expect(() => createAgentKafka(loadAgentConfig(env), { ...env, AGENT_KAFKA_SASL_PASSWORD: '' })).toThrow(
      'AGENT_KAFKA_SASL_PASSWORD is empty',
    );
  });
});
