/**
 * The Helm charts (charts/hub, charts/agent), checked with a helm built from source by
 * test/kube/build-helm.sh:
 *
 *  - `helm lint --strict`, with the default values and with values exercising the options;
 *  - `helm template`, parsed, asserting what matters: probe paths, every HUB_* / AGENT_* setting
 *    reachable from values, secrets only referenced (never rendered into the ConfigMap), RBAC,
 *    the optional objects (ServiceMonitor, Ingress, PDB, PVC) and the values schema;
 *  - a server-side dry-run apply of the rendered charts against one real cluster of the fleet
 *    harness (the API server validates every object, RBAC included).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

import {
  CommandError,
  ensureKubeBinaries,
  type Fleet,
  type FleetCluster,
  kubeBinDir,
  kubectl,
  randomSuffix,
  REPO_ROOT,
  run,
  startFleet,
} from '../kube/fleet.js';

const HUB_CHART = path.join(REPO_ROOT, 'charts', 'hub');
const AGENT_CHART = path.join(REPO_ROOT, 'charts', 'agent');
const HELM = path.join(kubeBinDir(), 'helm');
// A cold build-kube.sh takes ~15 min on 2 cores; normally its binaries are cached already.
const BUILD_TIMEOUT_MS = 45 * 60_000;
const START_TIMEOUT_MS = 180_000;

// ------------------------------------------------------------------ types

type Obj = Record<string, unknown>;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

interface Probe {
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  image: string;
  ports?: { name: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string } }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  securityContext?: Obj;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface Volume {
  name: string;
  emptyDir?: Obj;
  persistentVolumeClaim?: { claimName: string };
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  configMap?: { name: string; items?: { key: string; path: string }[] };
}

interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Obj;
  containers: Container[];
  volumes?: Volume[];
}

interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    strategy?: { type: string };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
}

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

// ------------------------------------------------------------------ helm

let helmHome: string | undefined;

/** Private HELM_*_HOME dirs, so the checks never read or write the user's helm configuration. */
function helmEnv(): NodeJS.ProcessEnv {
  if (!helmHome) throw new Error('helm home not prepared (beforeAll)');
  return {
    ...process.env,
    HELM_CACHE_HOME: path.join(helmHome, 'cache'),
    HELM_CONFIG_HOME: path.join(helmHome, 'config'),
    HELM_DATA_HOME: path.join(helmHome, 'data'),
  };
}

async function helm(args: readonly string[]): Promise<string> {
  const { stdout } = await run(HELM, args, { env: helmEnv(), timeoutMs: 60_000 });
  return stdout;
}

let valuesFileCount = 0;

/** Write `values` as a values file (JSON is YAML) and return `['-f', file]`. */
async function valuesArgs(values: Obj | undefined): Promise<string[]> {
  if (!values) return [];
  if (!helmHome) throw new Error('helm home not prepared (beforeAll)');
  const file = path.join(helmHome, `values-${++valuesFileCount}.yaml`);
  await writeFile(file, JSON.stringify(values, null, 2));
  return ['-f', file];
}

async function renderRaw(chart: string, namespace: string, values?: Obj, release = 'fw'): Promise<string> {
  return helm(['template', release, chart, '--namespace', namespace, ...(await valuesArgs(values))]);
}

function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const o = value as K8sObject;
    if (typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || !o.metadata?.name) {
      throw new Error(`rendered document is not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    }
    objects.push(o);
  }
  return objects;
}

async function render(chart: string, namespace: string, values?: Obj): Promise<K8sObject[]> {
  return parseManifests(await renderRaw(chart, namespace, values));
}

/** The error output of a `helm template` that must fail. */
async function renderError(chart: string, values: Obj): Promise<string> {
  try {
    await renderRaw(chart, 'default', values);
  } catch (err) {
    if (err instanceof CommandError) return err.stderr + err.stdout;
    throw err;
  }
  throw new Error(`helm template ${path.basename(chart)} succeeded with ${JSON.stringify(values)}`);
}

function kinds(objects: readonly K8sObject[]): string[] {
  return objects.map((o) => o.kind).sort();
}

function one<T extends K8sObject = K8sObject>(objects: readonly K8sObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, rendered ${found.length}`);
  return found[0] as T;
}

function container(d: Deployment): Container {
  const c = d.spec.template.spec.containers;
  expect(c).toHaveLength(1);
  return c[0]!;
}

function envNames(c: Container): string[] {
  return (c.env ?? []).map((e) => e.name);
}

function envVar(c: Container, name: string): EnvVar {
  const e = (c.env ?? []).find((v) => v.name === name);
  if (!e) throw new Error(`env ${name} not set; have ${envNames(c).join(', ')}`);
  return e;
}

