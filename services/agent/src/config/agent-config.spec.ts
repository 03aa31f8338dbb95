import { describe, expect, it } from '@jest/globals';
import { AgentConfigError, loadAgentConfig } from './agent-config.js';

const valid = {
  AGENT_HUB_URL: 'https://hub.example.com/',
  AGENT_KAFKA_BROKERS: 'kafka-0:9092',
  AGENT_CLUSTER_NAME: 'eu-west-1',
  AGENT_CLUSTER_LABELS: 'env=prod, region=eu',
};

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadAgentConfig(env);
  } catch (error) {
    if (error instanceof AgentConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an AgentConfigError');
}

describe('loadAgentConfig', () => {
  it('parses labels and trims the hub URL', () => {
    const config = loadAgentConfig(valid);
    expect(config.hubUrl).toBe('https://hub.example.com');
    expect(config.clusterLabels).toEqual({ env: 'prod', region: 'eu' });
    expect(config.namespace).toBe('fleetwave-system');
    expect(config.registrationToken).toBeUndefined();
    expect(config.kafkaSecurity).toEqual({ prefix: 'AGENT_KAFKA_', tls: null, sasl: null });
  });

  it('reads Kafka TLS and SASL settings as references', () => {
    const config = loadAgentConfig({
      ...valid,
      AGENT_KAFKA_TLS: 'true',
      AGENT_KAFKA_TLS_CA_FILE: '/etc/fleetwave/kafka-ca/ca.crt',
      AGENT_KAFKA_TLS_SERVER_NAME: 'kafka.fleetwave.example',
      AGENT_KAFKA_SASL_MECHANISM: 'scram-sha-256',
      AGENT_KAFKA_SASL_USERNAME: 'agent-eu-west-1',
      AGENT_KAFKA_SASL_PASSWORD_FILE: '/etc/fleetwave/kafka-sasl/password',
    });
    expect(config.kafkaSecurity).toEqual({
      prefix: 'AGENT_KAFKA_',
      tls: {
        caFile: '/etc/fleetwave/kafka-ca/ca.crt',
        certFile: null,
        keyFile: null,
        serverName: 'kafka.fleetwave.example',
        rejectUnauthorized: true,
      },
      sasl: {
        mechanism: 'scram-sha-256',
        username: 'agent-eu-west-1',
        password: { file: '/etc/fleetwave/kafka-sasl/password' },
      },
    });
  });

  it.each([
    ['a missing hub URL', { AGENT_HUB_URL: undefined }, 'AGENT_HUB_URL is required'],
    ['a hub URL without scheme', { AGENT_HUB_URL: 'hub:8080' }, 'AGENT_HUB_URL must be an http(s) URL'],
    [
      'an invalid cluster name',
      { AGENT_CLUSTER_NAME: 'EU_1' },
      'AGENT_CLUSTER_NAME must be a DNS-1123 label',
    ],
    ['an invalid label', { AGENT_CLUSTER_LABELS: 'env=prod!' }, 'AGENT_CLUSTER_LABELS label "env=prod!"'],
    ['brokers without port', { AGENT_KAFKA_BROKERS: 'kafka' }, 'AGENT_KAFKA_BROKERS must be'],
    ['a too-fast resync', { AGENT_RESYNC_SECONDS: '1' }, 'AGENT_RESYNC_SECONDS'],
    [
      'an unknown SASL mechanism',
      { AGENT_KAFKA_SASL_MECHANISM: 'gssapi' },
      'AGENT_KAFKA_SASL_MECHANISM must be one of scram-sha-256, scram-sha-512, plain',
    ],
    [
      'SASL without TLS',
      {
        AGENT_KAFKA_SASL_MECHANISM: 'scram-sha-512',
        AGENT_KAFKA_SASL_USERNAME: 'agent',
        AGENT_KAFKA_SASL_PASSWORD: 'hunter2',
      },
      'SASL needs AGENT_KAFKA_TLS=true',
    ],
  ])('names the bad variable for %s', (_case, override, expected) => {
    const found = problems({ ...valid, ...override });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });
});
