import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type KafkaSecurity,
  kafkaSecurityFromVariables,
  kafkaSecurityVariableSchemas as kafka,
} from '@fleetwave/contracts';
import { z } from 'zod';

/**
 * The dashboard's build next to the hub's package: `<hub>/../dashboard/dist`. This module sits two
 * levels below the hub package both as source (src/config) and as build (dist/config).
 */
export const DEFAULT_DASHBOARD_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'dashboard',
  'dist',
);

/** A comma-separated list; unset or empty is none. */
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );
const claimName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_:./-]{1,100}$/, 'must be a claim name such as groups');

/**
 * Every setting the hub reads from its environment, validated once at start-up. Application code
 * receives the typed HubConfig and never reads process.env itself.
 */
const schema = z.object({
  HUB_DATABASE_URL: z
    .string()
    .refine((url) => /^postgres(ql)?:\/\/[^/]+/.test(url) && URL.canParse(url), 'must be a postgres:// URL'),
  HUB_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  HUB_KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((value) => value.split(',').map((b) => b.trim()))
    .refine(
      (brokers) => brokers.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)),
      'must be a comma-separated list of host:port',
    ),
  // Prefix for every topic and consumer group, so several fleets (or test runs) can share one Kafka.
  HUB_KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{0,100}$/, 'may only contain letters, digits, ".", "_" and "-"')
    .default(''),
  // Kafka over TLS (custom CA, optional client certificate) and SASL, secrets by reference: files
  // are read once at start-up (docs/security.md#kafka). Empty counts as unset.
  HUB_KAFKA_TLS: kafka.flag('false'),
  HUB_KAFKA_TLS_CA_FILE: kafka.text,
  HUB_KAFKA_TLS_CERT_FILE: kafka.text,
  HUB_KAFKA_TLS_KEY_FILE: kafka.text,
  HUB_KAFKA_TLS_SERVER_NAME: kafka.text,
  HUB_KAFKA_TLS_REJECT_UNAUTHORIZED: kafka.flag('true'),
  HUB_KAFKA_SASL_MECHANISM: kafka.mechanism,
  HUB_KAFKA_SASL_USERNAME: kafka.text,
  // The password: a file (a mounted Secret) or this variable itself (a secretKeyRef), never both.
  HUB_KAFKA_SASL_PASSWORD_FILE: kafka.text,
  HUB_KAFKA_SASL_PASSWORD: kafka.secret,
  // SASL is refused over plaintext unless this says otherwise (a broker on the same host, say).
  HUB_KAFKA_SASL_ALLOW_PLAINTEXT: kafka.flag('false'),
  HUB_HOST: z.string().default('0.0.0.0'),
  HUB_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  // A first admin API token, so a fresh hub can be driven before any token exists. Stored nowhere.
  HUB_BOOTSTRAP_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  // API tokens expire: created without an expiry they get the default, and none may outlive the maximum.
  HUB_API_TOKEN_DEFAULT_TTL_SECONDS: z.coerce.number().int().min(60).default(7_776_000),
  HUB_API_TOKEN_MAX_TTL_SECONDS: z.coerce.number().int().min(60).default(31_536_000),
  // Single sign-on (docs/security.md#single-sign-on): ID tokens of this OpenID Provider are accepted
  // as bearer tokens. Unset or empty: no SSO.
  HUB_OIDC_ISSUER: z
    .string()
    .trim()
    .refine((value) => value === '' || /^https?:\/\/[^\s]+$/.test(value), 'must be an http(s) URL')
    .optional(),
  // The client ids whose ID tokens are accepted (their `aud`), comma-separated; required with an issuer.
  HUB_OIDC_AUDIENCE: list,
  // What the dashboard and fleetctl sign in as (GET /auth/config); default: the first audience.
  HUB_OIDC_DASHBOARD_CLIENT_ID: z.string().trim().optional(),
  HUB_OIDC_CLI_CLIENT_ID: z.string().trim().optional(),
  // The scopes they ask for (space-separated); `openid` is always asked for.
  HUB_OIDC_SCOPES: z.string().trim().default('openid profile'),
  HUB_OIDC_USERNAME_CLAIM: claimName.default('sub'),
  HUB_OIDC_GROUPS_CLAIM: claimName.default('groups'),
  // Fleet-wide roles by group; a user in none of them holds roles only where a project names them.
  HUB_OIDC_ADMIN_GROUPS: list,
  HUB_OIDC_OPERATOR_GROUPS: list,
  HUB_OIDC_VIEWER_GROUPS: list,
  // A cluster credential (and its report-signing key) expires this long after it was issued; agents
  // rotate theirs at two thirds of it (POST /agent/v1/credentials/rotate).
  HUB_CLUSTER_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).default(2_592_000),
  // After a rotation the previous credential and signing key still work this long: reports signed
  // before it and an agent that crashed before saving the new credential are not lost.
  HUB_CREDENTIAL_GRACE_SECONDS: z.coerce.number().int().min(0).max(604_800).default(3600),
  // How long an agent credential's lookup is reused (0: every agent request reads it). Revocation
  // and rotation forget it at once (this replica at once, the others through the audit events); the
  // TTL bounds what a replica that missed those events accepts. Refusals are judged every request.
  HUB_AGENT_CREDENTIAL_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(120),
  HUB_REPORTS_PARTITIONS: z.coerce.number().int().min(1).max(256).default(6),
  HUB_REPORT_MAX_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(262_144),
  HUB_HEARTBEAT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  HUB_MISSED_HEARTBEATS_UNKNOWN: z.coerce.number().int().min(1).max(100).default(3),
  HUB_OFFLINE_AFTER_SECONDS: z.coerce.number().int().min(1).default(600),
  HUB_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  // A replica that dies without leaving the consumer group holds its partitions this long (kafkajs
  // defaults to 30 s); the brokers accept 6–1800 s (group.min/max.session.timeout.ms).
  HUB_REPORTS_SESSION_TIMEOUT_SECONDS: z.coerce.number().int().min(6).max(1800).default(10),
  // One bare mirror per repository under here.
  HUB_GIT_DIR: z.string().min(1).default('data/git'),
  // JSON object {"<credentialsRef>": {"username": "…", "password": "…"}}: applications name a
  // reference, never the secret itself.
  HUB_GIT_CREDENTIALS_FILE: z.string().min(1).optional(),
  // Shared secret of POST /webhooks/git (GitHub HMAC or GitLab token); unset = webhooks refused.
  HUB_GIT_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  HUB_GIT_SYNC_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  HUB_ROLLOUT_PASS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  // The safety-net sweep passes a quiet rollout (nothing signalled, no wake-up due) only this often.
  HUB_ROLLOUT_QUIET_PASS_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  HUB_ASSIGNMENTS_POLL_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  HUB_CATCHUP_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(10),
  // Garbage collection of bundles and revision artifacts nothing references any more (docs/operating.md).
  HUB_GC_ENABLED: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  // SQL statements per GraphQL request (fleetwave_hub_graphql_sql_statements): off by default, since
  // following a request's async work needs AsyncLocalStorage, i.e. async hooks on every promise of
  // the process. The hub-wide total (fleetwave_hub_sql_statements_total) is always counted.
  HUB_SQL_STATEMENTS_PER_REQUEST: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  // How stale a GraphQL read may be served from this replica's memory (a rollout's computed waves,
  // clusters and blocking reasons; a verified API token): changes this replica makes or is signalled
  // show at once, anything else within this bound. 0: every read computed afresh.
  HUB_READ_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  HUB_GC_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
  HUB_GC_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  HUB_GC_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  // How long the audit trail keeps an event (0: forever). Expired on the GC's interval.
  HUB_EVENT_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(0),
  // At most this many clusters changing at once across all rollouts and catch-ups: a count ("50")
  // or a percentage of the registered fleet ("10%"). Unset or empty: no fleet-wide budget.
  HUB_FLEET_MAX_CHANGING: z
    .string()
    .trim()
    .regex(/^(\d{1,7}%?)?$/, 'must be a count such as 50 or a percentage such as 10%')
    .refine((value) => !/^0+%?$/.test(value), 'must be at least 1 (or 1%)')
    .refine((value) => !value.endsWith('%') || Number(value.slice(0, -1)) <= 100, 'must be at most 100%')
    .optional(),
  // At most this many applications changing at once on one cluster. Unset or empty: no limit.
  HUB_CLUSTER_MAX_CHANGING_APPS: z
    .string()
    .trim()
    .regex(/^(\d{1,5})?$/, 'must be a count such as 3')
    .refine((value) => !/^0+$/.test(value), 'must be at least 1')
    .optional(),
  // The Prometheus that `prometheus` verification checks query (http(s) base URL). Unset or empty:
  // such checks end in error, saying so.
  HUB_PROMETHEUS_URL: z
    .string()
    .trim()
    .refine(
      (value) => value === '' || /^https?:\/\/[^\s]+$/.test(value),
      'must be an http(s) URL such as http://prometheus:9090',
    )
    .optional(),
  // Renders (Helm, Kustomize) run in a sandbox: work directories and tool caches under here.
  HUB_RENDER_DIR: z.string().min(1).default('data/render'),
  HUB_RENDER_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  HUB_RENDER_MAX_OUTPUT_BYTES: z.coerce.number().int().min(1024).max(1_073_741_824).default(16_777_216),
  HUB_RENDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  // The tools' binaries (a name is looked up on PATH).
  HUB_HELM_BIN: z.string().min(1).default('helm'),
  HUB_KUSTOMIZE_BIN: z.string().min(1).default('kustomize'),
  // The built dashboard (services/dashboard, `vite build`), served at /. Empty = serve no dashboard.
  HUB_DASHBOARD_DIR: z.string().default(DEFAULT_DASHBOARD_DIR),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface HubConfig {
  database: {
    url: string;
    poolSize: number;
    /** Count SQL statements per GraphQL request too (costs async hooks process-wide). */
    statementsPerRequest: boolean;
  };
  kafka: {
    brokers: string[];
    topicPrefix: string;
    /** TLS and SASL settings (references only, read by the Kafka module); absent: plaintext. */
    security?: KafkaSecurity;
  };
  http: { host: string; port: number };
  reads: {
    /** Staleness bound of the per-process read caches (rollout detail, verified API tokens); 0: off. */
    cacheMs: number;
  };
  auth: {
    bootstrapAdminToken: string | undefined;
    apiTokenDefaultTtlSeconds: number;
    apiTokenMaxTtlSeconds: number;
    clusterCredentialTtlSeconds: number;
    /** How long the previous credential and signing key still work after a rotation. */
    credentialGraceSeconds: number;
    /** Seconds an agent credential's lookup is reused (0: off); see AgentCredentialCache. */
    agentCredentialCacheSeconds: number;
  };
  reports: {
    partitions: number;
    maxBytes: number;
    heartbeatIntervalSeconds: number;
    /** Heartbeats missed before a cluster is Unknown. */
    missedHeartbeatsUnknown: number;
    /** Silence after which a cluster is Offline. */
    offlineAfterSeconds: number;
    sweepIntervalSeconds: number;
    /** How long Kafka waits for a silent replica before its partitions move to the others. */
    consumerSessionTimeoutSeconds: number;
  };
  git: {
    dir: string;
    credentialsFile: string | undefined;
    webhookSecret: string | undefined;
    /** How often the hub looks for applications due for a fetch (each has its own interval). */
    syncTickSeconds: number;
  };
  rollouts: {
    /** Safety-net pass over every active rollout (reports, mutations and timers trigger passes too). */
    passIntervalSeconds: number;
    /**
     * A rollout whose last pass changed nothing, with no signal since and no wake-up due, is left
     * out of the safety-net sweep for this long (a lost signal costs at most this much latency).
     */
    quietPassIntervalSeconds: number;
    /** How long GET /agent/v1/assignments holds an unchanged poll before answering 304. */
    assignmentsPollTimeoutSeconds: number;
    /** Clusters being caught up to their applications' settled revisions at once, fleet-wide. */
    catchupMaxConcurrency: number;
    /**
     * Clusters changing at once across all rollouts and catch-ups: a count, or a percentage of the
     * registered fleet; null: no fleet-wide budget.
     */
    fleetMaxChanging: number | `${number}%` | null;
    /** Applications changing at once on one cluster; null: no limit. */
    clusterMaxChangingApps: number | null;
    /** Base URL of the Prometheus `prometheus` verification checks query; null: none. */
    prometheusUrl: string | null;
  };
  /** The render sandbox (git/sandbox): where, how long, how much, how many at once, which binaries. */
  render: {
    dir: string;
    timeoutMs: number;
    maxOutputBytes: number;
    concurrency: number;
    binaries: { helm: string; kustomize: string };
  };
  gc: {
    /** Off: nothing is ever collected. */
    enabled: boolean;
    /** How long an unreferenced bundle, artifact or finished rollout's references are kept. */
    retentionDays: number;
    intervalSeconds: number;
    /** Audit trail events older than this are deleted; 0 keeps them forever. */
    eventRetentionDays: number;
    /** Rows deleted per transaction. */
    batchSize: number;
  };
  /**
   * Where the built dashboard is; null (or no `dashboard` at all, as in test configurations) serves
   * none. A directory that does not exist is logged once and skipped, never a start-up failure.
   */
  dashboard?: { dir: string | null };
  /** Single sign-on; absent: none (only API tokens and the bootstrap token). */
  oidc?: OidcConfig;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

/** The OpenID Provider whose ID tokens the hub accepts, and how their claims map to roles. */
export interface OidcConfig {
  issuer: string;
  /** Accepted `aud` values (client ids). */
  audience: string[];
  dashboardClientId: string;
  cliClientId: string;
  scopes: string;
  usernameClaim: string;
  groupsClaim: string;
  adminGroups: string[];
  operatorGroups: string[];
  viewerGroups: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid hub configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadHubConfig(env: NodeJS.ProcessEnv): HubConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and the rule it broke; never echo the value (it may hold a password).
    const problems = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? '?');
      if (problems.has(variable)) continue; // the first broken rule per variable is enough
      problems.set(
        variable,
        env[variable] === undefined ? `${variable} is required` : `${variable} ${issue.message}`,
      );
    }
    throw new ConfigError([...problems.values()]);
  }
  const c = parsed.data;
  const kafkaSecurity = kafkaSecurityFromVariables('HUB_KAFKA_', c);
  if (kafkaSecurity.security === null) throw new ConfigError(kafkaSecurity.problems);
  const oidc = oidcConfig(c);
  return {
    database: {
      url: c.HUB_DATABASE_URL,
      poolSize: c.HUB_DATABASE_POOL_SIZE,
      statementsPerRequest: c.HUB_SQL_STATEMENTS_PER_REQUEST,
    },
    kafka: {
      brokers: c.HUB_KAFKA_BROKERS,
      topicPrefix: c.HUB_KAFKA_TOPIC_PREFIX,
      security: kafkaSecurity.security,
    },
    http: { host: c.HUB_HOST, port: c.HUB_PORT },
    reads: { cacheMs: c.HUB_READ_CACHE_MS },
    auth: {
      bootstrapAdminToken: c.HUB_BOOTSTRAP_ADMIN_TOKEN,
      apiTokenDefaultTtlSeconds: c.HUB_API_TOKEN_DEFAULT_TTL_SECONDS,
      apiTokenMaxTtlSeconds: c.HUB_API_TOKEN_MAX_TTL_SECONDS,
      clusterCredentialTtlSeconds: c.HUB_CLUSTER_CREDENTIAL_TTL_SECONDS,
      credentialGraceSeconds: c.HUB_CREDENTIAL_GRACE_SECONDS,
      agentCredentialCacheSeconds: c.HUB_AGENT_CREDENTIAL_CACHE_SECONDS,
    },
    reports: {
      partitions: c.HUB_REPORTS_PARTITIONS,
      maxBytes: c.HUB_REPORT_MAX_BYTES,
      heartbeatIntervalSeconds: c.HUB_HEARTBEAT_INTERVAL_SECONDS,
      missedHeartbeatsUnknown: c.HUB_MISSED_HEARTBEATS_UNKNOWN,
      offlineAfterSeconds: c.HUB_OFFLINE_AFTER_SECONDS,
      sweepIntervalSeconds: c.HUB_SWEEP_INTERVAL_SECONDS,
      consumerSessionTimeoutSeconds: c.HUB_REPORTS_SESSION_TIMEOUT_SECONDS,
    },
    git: {
      dir: c.HUB_GIT_DIR,
      credentialsFile: c.HUB_GIT_CREDENTIALS_FILE,
      webhookSecret: c.HUB_GIT_WEBHOOK_SECRET,
      syncTickSeconds: c.HUB_GIT_SYNC_TICK_SECONDS,
    },
    render: {
      dir: path.resolve(c.HUB_RENDER_DIR),
      timeoutMs: c.HUB_RENDER_TIMEOUT_SECONDS * 1000,
      maxOutputBytes: c.HUB_RENDER_MAX_OUTPUT_BYTES,
      concurrency: c.HUB_RENDER_CONCURRENCY,
      binaries: { helm: c.HUB_HELM_BIN, kustomize: c.HUB_KUSTOMIZE_BIN },
    },
    rollouts: {
      passIntervalSeconds: c.HUB_ROLLOUT_PASS_INTERVAL_SECONDS,
      quietPassIntervalSeconds: c.HUB_ROLLOUT_QUIET_PASS_INTERVAL_SECONDS,
      assignmentsPollTimeoutSeconds: c.HUB_ASSIGNMENTS_POLL_TIMEOUT_SECONDS,
      catchupMaxConcurrency: c.HUB_CATCHUP_MAX_CONCURRENCY,
      fleetMaxChanging: fleetMaxChanging(c.HUB_FLEET_MAX_CHANGING),
      clusterMaxChangingApps:
        c.HUB_CLUSTER_MAX_CHANGING_APPS === undefined || c.HUB_CLUSTER_MAX_CHANGING_APPS === ''
          ? null
          : Number(c.HUB_CLUSTER_MAX_CHANGING_APPS),
      prometheusUrl:
        c.HUB_PROMETHEUS_URL === undefined || c.HUB_PROMETHEUS_URL === '' ? null : c.HUB_PROMETHEUS_URL,
    },
    gc: {
      enabled: c.HUB_GC_ENABLED,
      retentionDays: c.HUB_GC_RETENTION_DAYS,
      intervalSeconds: c.HUB_GC_INTERVAL_SECONDS,
      batchSize: c.HUB_GC_BATCH_SIZE,
      eventRetentionDays: c.HUB_EVENT_RETENTION_DAYS,
    },
    dashboard: { dir: c.HUB_DASHBOARD_DIR.trim() === '' ? null : path.resolve(c.HUB_DASHBOARD_DIR) },
    ...(oidc ? { oidc } : {}),
    logLevel: c.LOG_LEVEL,
  };
}

