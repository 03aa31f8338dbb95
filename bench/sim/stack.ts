import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type GitServer, startGitServer } from '../../test/harness/git-server.js';
import { type GraphqlClient, graphqlClient } from '../../test/harness/graphql-client.js';
import { type HubProcess, startHubProcess } from '../../test/harness/hub-process.js';
import { type KafkaServer, startKafka } from '../../test/harness/kafka.js';
import { createDatabase, type PostgresServer, startPostgres } from '../../test/harness/postgres.js';
import { type RegisteredCluster, registerClusters } from './fleet.js';

export const WEBHOOK_SECRET = 'sim-webhook-secret-0123456789';

/**
 * A metric's value from a hub's /metrics, summed over the series whose labels include every
 * `label="value"` of `labels` (all series when none are given).
 */
export async function hubMetric(
  hub: HubProcess,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name} `) && !line.startsWith(`${name}{`)) continue;
    const series = line.slice(name.length, line.lastIndexOf(' '));
    if (wanted.every((pair) => series.includes(pair))) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

/**
 * Everything a simulation runs against: real PostgreSQL and Kafka (the project's harness), a git
 * server, and hub replicas as separate processes (so their CPU and memory are theirs alone).
 */
export class SimStack {
  readonly hubs: HubProcess[] = [];
  readonly adminToken = `fwa_sim_${randomBytes(24).toString('hex')}`;
  readonly gql: GraphqlClient;
  private next = 0;

  private constructor(
    readonly work: string,
    readonly postgres: PostgresServer,
    readonly kafka: KafkaServer,
    readonly git: GitServer,
    readonly databaseUrl: string,
    private readonly hubEnv: Record<string, string>,
  ) {
    // Admin calls go to whichever replica is alive, round robin.
    this.gql = graphqlClient(() => this.liveHubUrl(), this.adminToken);
  }

  static async start(options: { hubEnv?: Record<string, string> } = {}): Promise<SimStack> {
    const work = await mkdtemp(path.join(os.tmpdir(), 'fw-sim-'));
    const [postgres, kafka, git] = await Promise.all([
      startPostgres(),
      startKafka({ log: () => undefined }),
      startGitServer({ root: path.join(work, 'git') }),
    ]);
    const databaseUrl = await createDatabase(postgres.adminUrl, `sim_${Date.now()}`);
    return new SimStack(work, postgres, kafka, git, databaseUrl, options.hubEnv ?? {});
  }

  /** Starts one more hub replica and waits until it is ready; returns how long that took. */
  async addHub(env: Record<string, string> = {}): Promise<{ hub: HubProcess; readyMs: number }> {
    const n = this.hubs.length;
    const t0 = performance.now();
    const hub = await startHubProcess({
      databaseUrl: this.databaseUrl,
      brokers: this.kafka.brokers,
      logFile: path.join(this.work, `hub-${n}-${Date.now()}.log`),
      // SIM_HUB_MAIN runs another build of the hub (before/after comparisons).
      main: process.env.SIM_HUB_MAIN,
      env: {
        HUB_BOOTSTRAP_ADMIN_TOKEN: this.adminToken,
        HUB_GIT_DIR: path.join(this.work, `mirrors-${n}`),
        HUB_GIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        HUB_GIT_SYNC_TICK_SECONDS: '3600',
        HUB_DASHBOARD_DIR: '', // the simulator needs no dashboard build
        ...this.hubEnv,
        ...env,
      },
    });
    await hub.ready(120_000);
    this.hubs.push(hub);
    return { hub, readyMs: performance.now() - t0 };
  }

  /**
   * Registers `count` clusters through the replicas with a registration token made for them
   * (`firstIndex`: where their names and kube-system UIDs start); returns them and how long it took.
   */
  async register(
    count: number,
    labels: (i: number) => Record<string, string>,
    options: { firstIndex?: number; onProgress?: (done: number) => void } = {},
  ): Promise<{ clusters: RegisteredCluster[]; seconds: number }> {
    const { createRegistrationToken } = await this.gql<{ createRegistrationToken: { secret: string } }>(
      `mutation($n: Int!) { createRegistrationToken(input: { description: "fleet simulator", maxUses: $n }) { secret } }`,
      { n: count },
    );
    const t0 = performance.now();
    const clusters = await registerClusters({
      hubUrls: this.hubUrls,
      token: createRegistrationToken.secret,
      count,
      labels,
      ...options,
    });
    return { clusters, seconds: (performance.now() - t0) / 1000 };
  }

  get hubUrls(): string[] {
    return this.hubs.map((h) => h.url);
  }

  private liveHubUrl(): string {
    const live = this.hubs.filter(
      (h) => h.process.child.exitCode === null && h.process.child.signalCode === null,
    );
    if (live.length === 0) throw new Error('no hub replica is running');
    return live[this.next++ % live.length]!.url;
  }

  async postgresSize(): Promise<string> {
    const db = new pg.Client({ connectionString: this.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ size: string }>(
        `SELECT pg_size_pretty(pg_database_size(current_database())) AS size`,
      );
      return rows[0]!.size;
    } finally {
      await db.end();
    }
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.hubs.map((h) => h.stop()));
    await Promise.allSettled([this.git.stop(), this.kafka.stop(), this.postgres.stop()]);
    await rm(this.work, { recursive: true, force: true });
  }
}
