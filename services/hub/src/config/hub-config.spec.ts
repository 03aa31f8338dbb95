import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DEFAULT_DASHBOARD_DIR, loadHubConfig } from './hub-config.js';

const valid = {
  HUB_DATABASE_URL: 'postgres://fleet:s3cret@db.internal:5432/fleetwave',
  HUB_KAFKA_BROKERS: 'kafka-0:9092, kafka-1:9092',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadHubConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadHubConfig', () => {
  it('reads Kafka TLS and SASL settings as references', () => {
    const config = loadHubConfig({
      ...valid,
      HUB_KAFKA_TLS: 'true',
      HUB_KAFKA_TLS_CA_FILE: '/etc/fleetwave/kafka-ca/ca.crt',
      HUB_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      HUB_KAFKA_SASL_USERNAME: 'fleetwave-hub',
      HUB_KAFKA_SASL_PASSWORD: 'hunter2-hunter2',
    });
    expect(config.kafka.security).toEqual({
      prefix: 'HUB_KAFKA_',
      tls: {
        caFile: '/etc/fleetwave/kafka-ca/ca.crt',
        certFile: null,
        keyFile: null,
        serverName: null,
        rejectUnauthorized: true,
      },
      sasl: {
        mechanism: 'scram-sha-512',
        username: 'fleetwave-hub',
        password: { variable: 'HUB_KAFKA_SASL_PASSWORD' },
      },
    });
    expect(JSON.stringify(config)).not.toContain('hunter2');
  });

  it.each([
    [{ HUB_KAFKA_SASL_MECHANISM: 'gssapi' }, 'HUB_KAFKA_SASL_MECHANISM must be one of scram-sha-256'],
    [
      { HUB_KAFKA_SASL_MECHANISM: 'plain', HUB_KAFKA_SASL_USERNAME: 'hub', HUB_KAFKA_SASL_PASSWORD: 'pw' },
      'SASL needs HUB_KAFKA_TLS=true',
    ],
    [{ HUB_KAFKA_TLS_CA_FILE: '/ca.pem' }, 'HUB_KAFKA_TLS_CA_FILE is set but HUB_KAFKA_TLS is not true'],
  ])('refuses bad Kafka security settings: %j', (env, problem) => {
    const problems = problemsOf({ ...valid, ...env });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('parses a valid environment and applies defaults', () => {
    expect(loadHubConfig(valid)).toEqual({
      database: { url: valid.HUB_DATABASE_URL, poolSize: 10, statementsPerRequest: false },
      kafka: {
        brokers: ['kafka-0:9092', 'kafka-1:9092'],
        topicPrefix: '',
        security: { prefix: 'HUB_KAFKA_', tls: null, sasl: null },
      },
      http: { host: '0.0.0.0', port: 8080 },
      reads: { cacheMs: 1000 },
      auth: {
        bootstrapAdminToken: undefined,
        apiTokenDefaultTtlSeconds: 7_776_000,
        apiTokenMaxTtlSeconds: 31_536_000,
        clusterCredentialTtlSeconds: 2_592_000,
        credentialGraceSeconds: 3600,
        agentCredentialCacheSeconds: 120,
      },
      reports: {
        partitions: 6,
        maxBytes: 262_144,
        heartbeatIntervalSeconds: 30,
        missedHeartbeatsUnknown: 3,
        offlineAfterSeconds: 600,
        sweepIntervalSeconds: 10,
        consumerSessionTimeoutSeconds: 10,
      },
      git: { dir: 'data/git', credentialsFile: undefined, webhookSecret: undefined, syncTickSeconds: 5 },
      rollouts: {
        passIntervalSeconds: 5,
        quietPassIntervalSeconds: 60,
        assignmentsPollTimeoutSeconds: 30,
        catchupMaxConcurrency: 10,
        fleetMaxChanging: null,
        clusterMaxChangingApps: null,
        prometheusUrl: null,
      },
      render: {
        dir: path.resolve('data/render'),
        timeoutMs: 60_000,
        maxOutputBytes: 16_777_216,
        concurrency: 2,
        binaries: { helm: 'helm', kustomize: 'kustomize' },
      },
      gc: { enabled: true, retentionDays: 30, intervalSeconds: 3600, batchSize: 500, eventRetentionDays: 0 },
      dashboard: { dir: DEFAULT_DASHBOARD_DIR },
      logLevel: 'info',
    });
  });

  it.each([
    ['50', 50],
    [' 10% ', '10%'],
    ['007', 7],
    ['', null],
  ])('reads HUB_FLEET_MAX_CHANGING=%p as %p', (value, expected) => {
    expect(loadHubConfig({ ...valid, HUB_FLEET_MAX_CHANGING: value }).rollouts.fleetMaxChanging).toBe(
      expected,
    );
  });

  it.each([
    ['3', 3],
    [' 02 ', 2],
    ['', null],
  ])('reads HUB_CLUSTER_MAX_CHANGING_APPS=%p as %p', (value, expected) => {
    expect(
      loadHubConfig({ ...valid, HUB_CLUSTER_MAX_CHANGING_APPS: value }).rollouts.clusterMaxChangingApps,
    ).toBe(expected);
  });

  it('finds the dashboard build next to the hub package by default', () => {
    const hubPackage = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
    expect(DEFAULT_DASHBOARD_DIR).toBe(path.join(path.dirname(hubPackage), 'dashboard', 'dist'));
  });

  it('resolves HUB_DASHBOARD_DIR against the working directory; empty serves no dashboard', () => {
    expect(loadHubConfig({ ...valid, HUB_DASHBOARD_DIR: '/srv/dashboard' }).dashboard).toEqual({
      dir: '/srv/dashboard',
    });
    expect(loadHubConfig({ ...valid, HUB_DASHBOARD_DIR: 'web' }).dashboard).toEqual({
      dir: path.resolve('web'),
    });
    expect(loadHubConfig({ ...valid, HUB_DASHBOARD_DIR: '' }).dashboard).toEqual({ dir: null });
  });

  it('reads the garbage collection settings (off, fractional retention for tests and benchmarks)', () => {
    expect(
      loadHubConfig({
        ...valid,
        HUB_GC_ENABLED: 'false',
        HUB_GC_RETENTION_DAYS: '0.5',
        HUB_GC_INTERVAL_SECONDS: '60',
        HUB_GC_BATCH_SIZE: '100',
        HUB_EVENT_RETENTION_DAYS: '90',
      }).gc,
    ).toEqual({
      enabled: false,
      retentionDays: 0.5,
      intervalSeconds: 60,
      batchSize: 100,
      eventRetentionDays: 90,
    });
    expect(() => loadHubConfig({ ...valid, HUB_EVENT_RETENTION_DAYS: '-1' })).toThrow(
      /HUB_EVENT_RETENTION_DAYS/,
    );
  });

  it('counts SQL statements per GraphQL request only when asked for', () => {
    expect(
      loadHubConfig({ ...valid, HUB_SQL_STATEMENTS_PER_REQUEST: 'true' }).database.statementsPerRequest,
    ).toBe(true);
    expect(
      loadHubConfig({ ...valid, HUB_SQL_STATEMENTS_PER_REQUEST: 'false' }).database.statementsPerRequest,
    ).toBe(false);
  });

  it("reads the read caches' staleness bound (0 turns them off)", () => {
    expect(loadHubConfig({ ...valid, HUB_READ_CACHE_MS: '250' }).reads).toEqual({ cacheMs: 250 });
    expect(loadHubConfig({ ...valid, HUB_READ_CACHE_MS: '0' }).reads).toEqual({ cacheMs: 0 });
  });

  it('reads the render sandbox settings', () => {
    expect(
      loadHubConfig({
        ...valid,
        HUB_RENDER_DIR: 'r',
        HUB_RENDER_TIMEOUT_SECONDS: '5',
        HUB_RENDER_MAX_OUTPUT_BYTES: '2048',
        HUB_RENDER_CONCURRENCY: '3',
        HUB_HELM_BIN: '/opt/helm',
      }).render,
    ).toEqual({
      dir: path.resolve('r'),
      timeoutMs: 5000,
      maxOutputBytes: 2048,
      concurrency: 3,
      binaries: { helm: '/opt/helm', kustomize: 'kustomize' },
    });
  });

  it.each([
    ['a zero render timeout', { HUB_RENDER_TIMEOUT_SECONDS: '0' }, 'HUB_RENDER_TIMEOUT_SECONDS'],
    [
      'a credential lifetime under a minute',
      { HUB_CLUSTER_CREDENTIAL_TTL_SECONDS: '59' },
      'HUB_CLUSTER_CREDENTIAL_TTL_SECONDS',
    ],
    ['a negative credential grace', { HUB_CREDENTIAL_GRACE_SECONDS: '-1' }, 'HUB_CREDENTIAL_GRACE_SECONDS'],
    ['a grace over a week', { HUB_CREDENTIAL_GRACE_SECONDS: '604801' }, 'HUB_CREDENTIAL_GRACE_SECONDS'],
    [
      'an API token lifetime that is not a number',
      { HUB_API_TOKEN_MAX_TTL_SECONDS: 'forever' },
      'HUB_API_TOKEN_MAX_TTL_SECONDS',
    ],
    ['a missing database URL', { HUB_DATABASE_URL: undefined }, 'HUB_DATABASE_URL is required'],
    [
      'a non-postgres URL',
      { HUB_DATABASE_URL: 'mysql://x@y/z' },
      'HUB_DATABASE_URL must be a postgres:// URL',
    ],
    [
      'brokers without ports',
      { HUB_KAFKA_BROKERS: 'kafka-0' },
      'HUB_KAFKA_BROKERS must be a comma-separated list of host:port',
    ],
    ['a port out of range', { HUB_PORT: '70000' }, 'HUB_PORT'],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [
      'a GC switch that is not true or false',
      { HUB_GC_ENABLED: 'yes' },
      'HUB_GC_ENABLED must be true or false',
    ],
    [
      'a per-request SQL switch that is not true or false',
      { HUB_SQL_STATEMENTS_PER_REQUEST: '1' },
      'HUB_SQL_STATEMENTS_PER_REQUEST must be true or false',
    ],
    ['a negative read cache bound', { HUB_READ_CACHE_MS: '-1' }, 'HUB_READ_CACHE_MS'],
    ['a read cache bound over 10 s', { HUB_READ_CACHE_MS: '10001' }, 'HUB_READ_CACHE_MS'],
    ['a read cache bound that is not a number', { HUB_READ_CACHE_MS: 'soon' }, 'HUB_READ_CACHE_MS'],

    [
      'a credential cache longer than 5 minutes',
      { HUB_AGENT_CREDENTIAL_CACHE_SECONDS: '301' },
      'HUB_AGENT_CREDENTIAL_CACHE_SECONDS',
    ],
    ['a negative GC retention', { HUB_GC_RETENTION_DAYS: '-1' }, 'HUB_GC_RETENTION_DAYS'],
    ['an empty GC batch', { HUB_GC_BATCH_SIZE: '0' }, 'HUB_GC_BATCH_SIZE'],
    ['no catch-up concurrency at all', { HUB_CATCHUP_MAX_CONCURRENCY: '0' }, 'HUB_CATCHUP_MAX_CONCURRENCY'],
    ['a fleet budget of 0', { HUB_FLEET_MAX_CHANGING: '0' }, 'HUB_FLEET_MAX_CHANGING must be at least 1'],
    ['a fleet budget of 0%', { HUB_FLEET_MAX_CHANGING: '0%' }, 'HUB_FLEET_MAX_CHANGING must be at least 1'],
    [
      'a fleet budget over 100%',
      { HUB_FLEET_MAX_CHANGING: '150%' },
      'HUB_FLEET_MAX_CHANGING must be at most 100%',
    ],
    ['a negative fleet budget', { HUB_FLEET_MAX_CHANGING: '-5' }, 'HUB_FLEET_MAX_CHANGING must be a count'],
    [
      'a cluster budget of 0',
      { HUB_CLUSTER_MAX_CHANGING_APPS: '0' },
      'HUB_CLUSTER_MAX_CHANGING_APPS must be at least 1',
    ],
    [
      'a cluster budget as a percentage',
      { HUB_CLUSTER_MAX_CHANGING_APPS: '50%' },
      'HUB_CLUSTER_MAX_CHANGING_APPS must be a count',
    ],
    [
      'a negative cluster budget',
      { HUB_CLUSTER_MAX_CHANGING_APPS: '-1' },
      'HUB_CLUSTER_MAX_CHANGING_APPS must be a count',
    ],
    [
      'a fractional fleet budget',
      { HUB_FLEET_MAX_CHANGING: '2.5%' },
      'HUB_FLEET_MAX_CHANGING must be a count',
    ],
    [
      'a short bootstrap token',
      { HUB_BOOTSTRAP_ADMIN_TOKEN: 'short' },
      'HUB_BOOTSTRAP_ADMIN_TOKEN must be at least 32',
    ],
  ])('names the bad variable for %s', (_case, override, expected) => {
    const problems = problemsOf({ ...valid, ...override });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('has no single sign-on unless an issuer is set', () => {
    expect(loadHubConfig(valid).oidc).toBeUndefined();
    expect(loadHubConfig({ ...valid, HUB_OIDC_ISSUER: '' }).oidc).toBeUndefined();
  });

  it('reads the single sign-on settings with their defaults', () => {
    expect(
      loadHubConfig({
        ...valid,
        HUB_OIDC_ISSUER: 'https://sso.example.org',
        HUB_OIDC_AUDIENCE: 'fleetwave-dashboard, fleetctl',
      }).oidc,
    ).toEqual({
      issuer: 'https://sso.example.org',
      audience: ['fleetwave-dashboard', 'fleetctl'],
      dashboardClientId: 'fleetwave-dashboard',
      cliClientId: 'fleetwave-dashboard',
      scopes: 'openid profile',
      usernameClaim: 'sub',
      groupsClaim: 'groups',
      adminGroups: [],
      operatorGroups: [],
      viewerGroups: [],
    });
    expect(
      loadHubConfig({
        ...valid,
        HUB_OIDC_ISSUER: 'https://sso.example.org/realms/x',
        HUB_OIDC_AUDIENCE: 'dash,cli',
        HUB_OIDC_DASHBOARD_CLIENT_ID: 'dash',
        HUB_OIDC_CLI_CLIENT_ID: 'cli',
        HUB_OIDC_SCOPES: 'profile groups offline_access',
        HUB_OIDC_USERNAME_CLAIM: 'preferred_username',
        HUB_OIDC_GROUPS_CLAIM: 'roles',
        HUB_OIDC_ADMIN_GROUPS: 'fleet-admins',
        HUB_OIDC_OPERATOR_GROUPS: 'sre, oncall',
        HUB_OIDC_VIEWER_GROUPS: 'staff',
      }).oidc,
    ).toMatchObject({
      dashboardClientId: 'dash',
      cliClientId: 'cli',
      scopes: 'openid profile groups offline_access',
      usernameClaim: 'preferred_username',
      groupsClaim: 'roles',
      adminGroups: ['fleet-admins'],
      operatorGroups: ['sre', 'oncall'],
      viewerGroups: ['staff'],
    });
  });

  it.each([
    [
      { HUB_OIDC_ISSUER: 'sso.example.org', HUB_OIDC_AUDIENCE: 'x' },
      'HUB_OIDC_ISSUER must be an http(s) URL',
    ],
    [{ HUB_OIDC_ISSUER: 'https://sso.example.org' }, 'HUB_OIDC_AUDIENCE is required with HUB_OIDC_ISSUER'],
    [
      { HUB_OIDC_ISSUER: 'https://sso.example.org', HUB_OIDC_AUDIENCE: 'x', HUB_OIDC_GROUPS_CLAIM: 'a b' },
      'HUB_OIDC_GROUPS_CLAIM must be a claim name such as groups',
    ],
  ])('refuses bad single sign-on settings: %j', (env, problem) => {
    expect(problemsOf({ ...valid, ...env }).join('\n')).toContain(problem);
  });

  it('reports every bad variable at once and never echoes a value', () => {
    const problems = problemsOf({ HUB_DATABASE_URL: 'not a url with password hunter2', HUB_PORT: 'x' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'HUB_DATABASE_URL',
      'HUB_KAFKA_BROKERS',
      'HUB_PORT',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});