/** The variable names a config loader reads: the keys of its zod schema object. */
function configVariables(file: string, prefix: string): string[] {
  const source = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const start = source.indexOf('z.object({');
  if (start < 0) throw new Error(`${file}: no z.object({ schema found`);
  // The schema object closes at column 0 (nested callbacks close indented).
  const schema = source.slice(start, source.indexOf('\n});', start));
  const names = [...schema.matchAll(new RegExp(`^\\s*((?:${prefix}|LOG_LEVEL)[A-Z0-9_]*):`, 'gm'))].map(
    (m) => m[1]!,
  );
  return [...new Set(names)].sort();
}

/**
 * The Kafka CA (a ConfigMap), client certificate and password (Secrets) of {@link kafkaSecurityOptions}
 * are mounted read-only where the variables point.
 */
function expectKafkaSecretsByReference(d: Deployment, service: 'hub' | 'agent'): void {
  const c = container(d);
  const volumes = d.spec.template.spec.volumes ?? [];
  const mounted = (mountPath: string) => {
    const mount = c.volumeMounts?.find((m) => m.mountPath === mountPath);
    expect(mount?.readOnly).toBe(true);
    return volumes.find((v) => v.name === mount?.name);
  };
  expect(mounted('/etc/fleetwave/kafka-tls/ca')?.configMap).toEqual(
    expect.objectContaining({ name: 'kafka-ca', items: [{ key: 'ca.pem', path: 'ca.pem' }] }),
  );
  expect(mounted('/etc/fleetwave/kafka-tls/client')?.secret).toEqual(
    expect.objectContaining({
      secretName: `${service}-kafka-client`,
      items: [
        { key: 'tls.crt', path: 'tls.crt' },
        { key: 'tls.key', path: 'tls.key' },
      ],
    }),
  );
  expect(mounted('/etc/fleetwave/kafka-sasl')?.secret).toEqual(
    expect.objectContaining({
      secretName: `${service}-kafka`,
      items: [{ key: 'password', path: 'password' }],
    }),
  );
}

/** A chart refuses Kafka settings the service would refuse at start-up, saying which. */
async function expectKafkaSecurityRefused(chart: string): Promise<void> {
  const sasl = { mechanism: 'scram-sha-256', username: 'u', password: { existingSecret: 'kafka' } };
  expect(await renderError(chart, { kafka: { sasl: { mechanism: 'gssapi' } } })).toContain(
    '/kafka/sasl/mechanism',
  );
  expect(await renderError(chart, { kafka: { sasl } })).toContain(
    'kafka.sasl needs kafka.tls.enabled (the password would cross the network in the clear)',
  );
  expect(
    await renderError(chart, {
      kafka: { tls: { enabled: true }, sasl: { ...sasl, password: { existingSecret: '' } } },
    }),
  ).toContain('kafka.sasl.password.existingSecret is required with kafka.sasl.mechanism');
  expect(await renderError(chart, { kafka: { tls: { ca: { existingSecret: 'ca' } } } })).toContain(
    'kafka.tls.ca, clientCertificate and serverName need kafka.tls.enabled',
  );
}

// Secret settings of the hub: referenced from Secrets, never in the ConfigMap.
const HUB_SECRET_VARIABLES = ['HUB_DATABASE_URL', 'HUB_BOOTSTRAP_ADMIN_TOKEN', 'HUB_GIT_WEBHOOK_SECRET'];

/** Kafka over TLS (a private CA, a client certificate) and SCRAM, the password as a file or a variable. */
function kafkaSecurityOptions(service: 'hub' | 'agent', passwordAs: 'file' | 'env' = 'file'): Obj {
  return {
    tls: {
      enabled: true,
      ca: { existingConfigMap: 'kafka-ca', key: 'ca.pem' },
      clientCertificate: { existingSecret: `${service}-kafka-client` },
      serverName: 'kafka.fleetwave.test',
      rejectUnauthorized: true,
    },
    sasl: {
      mechanism: 'scram-sha-512',
      username: `fleetwave-${service}`,
      password: { existingSecret: `${service}-kafka`, key: 'password', as: passwordAs },
    },
  };
}

/** The variables two renders set together: a password is either a file or a variable, never both. */
function withPasswordAsVariable(options: Obj, service: 'hub' | 'agent'): Obj {
  return {
    ...options,
    kafka: { ...(options.kafka as Obj), ...kafkaSecurityOptions(service, 'env') },
  };
}

