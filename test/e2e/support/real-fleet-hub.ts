import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHubApp } from '../../../services/hub/src/app.factory.js';
import { RolloutsService } from '../../../services/hub/src/rollouts/rollouts.service.js';
import { type RolloutRecord } from '../../../services/hub/src/rollouts/rollouts.repository.js';
import { sendPushWebhook } from '../../harness/git-push.js';
import { createRepo, type GitServer, type LocalRepo, startGitServer } from '../../harness/git-server.js';
import { hubConfigFor, type HubConfigOverrides } from '../../harness/hub-config.js';
import { startKafka, type KafkaServer } from '../../harness/kafka.js';
import { freePort } from '../../harness/net.js';
import { agentBin } from '../../harness/paths.js';
import { createDatabase, type PostgresServer, startPostgres } from '../../harness/postgres.js';
import { type ManagedProcess, startManagedProcess } from '../../harness/process.js';
import { waitFor } from '../../harness/wait-for.js';
import { type Fleet, type FleetCluster, startFleet } from '../../kube/fleet.js';

export interface RealFleetHubOptions {
  clusters: number;
  /** Fake nodes per cluster (the fleet's default: 1). */
  nodesPerCluster?: number;
  /** Prefix of the fleet's cluster names and of the work directory. */
  name: string;
  webhookSecret: string;
  /** The test's hub settings, on top of the ones every real-fleet test uses. */
  hub?: HubConfigOverrides;
}

/**
 * Everything a real-fleet e2e test runs against: kwok-backed clusters (test/kube), Kafka,
 * Postgres, a git server with one repository `fleet`, and the hub in this process. Agents are
 * started per cluster with `startAgent`, when the test wants them to register.
 */
export class RealFleetHub {
  readonly agents: ManagedProcess[] = [];

  private constructor(
    readonly workDir: string,
    readonly fleet: Fleet,
    readonly kafka: KafkaServer,
    readonly postgres: PostgresServer,
    readonly git: GitServer,
    readonly repo: LocalRepo,
    readonly hub: NestFastifyApplication,
    readonly hubUrl: string,
    private readonly webhookSecret: string,
  ) {}

  /** Starts it all; if any part fails, stops the parts that started and throws. */
  static async start(options: RealFleetHubOptions): Promise<RealFleetHub> {
    const workDir = await mkdtemp(path.join(os.tmpdir(), `fw-${options.name}-e2e-`));
    const started = await Promise.allSettled([
      startFleet({
        clusters: options.clusters,
        namePrefix: options.name,
        ...(options.nodesPerCluster === undefined ? {} : { nodesPerCluster: options.nodesPerCluster }),
      }),
      startKafka({ log: () => undefined }),
      startPostgres(),
      startGitServer({ root: path.join(workDir, 'git') }),
    ]);
    const [f, kf, pg, g] = started;
    const stopAll = async () => {
      await Promise.allSettled(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
      await rm(workDir, { recursive: true, force: true });
    };
    if (
      f.status !== 'fulfilled' ||
      kf.status !== 'fulfilled' ||
      pg.status !== 'fulfilled' ||
      g.status !== 'fulfilled'
    ) {
      await stopAll();
      throw started.find((s): s is PromiseRejectedResult => s.status === 'rejected')!.reason;
    }
    let hub: NestFastifyApplication | undefined;
    try {
      const repo = await createRepo(path.join(workDir, 'git'), 'fleet');
      const config = hubConfigFor(
        {
          databaseUrl: await createDatabase(pg.value.adminUrl, 'fleetwave_e2e'),
          brokers: kf.value.brokers,
          gitDir: path.join(workDir, 'mirrors'),
        },
        {
          database: { poolSize: 8 },
          reports: { partitions: 3 },
          git: { webhookSecret: options.webhookSecret },
          rollouts: { passIntervalSeconds: 2 },
        },
        options.hub ?? {},
      );
      hub = await createHubApp(config);
      await hub.listen({ host: '127.0.0.1', port: 0 });
      const hubUrl = await hub.getUrl();
      return new RealFleetHub(
        workDir,
        f.value,
        kf.value,
        pg.value,
        g.value,
        repo,
        hub,
        hubUrl,
        options.webhookSecret,
      );
    } catch (error) {
      await hub?.close().catch(() => undefined);
      await stopAll();
      throw error;
    }
  }

  /**
   * Starts the built agent for `cluster`; it registers with `token` under `name` and `labels`.
   * `env` adds to (or overrides) the agent's settings.
   */
  async startAgent(
    cluster: FleetCluster,
    agent: { name: string; labels: Record<string, string>; token: string; env?: Record<string, string> },
  ): Promise<ManagedProcess> {
    const labels = Object.entries(agent.labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const started = startManagedProcess(agentBin, [], {
      logFile: path.join(this.workDir, `agent-${agent.name}.log`),
      env: {
        ...process.env,
        AGENT_HUB_URL: this.hubUrl,
        AGENT_KAFKA_BROKERS: this.kafka.brokers.join(','),
        AGENT_CLUSTER_NAME: agent.name,
        AGENT_CLUSTER_LABELS: labels,
        AGENT_REGISTRATION_TOKEN: agent.token,
        AGENT_KUBECONFIG: cluster.kubeconfigPath,
        AGENT_KUBE_CONTEXT: cluster.context,
        AGENT_CACHE_DIR: path.join(this.workDir, `cache-${agent.name}`),
        AGENT_HEALTH_HOST: '127.0.0.1',
        AGENT_HEALTH_PORT: String(await freePort()),
        AGENT_RESYNC_SECONDS: '60',
        LOG_LEVEL: 'info',
        ...agent.env,
      },
    });
    this.agents.push(started);
    return started;
  }

  /** Tells the hub about a push of `commit` to `fleet` as a signed GitHub webhook. */
  push(commit: string): ReturnType<typeof sendPushWebhook> {
    return sendPushWebhook({
      hubUrl: this.hubUrl,
      secret: this.webhookSecret,
      repoUrl: this.git.url('fleet'),
      commit,
    });
  }

  /** The newest rollout of `application` for `commit` of `kind`, once it is in `state`. */
  rolloutOf(
    query: {
      application: string;
      commit: string;
      state: RolloutRecord['state'];
      kind?: RolloutRecord['kind'];
    },
    timeoutMs = 180_000,
  ): Promise<RolloutRecord> {
    const kind = query.kind ?? 'rollout';
    return waitFor(
      async () => {
        const page = await this.hub.get(RolloutsService).list({ application: query.application, first: 20 });
        const found = page.rollouts.find((r) => r.commit === query.commit && r.kind === kind);
        return found?.state === query.state ? found : undefined;
      },
      {
        description: `${kind} of ${query.commit.slice(0, 8)} ${query.state} (agent log: ${this.agents[0]?.logTail(3) ?? ''})`,
        timeoutMs,
        intervalMs: 250,
      },
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.agents.map((a) => a.stop()));
    await this.hub.close().catch(() => undefined);
    await Promise.allSettled([this.fleet.stop(), this.kafka.stop(), this.postgres.stop(), this.git.stop()]);
    await rm(this.workDir, { recursive: true, force: true });
  }
}
