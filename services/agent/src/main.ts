import { type ClusterFacts, type RegisterResponse } from '@fleetwave/contracts';
import { pino, type Logger } from 'pino';
import { Agent } from './agent.js';
import { AgentConfigError, type AgentConfig, loadAgentConfig } from './config/agent-config.js';
import { startHealthServer } from './health-server.js';
import { CheckJobRunner } from './checks/check-job-runner.js';
import { kubeCheckJobs } from './checks/kube-check-jobs.js';
import { BundleCache } from './hub/bundle-cache.js';
import { HubClient } from './hub/hub-client.js';
import { IdentityStore, SequenceReservations } from './identity/identity-store.js';
import { SequenceNumbers } from './identity/sequence.js';
import { CredentialRotator } from './identity/rotation.js';
import { type CoreApi, createKubeClients, DriftWatcher, isNotFound, readClusterFacts } from './kube/index.js';
import { KubeClusterPort } from './kube-cluster-port.js';
import { AgentMetrics } from './metrics.js';
import { createAgentKafka } from './report/kafka-client.js';
import { Reporter } from './report/reporter.js';

export const AGENT_VERSION = '0.1.0';
/** How often the agent asks itself whether its credential is due for rotation (cheap: no call until it is). */
const ROTATION_CHECK_MS = 10 * 60_000;

async function main(): Promise<void> {
  const config = loadAgentConfig(process.env);
  // Before anything else: a CA or password file that cannot be read stops the agent at once.
  const kafka = createAgentKafka(config);
  const logger = pino({
    level: config.logLevel,
    base: { service: 'fleetwave-agent', cluster: config.clusterName },
  });
  // Until the agent runs (registration may wait minutes for the hub) there is nothing to drain, so a
  // signal ends the process at once. It needs a handler all the same: as a container's PID 1, node
  // would otherwise have the kernel ignore SIGTERM, and the pod would wait out its grace period.
  const exitBeforeStart = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopped before the agent started');
    process.exit(0);
  };
  process.once('SIGTERM', exitBeforeStart);
  process.once('SIGINT', exitBeforeStart);
  const clients = createKubeClients({ kubeconfigPath: config.kubeconfig, context: config.kubeContext });
  await ensureNamespace(clients.core, config.namespace);

  const facts = cachedFacts(clients.core, config.resyncSeconds, logger);
  const store = new IdentityStore(clients.core, config.namespace);
  const identity = await obtainIdentity(config, store, clients.core, facts, logger);
  logger.info({ clusterId: identity.clusterId }, 'identity ready');
  const hub = new HubClient(config.hubUrl, identity.credential);
  const reservations = new SequenceReservations(clients.core, config.namespace, identity.clusterId);
  const reporter = new Reporter(
    kafka,
    identity,
    new SequenceNumbers((size) => reservations.reserve(size)),
    AGENT_VERSION,
    logger,
    config.reportBuffer,
  );

  let driftListener: (application: string, objectId: string) => void = () => undefined;
  const watcher = new DriftWatcher(clients, {
    onDrift: (event) => driftListener(event.application, event.id),
    onError: (error, scope) => logger.debug({ scope, err: String(error) }, 'watch restarted'),
  });
  const metrics = new AgentMetrics();
  const agent = new Agent({
    clusterId: identity.clusterId,
    hub,
    cache: new BundleCache(config.cacheDir),
    port: new KubeClusterPort(clients, config.namespace, watcher),
    reporter,
    drift: {
      onDrift: (listener) => (driftListener = listener),
      stop: async () => watcher.stop(),
    },
    logger,
    facts,
    namespaceAnnotations: async () =>
      (await clients.core.readNamespace({ name: config.namespace })).metadata?.annotations,
    metrics,
    heartbeatIntervalSeconds: identity.heartbeatIntervalSeconds,
    resyncSeconds: config.resyncSeconds,
  });
  await agent.start();
  if (config.checkJobs.namespace !== config.namespace)
    await ensureNamespace(clients.core, config.checkJobs.namespace);
  const checkJobs = new CheckJobRunner({
    hub,
    cluster: kubeCheckJobs(clients.resources),
    namespace: config.checkJobs.namespace,
    pollSeconds: config.checkJobs.pollSeconds,
    logger,
  });
  checkJobs.start();

  // Before the credential expires (two thirds into its lifetime) the agent swaps it, and its
  // report-signing key, for new ones: saved in the identity Secret first, then used.
  const rotator = new CredentialRotator(identity, {
    hub,
    store,
    reporter,
    now: () => new Date(),
    logger,
  });
  const rotate = () => void rotator.rotateIfDue();
  rotate();
  const rotationTimer = setInterval(rotate, ROTATION_CHECK_MS);
  metrics.scrape({
    reportsSent: () => reporter.sent,
    reportsBuffered: () => reporter.pending,
    reportsDropped: () => reporter.dropped,
    kubeRequests: () => clients.agent.requests,
  });
  const server = await startHealthServer(config.health.host, config.health.port, metrics.registry);
  logger.info({ health: `${config.health.host}:${config.health.port}` }, 'agent running');

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close();
    checkJobs.stop();
    clearInterval(rotationTimer);
    await agent.stop();
    clients.close();
    process.exit(0);
  };
  process.off('SIGTERM', exitBeforeStart);
  process.off('SIGINT', exitBeforeStart);
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** The stored identity, else a registration, retried with backoff until it works. */
async function obtainIdentity(
  config: AgentConfig,
  store: IdentityStore,
  core: CoreApi,
  facts: () => Promise<ClusterFacts | undefined>,
  logger: Logger,
): Promise<RegisterResponse> {
  const stored = await store.load();
  if (stored) return stored;
  const kubeSystem = await core.readNamespace({ name: 'kube-system' });
  const hub = new HubClient(config.hubUrl);
  let delayMs = 1_000;
  for (;;) {
    try {
      if (!config.registrationToken) {
        throw new Error('no stored identity and no AGENT_REGISTRATION_TOKEN to register with');
      }
      const identity = await hub.register({
        token: config.registrationToken,
        clusterName: config.clusterName,
        kubeSystemUid: kubeSystem.metadata?.uid ?? '',
        labels: config.clusterLabels,
        // Facts become read-only labels at once, so selectors on them match from the first rollout.
        facts: (await facts()) ?? {},
        agentVersion: AGENT_VERSION,
      });
      await store.save(identity);
      return identity;
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error), retryInMs: delayMs },
        'cannot register yet',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, 60_000);
    }
  }
}

async function ensureNamespace(core: CoreApi, name: string): Promise<void> {
  try {
    await core.readNamespace({ name });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await core.createNamespace({ body: { metadata: { name } } });
  }
}

/**
 * Facts change rarely: read them at most once per resync period (keeps API calls per minute low).
 * A failed read gives undefined, never `{}`: the hub drops fact labels the agent no longer reports,
 * and a transient API error must not move the cluster out of selectors on its facts.
 */
function cachedFacts(
  core: CoreApi,
  maxAgeSeconds: number,
  logger: Logger,
): () => Promise<ClusterFacts | undefined> {
  let cached: { at: number; facts: ClusterFacts } | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < maxAgeSeconds * 1000) return cached.facts;
    try {
      cached = { at: Date.now(), facts: await readClusterFacts(core) };
      return cached.facts;
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'cannot read cluster facts',
      );
      return undefined;
    }
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `fleetwave-agent: ${error instanceof AgentConfigError ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