const HUB_OPTIONS: Obj = {
  replicaCount: 3,
  logLevel: 'debug',
  database: { poolSize: 20, url: { existingSecret: 'hub-db', key: 'database-url' } },
  kafka: {
    brokers: ['kafka-0.kafka:9092', 'kafka-1.kafka:9092'],
    topicPrefix: 'prod.',
    ...kafkaSecurityOptions('hub'),
  },
  auth: {
    bootstrapAdminToken: { existingSecret: 'hub-admin', key: 'token' },
    clusterCredentialTtlSeconds: 86400,
    credentialGraceSeconds: 600,
  },
  reports: { maxBytes: 1048576, offlineAfterSeconds: 1000000 },
  git: {
    webhookSecret: { existingSecret: 'hub-webhook', key: 'hmac' },
    credentials: { existingSecret: 'hub-git-credentials', key: 'creds.json' },
  },
  ingress: {
    enabled: true,
    className: 'nginx',
    hosts: [{ host: 'fleetwave.test', paths: [{ path: '/', pathType: 'Prefix' }] }],
    tls: [{ secretName: 'fleetwave-tls', hosts: ['fleetwave.test'] }],
  },
  metrics: { serviceMonitor: { enabled: true, labels: { release: 'prometheus' } } },
  dashboard: { dir: '/app/services/dashboard/dist' },
  gc: { enabled: false, retentionDays: 0.5, intervalSeconds: 86400, batchSize: 10000 },
  render: { timeoutSeconds: 120, maxOutputBytes: 33554432, concurrency: 4, helmBin: '/usr/local/bin/helm' },
  rollouts: { fleetMaxChanging: '10%', clusterMaxChangingApps: 3 },
  oidc: {
    issuer: 'https://sso.fleetwave.test',
    audience: ['fleetwave-dashboard', 'fleetctl'],
    dashboardClientId: 'fleetwave-dashboard',
    cliClientId: 'fleetctl',
    scopes: 'openid profile groups offline_access',
    usernameClaim: 'preferred_username',
    groupsClaim: 'groups',
    adminGroups: ['fleet-admins'],
    operatorGroups: ['sre', 'oncall'],
    viewerGroups: ['staff'],
  },
};

const AGENT_OPTIONS: Obj = {
  hub: { url: 'https://hub.fleetwave.test' },
  kafka: { brokers: ['kafka-0.kafka:9092', 'kafka-1.kafka:9092'], ...kafkaSecurityOptions('agent') },
  cluster: { name: 'prod-eu-1', labels: { env: 'prod', 'fleetwave.io/region': 'eu' } },
  registration: { token: 'fw-registration-token-for-charts-e2e' },
  stateNamespace: 'fleetwave-state',
  resyncSeconds: 120,
  reportBuffer: 500,
  logLevel: 'debug',
  health: { port: 9550 },
  checkJobs: { namespace: 'fleetwave-checks', pollSeconds: 10 },
  kubeconfig: { existingSecret: 'target-kubeconfig', context: 'target' },
  rbac: {
    clusterRole: {
      fullAccess: false,
      rules: [
        {
          apiGroups: ['apps'],
          resources: ['deployments'],
          verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'],
        },
      ],
    },
  },
  metrics: { serviceMonitor: { enabled: true } },
};

beforeAll(async () => {
  if (!existsSync(HELM)) {
    throw new Error(
      `helm not found at ${HELM}: build it with \`bash test/kube/build-helm.sh\` (npm test runs it; ~5 min cold, cached afterwards)`,
    );
  }
  helmHome = await mkdtemp(path.join(os.tmpdir(), 'fleetwave-helm-'));
});

afterAll(async () => {
  if (helmHome) await rm(helmHome, { recursive: true, force: true });
});

// ------------------------------------------------------------ lint

