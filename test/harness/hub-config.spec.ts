import { tmpdir } from 'node:os';
import path from 'node:path';
import { cacheDir } from './paths.js';
import { describe, expect, it } from '@jest/globals';
import { hubConfigFor, hubEnvFor } from './hub-config.js';

const backends = {
  databaseUrl: 'postgres://fleet:pw@127.0.0.1:5432/fleet_test',
  brokers: ['127.0.0.1:9092', '127.0.0.1:9093'],
  gitDir: '/tmp/mirrors',
};

describe('hubConfigFor', () => {
  it("starts from the hub's own defaults, on 127.0.0.1:0, without a dashboard, silent", () => {
    const config = hubConfigFor(backends);
    expect(config.database).toEqual({ url: backends.databaseUrl, poolSize: 10, statementsPerRequest: false });
    expect(config.kafka).toEqual({
      brokers: backends.brokers,
      topicPrefix: '',
      security: { prefix: 'HUB_KAFKA_', tls: null, sasl: null },
    });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 0 });
    expect(config.git).toEqual({
      dir: '/tmp/mirrors',
      credentialsFile: undefined,
      webhookSecret: undefined,
      syncTickSeconds: 5,
    });
    expect(config.reports.partitions).toBe(6);
    expect(config.dashboard).toEqual({ dir: null });
    expect(config.logLevel).toBe('silent');
  });

  it.each([
    ['one field of a section', [{ reports: { partitions: 3 } }], { partitions: 3, sweepIntervalSeconds: 10 }],
    [
      'later layers over earlier ones, field by field',
      [{ reports: { partitions: 3, sweepIntervalSeconds: 3600 } }, { reports: { partitions: 1 } }],
      { partitions: 1, sweepIntervalSeconds: 3600 },
    ],
  ])('overrides %s', (_, layers, expected) => {
    const config = hubConfigFor(backends, ...layers);
    expect(config.reports).toMatchObject(expected);
    expect(config.reports.maxBytes).toBe(262_144);
  });

  it('replaces values that are not sections whole', () => {
    const config = hubConfigFor(backends, { kafka: { brokers: ['10.0.0.1:1'] }, logLevel: 'warn' });
    expect(config.kafka).toEqual({
      brokers: ['10.0.0.1:1'],
      topicPrefix: '',
      security: { prefix: 'HUB_KAFKA_', tls: null, sasl: null },
    });
    expect(config.logLevel).toBe('warn');
  });
});

describe('hubEnvFor', () => {
  it("is a hub process's environment on this machine; given variables win", () => {
    expect(
      hubEnvFor({ ...backends, port: 8123 }, { LOG_LEVEL: 'info', HUB_ROLLOUT_PASS_INTERVAL_SECONDS: '2' }),
    ).toEqual({
      HUB_DATABASE_URL: backends.databaseUrl,
      HUB_KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9093',
      HUB_HOST: '127.0.0.1',
      HUB_PORT: '8123',
      LOG_LEVEL: 'info',
      HUB_ROLLOUT_PASS_INTERVAL_SECONDS: '2',
      // The renderer tools the project's scripts build, and a sandbox outside the repository.
      HUB_HELM_BIN: cacheDir('kube', 'bin', 'helm'),
      HUB_KUSTOMIZE_BIN: cacheDir('kube', 'bin', 'kustomize'),
      HUB_RENDER_DIR: path.join(tmpdir(), 'fleetwave-render'),
    });
  });
});
