import { type Assignment, type RegisterRequestInput, type RegisterResponse } from '@fleetwave/contracts';
import pg from 'pg';
import { type BatchingReportSink } from '../../test/harness/report-sinks.js';
import { registerAgent, SimAgent } from '../../test/harness/sim-agent.js';
import { type LabelRule, ruleValue, simulatedApply } from './behaviour.js';

/** Status reports per agent coalesced like the real agent's one report per reconcile pass. */
const STATUS_COALESCE_MS = 50;
/** Failed polls retried at random within a second, so a restarted hub is not hit all at once. */
const jitteredRetryDelay = () => 200 + Math.random() * 800;

/**
 * Labels of the i-th simulated cluster out of n: `tier` a/b/c for 10 % / 30 % / 60 % (the wave
 * split the benchmarks use), `region` eu/us/ap in turn, `env` staging for every 20th, else prod.
 */
export function simLabels(i: number, n: number): Record<string, string> {
  return {
    tier: i < n * 0.1 ? 'a' : i < n * 0.4 ? 'b' : 'c',
    region: ['eu', 'us', 'ap'][i % 3]!,
    env: i % 20 === 0 ? 'staging' : 'prod',
  };
}

export interface RegisteredCluster {
  identity: RegisterResponse;
  labels: Record<string, string>;
}

/** Registers clusters through the hub's real registration endpoint, `concurrency` at a time. */
export async function registerClusters(options: {
  hubUrls: readonly string[];
  token: string;
  count: number;
  labels: (i: number) => Record<string, string>;
  /** Index of the first cluster: a later batch gets names and kube-system UIDs of its own. */
  firstIndex?: number;
  concurrency?: number;
  onProgress?: (done: number) => void;
}): Promise<RegisteredCluster[]> {
  const out: RegisteredCluster[] = new Array(options.count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < options.count) {
      const i = next++;
      const labels = options.labels(i);
      const n = i + (options.firstIndex ?? 0);
      const body: RegisterRequestInput = {
        token: options.token,
        clusterName: `sim-${String(n).padStart(5, '0')}`,
        kubeSystemUid: `sim-uid-${n}`,
        labels,
        agentVersion: 'sim-0.1.0',
      };
      out[i] = { identity: await registerAgent(options.hubUrls[i % options.hubUrls.length]!, body), labels };
      if (++done % 500 === 0) options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  return out;
}

/** The simulated fleet: one SimAgent per registered cluster, sharing one batching report sink. */
export class SimFleet {
  readonly clusters: SimAgent[];

  constructor(
    registered: readonly RegisteredCluster[],
    options: {
      hubUrls: readonly string[];
      reports: BatchingReportSink;
      heartbeatSeconds: number;
      applyMs: readonly LabelRule[];
      failureRate: readonly LabelRule[];
      /** Called when a cluster has fetched the bundle of an assignment that is new to it. */
      onAssigned?: (cluster: RegisterResponse, assignment: Assignment) => void;
    },
  ) {
    this.clusters = registered.map(
      (r, i) =>
        new SimAgent({
          identity: r.identity,
          hubUrl: options.hubUrls,
          firstHub: i,
          reports: options.reports,
          behaviour: simulatedApply(
            ruleValue(options.applyMs, r.labels, 0),
            ruleValue(options.failureRate, r.labels, 0),
            options.onAssigned,
          ),
          keepResponses: false,
          heartbeatSeconds: options.heartbeatSeconds,
          coalesceMs: STATUS_COALESCE_MS,
          retryDelayMs: jitteredRetryDelay,
        }),
    );
  }

  start(): void {
    for (const c of this.clusters) c.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.clusters.map((c) => c.stop()));
  }

  get errors(): number {
    return this.clusters.reduce((n, c) => n + c.errors, 0);
  }

  /** The agents' last errors, by message (which kind of failure the error count is). */
  errorKinds(): Record<string, number> {
    const kinds: Record<string, number> = {};
    for (const c of this.clusters) {
      if (c.lastError !== undefined)
        kinds[c.lastError.slice(0, 80)] = (kinds[c.lastError.slice(0, 80)] ?? 0) + 1;
    }
    return kinds;
  }
}

/**
 * Produce→visible latency of heartbeats: reads which clusters' `last_seq` moved (the rows the hub's
 * ingestion touched since the last look, via the last_heartbeat_at index) and matches them with the
 * produce times the sender kept. Reads Postgres as any observer would; it does not go through the hub.
 */
export class VisibilityObserver {
  readonly latencies: number[] = [];
  private readonly lastSeq = new Map<string, number>();
  private since = new Date(0);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: pg.Client,
    private readonly sender: BatchingReportSink,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.look()).catch(() => undefined);
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  reset(): void {
    this.latencies.length = 0;
  }

  async look(): Promise<void> {
    const startedAt = new Date(Date.now() - 2_000);
    const { rows } = await this.db.query<{ id: string; last_seq: string }>(
      `SELECT id, last_seq FROM cluster WHERE last_heartbeat_at >= $1`,
      [this.since],
    );
    const now = performance.now();
    for (const row of rows) {
      const seq = Number(row.last_seq);
      const from = this.lastSeq.get(row.id) ?? -1;
      for (let s = seq; s > from; s--) {
        const key = `${row.id}:${s}`;
        const at = this.sender.producedAt.get(key);
        if (at === undefined) continue;
        this.latencies.push(now - at);
        this.sender.producedAt.delete(key);
      }
      this.lastSeq.set(row.id, seq);
    }
    this.since = startedAt;
  }
}

export async function connectDb(url: string): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: url });
  // A lost observer connection must fail the wait it is in, not crash the simulator.
  db.on('error', (error) => console.error(`observer connection: ${error.message}`));
  await db.connect();
  return db;
}