describe('helm lint --strict', () => {
  it.each([
    ['hub', HUB_CHART, undefined],
    ['hub', HUB_CHART, HUB_OPTIONS],
    ['agent', AGENT_CHART, undefined],
    ['agent', AGENT_CHART, AGENT_OPTIONS],
  ])('%s chart (%#) is clean', async (_name, chart, values) => {
    const out = await helm(['lint', '--strict', chart, ...(await valuesArgs(values))]);
    expect(out).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(out).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});

// ------------------------------------------------------------ hub

describe('hub chart', () => {
  it('renders a Deployment, Service, ConfigMap and ServiceAccount with the default values', async () => {
    const objects = await render(HUB_CHART, 'fleetwave-system');
    expect(kinds(objects)).toEqual(['ConfigMap', 'Deployment', 'Service', 'ServiceAccount']);
    for (const o of objects) {
      expect(o.metadata.namespace).toBe('fleetwave-system');
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'fleetwave-hub',
        'app.kubernetes.io/instance': 'fw',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/component': 'hub',
        'app.kubernetes.io/part-of': 'fleetwave',
      });
      expect(o.metadata.labels?.['app.kubernetes.io/version']).toBeDefined();
    }

    const d = one<Deployment>(objects, 'Deployment');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.template.metadata.labels).toMatchObject(d.spec.selector.matchLabels);
    const c = container(d);
    expect(c.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: 8080 })]);
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });

    // Non-root, read-only root filesystem; the git mirrors and /tmp are emptyDirs.
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
    const cm = one(objects, 'ConfigMap');
    const data = cm.data as Record<string, string>;
    const gitMount = c.volumeMounts?.find((m) => m.mountPath === data.HUB_GIT_DIR);
    expect(gitMount).toBeDefined();
    expect(d.spec.template.spec.volumes?.find((v) => v.name === gitMount?.name)?.emptyDir).toBeDefined();
    expect(c.volumeMounts?.map((m) => m.mountPath)).toContain('/tmp');

    // Settings: the ConfigMap by envFrom; the database URL from a Secret the user creates.
    expect(c.envFrom).toEqual([{ configMapRef: { name: cm.metadata.name } }]);
    expect(data).toMatchObject({ HUB_PORT: '8080', HUB_KAFKA_BROKERS: 'kafka:9092', LOG_LEVEL: 'info' });
    expect(envVar(c, 'HUB_DATABASE_URL').valueFrom?.secretKeyRef).toEqual({
      name: 'fw-fleetwave-hub-database',
      key: 'url',
    });
    expect(envNames(c)).toEqual(['HUB_DATABASE_URL']);
    for (const v of HUB_SECRET_VARIABLES) expect(Object.keys(data)).not.toContain(v);
  });

  it('can set every HUB_* variable the hub reads, secrets only by reference', async () => {
    const variables = configVariables('services/hub/src/config/hub-config.ts', 'HUB_');
    expect(variables).toEqual(expect.arrayContaining(['HUB_DATABASE_URL', 'HUB_GIT_DIR', 'LOG_LEVEL']));

    const objects = await render(HUB_CHART, 'fleetwave-system', HUB_OPTIONS);
    const cm = one(objects, 'ConfigMap');
    const data = cm.data as Record<string, string>;
    const c = container(one<Deployment>(objects, 'Deployment'));
    const asVariable = await render(
      HUB_CHART,
      'fleetwave-system',
      withPasswordAsVariable(HUB_OPTIONS, 'hub'),
    );
    const set = new Set([
      ...Object.keys(data),
      ...envNames(c),
      ...envNames(container(one<Deployment>(asVariable, 'Deployment'))),
    ]);
    expect(variables.filter((v) => !set.has(v))).toEqual([]);

    expect(data).toMatchObject({
      LOG_LEVEL: 'debug',
      HUB_DATABASE_POOL_SIZE: '20',
      HUB_KAFKA_BROKERS: 'kafka-0.kafka:9092,kafka-1.kafka:9092',
      HUB_KAFKA_TOPIC_PREFIX: 'prod.',
      // Large numbers stay integers (Helm reads values as float64).
      HUB_REPORT_MAX_BYTES: '1048576',
      HUB_OFFLINE_AFTER_SECONDS: '1000000',
      HUB_GIT_CREDENTIALS_FILE: '/etc/fleetwave/git-credentials/creds.json',
      HUB_DASHBOARD_DIR: '/app/services/dashboard/dist',
      HUB_GC_ENABLED: 'false',
      HUB_GC_RETENTION_DAYS: '0.5',
      HUB_GC_INTERVAL_SECONDS: '86400',
      HUB_GC_BATCH_SIZE: '10000',
      HUB_RENDER_TIMEOUT_SECONDS: '120',
      HUB_RENDER_MAX_OUTPUT_BYTES: '33554432',
      HUB_RENDER_CONCURRENCY: '4',
      HUB_HELM_BIN: '/usr/local/bin/helm',
      HUB_FLEET_MAX_CHANGING: '10%',
      HUB_CLUSTER_MAX_CHANGING_APPS: '3',
      HUB_KAFKA_TLS: 'true',
      HUB_KAFKA_TLS_CA_FILE: '/etc/fleetwave/kafka-tls/ca/ca.pem',
      HUB_KAFKA_TLS_CERT_FILE: '/etc/fleetwave/kafka-tls/client/tls.crt',
      HUB_KAFKA_TLS_KEY_FILE: '/etc/fleetwave/kafka-tls/client/tls.key',
      HUB_KAFKA_TLS_SERVER_NAME: 'kafka.fleetwave.test',
      HUB_KAFKA_TLS_REJECT_UNAUTHORIZED: 'true',
      HUB_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      HUB_KAFKA_SASL_USERNAME: 'fleetwave-hub',
      HUB_KAFKA_SASL_PASSWORD_FILE: '/etc/fleetwave/kafka-sasl/password',
      HUB_KAFKA_SASL_ALLOW_PLAINTEXT: 'false',
      HUB_CLUSTER_CREDENTIAL_TTL_SECONDS: '86400',
      HUB_CREDENTIAL_GRACE_SECONDS: '600',
      HUB_API_TOKEN_MAX_TTL_SECONDS: '31536000',
      HUB_OIDC_ISSUER: 'https://sso.fleetwave.test',
      HUB_OIDC_AUDIENCE: 'fleetwave-dashboard,fleetctl',
      HUB_OIDC_OPERATOR_GROUPS: 'sre,oncall',
      HUB_OIDC_USERNAME_CLAIM: 'preferred_username',
    });
    expectKafkaSecretsByReference(one<Deployment>(objects, 'Deployment'), 'hub');
    expect(envVar(container(one<Deployment>(asVariable, 'Deployment')), 'HUB_KAFKA_SASL_PASSWORD')).toEqual({
      name: 'HUB_KAFKA_SASL_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'hub-kafka', key: 'password' } },
    });
    expect(Object.keys(one(asVariable, 'ConfigMap').data as Obj)).not.toContain(
      'HUB_KAFKA_SASL_PASSWORD_FILE',
    );

    // Secret values come from the named Secrets; the chart renders no Secret and the ConfigMap none of them.
    expect(kinds(objects)).not.toContain('Secret');
    for (const v of HUB_SECRET_VARIABLES) {
      expect(Object.keys(data)).not.toContain(v);
      expect(envVar(c, v).value).toBeUndefined();
    }
    expect(envVar(c, 'HUB_DATABASE_URL').valueFrom?.secretKeyRef).toEqual({
      name: 'hub-db',
      key: 'database-url',
    });
    expect(envVar(c, 'HUB_BOOTSTRAP_ADMIN_TOKEN').valueFrom?.secretKeyRef).toEqual({
      name: 'hub-admin',
      key: 'token',
    });
    expect(envVar(c, 'HUB_GIT_WEBHOOK_SECRET').valueFrom?.secretKeyRef).toEqual({
      name: 'hub-webhook',
      key: 'hmac',
    });
    const credMount = c.volumeMounts?.find((m) => m.mountPath === '/etc/fleetwave/git-credentials');
    expect(credMount?.readOnly).toBe(true);
    const d = one<Deployment>(objects, 'Deployment');
    expect(d.spec.template.spec.volumes?.find((v) => v.name === credMount?.name)?.secret).toEqual(
      expect.objectContaining({
        secretName: 'hub-git-credentials',
        items: [{ key: 'creds.json', path: 'creds.json' }],
      }),
    );
  });

  it('renders the optional ServiceMonitor, Ingress and PodDisruptionBudget', async () => {
    const objects = await render(HUB_CHART, 'fleetwave-system', HUB_OPTIONS);
    expect(kinds(objects)).toEqual([
      'ConfigMap',
      'Deployment',
      'Ingress',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
      'ServiceMonitor',
    ]);
    const d = one<Deployment>(objects, 'Deployment');
    const svc = one(objects, 'Service');
    expect(d.spec.replicas).toBe(3);

    const sm = one(objects, 'ServiceMonitor');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.labels?.release).toBe('prometheus');
    expect(sm.spec).toMatchObject({
      endpoints: [expect.objectContaining({ port: 'http', path: '/metrics' })],
      selector: { matchLabels: (svc.spec as { selector: Record<string, string> }).selector },
    });

    const ing = one(objects, 'Ingress');
    expect(ing.spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ secretName: 'fleetwave-tls', hosts: ['fleetwave.test'] }],
      rules: [
        {
          host: 'fleetwave.test',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: svc.metadata.name, port: { number: 8080 } } },
              },
            ],
          },
        },
      ],
    });

    const pdb = one(objects, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: d.spec.selector.matchLabels } });

    // One replica: no PDB (it would block every drain).
    const single = await render(HUB_CHART, 'fleetwave-system', { ...HUB_OPTIONS, replicaCount: 1 });
    expect(kinds(single)).not.toContain('PodDisruptionBudget');
  });

  it('keeps the git mirrors on a PVC when asked (one replica only)', async () => {
    const objects = await render(HUB_CHART, 'fleetwave-system', {
      git: { persistence: { enabled: true, size: '20Gi', storageClass: 'fast' } },
    });
    const pvc = one(objects, 'PersistentVolumeClaim');
    expect(pvc.spec).toMatchObject({
      storageClassName: 'fast',
      resources: { requests: { storage: '20Gi' } },
    });
    const d = one<Deployment>(objects, 'Deployment');
    const git = d.spec.template.spec.volumes?.find((v) => v.persistentVolumeClaim);
    expect(git?.persistentVolumeClaim?.claimName).toBe(pvc.metadata.name);

    const existing = await render(HUB_CHART, 'fleetwave-system', {
      git: { persistence: { enabled: true, existingClaim: 'mirrors' } },
    });
    expect(kinds(existing)).not.toContain('PersistentVolumeClaim');
    expect(
      one<Deployment>(existing, 'Deployment').spec.template.spec.volumes?.find((v) => v.persistentVolumeClaim)
        ?.persistentVolumeClaim?.claimName,
    ).toBe('mirrors');

    expect(
      await renderError(HUB_CHART, { replicaCount: 2, git: { persistence: { enabled: true } } }),
    ).toContain('git.persistence.enabled needs replicaCount 1');
  });

  it('rejects invalid values through its schema', async () => {
    expect(await renderError(HUB_CHART, { kafka: { brokers: ['no-port'] } })).toContain('/kafka/brokers/0');
    expect(await renderError(HUB_CHART, { database: { poolSize: 0 } })).toContain('/database/poolSize');
    expect(await renderError(HUB_CHART, { logLevel: 'verbose' })).toContain('/logLevel');
    for (const bad of [0, '0', '3%'])
      expect(await renderError(HUB_CHART, { rollouts: { clusterMaxChangingApps: bad } })).toContain(
        '/rollouts/clusterMaxChangingApps',
      );
    await expectKafkaSecurityRefused(HUB_CHART);
    expect(await renderError(HUB_CHART, { databaseUrl: 'postgres://u:p@db/x' })).toContain(
      "additional properties 'databaseUrl' not allowed",
    );
  });
});