function oidcConfig(c: z.infer<typeof schema>): OidcConfig | undefined {
  const issuer = c.HUB_OIDC_ISSUER ?? '';
  if (issuer === '') return undefined;
  const audience = c.HUB_OIDC_AUDIENCE;
  if (audience.length === 0) {
    throw new ConfigError(['HUB_OIDC_AUDIENCE is required with HUB_OIDC_ISSUER (the client ids to accept)']);
  }
  const scopes = new Set(['openid', ...c.HUB_OIDC_SCOPES.split(/\s+/).filter((s) => s !== '')]);
  return {
    // The `iss` of its tokens has no trailing slash unless the issuer's own URL has one.
    issuer,
    audience,
    dashboardClientId: c.HUB_OIDC_DASHBOARD_CLIENT_ID || audience[0]!,
    cliClientId: c.HUB_OIDC_CLI_CLIENT_ID || audience[0]!,
    scopes: [...scopes].join(' '),
    usernameClaim: c.HUB_OIDC_USERNAME_CLAIM,
    groupsClaim: c.HUB_OIDC_GROUPS_CLAIM,
    adminGroups: c.HUB_OIDC_ADMIN_GROUPS,
    operatorGroups: c.HUB_OIDC_OPERATOR_GROUPS,
    viewerGroups: c.HUB_OIDC_VIEWER_GROUPS,
  };
}

function fleetMaxChanging(value: string | undefined): number | `${number}%` | null {
  if (value === undefined || value === '') return null;
  return value.endsWith('%') ? (`${Number(value.slice(0, -1))}%` as const) : Number(value);
}