// ------------------------------------------------------------ agent

describe('agent chart', () => {
  it('renders one Recreate-strategy agent with probes on its health port and RBAC', async () => {
    const objects = await render(AGENT_CHART, 'fleetwave-system');
    expect(kinds(objects)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'Deployment',
      'Role',
      'RoleBinding',
      'ServiceAccount',
    ]);
    for (const o of objects) {
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'fleetwave-agent',
        'app.kubernetes.io/instance': 'fw',
        'app.kubernetes.io/managed-by': 'Helm',
        'app.kubernetes.io/component': 'agent',
      });
    }

    const d = one<Deployment>(objects, 'Deployment');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const c = container(d);
    expect(c.ports).toEqual([expect.objectContaining({ name: 'health', containerPort: 9440 })]);
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
      expect(probe?.httpGet).toEqual({ path: '/healthz', port: 'health' });
    }
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true });
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(envVar(c, 'AGENT_CACHE_DIR').value).toBe('/var/cache/fleetwave');
    expect(c.volumeMounts?.map((m) => m.mountPath)).toEqual(
      expect.arrayContaining(['/var/cache/fleetwave', '/tmp']),
    );
    expect(envVar(c, 'AGENT_NAMESPACE').value).toBe('fleetwave-system');
    // No token given: no Secret, no AGENT_REGISTRATION_TOKEN.
    expect(envNames(c)).not.toContain('AGENT_REGISTRATION_TOKEN');

    const sa = one(objects, 'ServiceAccount');
    expect(d.spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
    expect(d.spec.template.spec.automountServiceAccountToken).toBe(true);

    // Default: every kind, because bundles may hold any kind; but only the verbs the agent uses.
    const cr = one(objects, 'ClusterRole');
    expect(cr.rules as PolicyRule[]).toEqual([
      {
        apiGroups: ['*'],
        resources: ['*'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles', 'roles'],
        verbs: ['escalate', 'bind'],
      },
    ]);
    const crb = one(objects, 'ClusterRoleBinding');
    expect(crb).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: cr.metadata.name },
      subjects: [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: 'fleetwave-system' }],
    });

    // Its own state: the identity Secret, the sequence and inventory ConfigMaps.
    const role = one(objects, 'Role');
    expect(role.metadata.namespace).toBe('fleetwave-system');
    const rules = role.rules as PolicyRule[];
    const verbsOn = (resource: string): string[] =>
      rules.filter((r) => r.resources?.includes(resource)).flatMap((r) => r.verbs);
    expect(verbsOn('secrets')).toEqual(expect.arrayContaining(['get', 'create', 'update']));
    expect(verbsOn('configmaps')).toEqual(
      expect.arrayContaining(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']),
    );
    expect(one(objects, 'RoleBinding')).toMatchObject({
      roleRef: { kind: 'Role', name: role.metadata.name },
      subjects: [{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: 'fleetwave-system' }],
    });
  });

  it('can set every AGENT_* variable the agent reads', async () => {
    const variables = configVariables('services/agent/src/config/agent-config.ts', 'AGENT_');
    expect(variables).toEqual(expect.arrayContaining(['AGENT_HUB_URL', 'AGENT_HEALTH_PORT', 'LOG_LEVEL']));
    const objects = await render(AGENT_CHART, 'fleetwave-system', AGENT_OPTIONS);
    const c = container(one<Deployment>(objects, 'Deployment'));
    const asVariable = await render(
      AGENT_CHART,
      'fleetwave-system',
      withPasswordAsVariable(AGENT_OPTIONS, 'agent'),
    );
    const cv = container(one<Deployment>(asVariable, 'Deployment'));
    expect(variables.filter((v) => !envNames(c).includes(v) && !envNames(cv).includes(v))).toEqual([]);

    const value = (name: string): string | undefined => envVar(c, name).value;
    expect(value('AGENT_HUB_URL')).toBe('https://hub.fleetwave.test');
    expect(value('AGENT_KAFKA_BROKERS')).toBe('kafka-0.kafka:9092,kafka-1.kafka:9092');
    expect(value('AGENT_CLUSTER_NAME')).toBe('prod-eu-1');
    expect(value('AGENT_CLUSTER_LABELS')).toBe('env=prod,fleetwave.io/region=eu');
    expect(value('AGENT_NAMESPACE')).toBe('fleetwave-state');
    expect(value('AGENT_RESYNC_SECONDS')).toBe('120');
    expect(value('AGENT_REPORT_BUFFER')).toBe('500');
    expect(value('AGENT_HEALTH_PORT')).toBe('9550');
    expect(value('AGENT_CHECK_JOB_NAMESPACE')).toBe('fleetwave-checks');
    expect(value('AGENT_CHECK_JOB_POLL_SECONDS')).toBe('10');
    expect(value('AGENT_KUBECONFIG')).toBe('/etc/fleetwave/kubeconfig/kubeconfig');
    expect(value('AGENT_KUBE_CONTEXT')).toBe('target');
    expect(value('LOG_LEVEL')).toBe('debug');
    expect(c.ports?.[0]?.containerPort).toBe(9550);
    expect(value('AGENT_KAFKA_TLS')).toBe('true');
    expect(value('AGENT_KAFKA_TLS_CA_FILE')).toBe('/etc/fleetwave/kafka-tls/ca/ca.pem');
    expect(value('AGENT_KAFKA_TLS_SERVER_NAME')).toBe('kafka.fleetwave.test');
    expect(value('AGENT_KAFKA_SASL_MECHANISM')).toBe('scram-sha-512');
    expect(value('AGENT_KAFKA_SASL_USERNAME')).toBe('fleetwave-agent');
    expect(value('AGENT_KAFKA_SASL_PASSWORD_FILE')).toBe('/etc/fleetwave/kafka-sasl/password');
    expectKafkaSecretsByReference(one<Deployment>(objects, 'Deployment'), 'agent');
    expect(envVar(cv, 'AGENT_KAFKA_SASL_PASSWORD')).toEqual({
      name: 'AGENT_KAFKA_SASL_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'agent-kafka', key: 'password' } },
    });
    expect(envNames(cv)).not.toContain('AGENT_KAFKA_SASL_PASSWORD_FILE');

    // The registration token: a Secret rendered by the chart, referenced (not inlined) by the pod.
    const secret = one(objects, 'Secret');
    expect(secret.data).toEqual({
      token: Buffer.from('fw-registration-token-for-charts-e2e').toString('base64'),
    });
    expect(envVar(c, 'AGENT_REGISTRATION_TOKEN').valueFrom?.secretKeyRef).toMatchObject({
      name: secret.metadata.name,
      key: 'token',
    });
    expect(JSON.stringify(one(objects, 'Deployment'))).not.toContain('fw-registration-token-for-charts-e2e');

    // Or an existing Secret: then the chart renders none.
    const existing = await render(AGENT_CHART, 'fleetwave-system', {
      registration: { existingSecret: 'agent-registration', key: 'value' },
    });
    expect(kinds(existing)).not.toContain('Secret');
    expect(
      envVar(container(one<Deployment>(existing, 'Deployment')), 'AGENT_REGISTRATION_TOKEN').valueFrom
        ?.secretKeyRef,
    ).toMatchObject({ name: 'agent-registration', key: 'value' });
  });

  it('narrows the ClusterRole to the rules given and adds the metrics ServiceMonitor', async () => {
    const objects = await render(AGENT_CHART, 'fleetwave-system', AGENT_OPTIONS);
    const rules = one(objects, 'ClusterRole').rules as PolicyRule[];
    expect(rules.some((r) => r.verbs.includes('*') || r.resources?.includes('*'))).toBe(false);
    expect(rules).toContainEqual(
      expect.objectContaining({
        apiGroups: [''],
        resources: ['namespaces'],
        verbs: ['get', 'list', 'watch'],
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({ apiGroups: ['apps'], resources: ['deployments'] }),
    );
    // The state Role goes where AGENT_NAMESPACE points.
    expect(one(objects, 'Role').metadata.namespace).toBe('fleetwave-state');
    expect(one(objects, 'RoleBinding').metadata.namespace).toBe('fleetwave-state');

    const sm = one(objects, 'ServiceMonitor');
    expect(sm.spec).toMatchObject({
      endpoints: [expect.objectContaining({ port: 'health', path: '/metrics' })],
    });
    const svc = one(objects, 'Service');
    expect(svc.spec).toMatchObject({
      ports: [expect.objectContaining({ port: 9550, targetPort: 'health' })],
    });
  });

  it('rejects invalid values through its schema', async () => {
    expect(await renderError(AGENT_CHART, { cluster: { name: 'Not_A_Label' } })).toContain('/cluster/name');
    expect(await renderError(AGENT_CHART, { hub: { url: 'hub:8080' } })).toContain('/hub/url');
    expect(await renderError(AGENT_CHART, { resyncSeconds: 1 })).toContain('/resyncSeconds');
    await expectKafkaSecurityRefused(AGENT_CHART);
    expect(await renderError(AGENT_CHART, { replicaCount: 2 })).toContain(
      "additional properties 'replicaCount' not allowed",
    );
  });
});

// ------------------------------------------------------------ real cluster

describe('server-side dry-run against a real cluster', () => {
  let fleet: Fleet | undefined;
  const namespace = `fw-charts-${randomSuffix()}`;

  beforeAll(async () => {
    const binaries = await ensureKubeBinaries();
    fleet = await startFleet({ clusters: 1, nodesPerCluster: 1, namePrefix: 'charts', binaries });
    await kubectl(binaries, clusterOf(fleet), ['create', 'namespace', namespace]);
  }, BUILD_TIMEOUT_MS + START_TIMEOUT_MS);

  afterAll(async () => {
    await fleet?.stop();
  }, 120_000);

  function clusterOf(f: Fleet | undefined): FleetCluster {
    const c = f?.clusters[0];
    if (!f || !c) throw new Error('fleet did not start (see beforeAll)');
    return c;
  }

  /** kubectl apply --server-side --dry-run=server; returns the `<kind>/<name>` kubectl reports. */
  async function dryRunApply(manifests: string): Promise<string[]> {
    const f = fleet;
    if (!f || !helmHome) throw new Error('fleet did not start (see beforeAll)');
    // The harness's kubectl runs without stdin: hand it a file instead of `-f -`.
    const file = path.join(helmHome, `dry-run-${randomSuffix()}.yaml`);
    await writeFile(file, manifests);
    const out = await kubectl(
      f.binaries,
      clusterOf(f),
      ['apply', '--server-side', '--dry-run=server', '--field-manager=fleetwave-e2e', '-f', file],
      60_000,
    );
    return out
      .trim()
      .split('\n')
      .filter((l) => l.includes('(server dry run)'))
      .map((l) => l.split(' ')[0]!);
  }

  function expectAllApplied(applied: readonly string[], objects: readonly K8sObject[]): void {
    expect(applied).toHaveLength(objects.length);
    for (const o of objects) {
      expect(applied.some((a) => a.toLowerCase().endsWith(`/${o.metadata.name}`))).toBe(true);
    }
  }

  it('accepts the agent chart (default values, and narrowed RBAC with a registration token)', async () => {
    for (const values of [
      undefined,
      {
        ...AGENT_OPTIONS,
        stateNamespace: '',
        kubeconfig: { existingSecret: '' },
        metrics: { serviceMonitor: { enabled: false } }, // no ServiceMonitor CRD in this cluster
      },
    ]) {
      const manifests = await renderRaw(AGENT_CHART, namespace, values, `agent-${randomSuffix()}`);
      const objects = parseManifests(manifests);
      expect(kinds(objects)).toEqual(expect.arrayContaining(['ClusterRole', 'Role', 'Deployment']));
      expectAllApplied(await dryRunApply(manifests), objects);
    }
  });

  it('accepts the hub chart (default values, and ingress + PDB + existing secrets + PVC)', async () => {
    for (const values of [
      undefined,
      { ...HUB_OPTIONS, metrics: { serviceMonitor: { enabled: false } } }, // no ServiceMonitor CRD here
      { git: { persistence: { enabled: true } } },
    ]) {
      const manifests = await renderRaw(HUB_CHART, namespace, values, `hub-${randomSuffix()}`);
      const objects = parseManifests(manifests);
      expectAllApplied(await dryRunApply(manifests), objects);
    }
  });
});
