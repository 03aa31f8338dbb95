import { type Assignment, type RegisterRequestInput, type RegisterResponse } from '@fleetwave/contracts';
import pg from 'pg';
import { type BatchingReportSink } from '../../test/harness/report-sinks.js';
import { registerAgent, SimAgent } from '../../test/harness/sim-agent.js';
import { type LabelRule, ruleValue, simulatedApply } from './behaviour.js';

/** Status reports per agent coalesced like the real agent's one report per reconcile pass. */
const STATUS_COALESCE_MS = 50;
/** How many applications the real agent reconciles (and fetches bundles for) at once, by default. */
const REAL_AGENT_RECONCILE_CONCURRENCY = 4;
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

/**
 * An HTTP dispatcher of one simulated agent's own: one keep-alive connection to each hub, with up
 * to `pipelining` requests on it (bundle fetches at once). Through fetch's one global pool (or an
 * agent's own pool of several connections) a poll sent right after the previous one's answer
 * finds that connection not yet released and opens another: ~2 sockets per agent (measured: 4,062
 * descriptors for 2,000 agents), and 10,000 agents ran out of the 20,000 file descriptors this
 * machine allows a process. Node bundles undici without exporting it: its Agent class is taken
 * from the global dispatcher, which exists once the process has made a request (registration has).
 */
function ownConnections(pipelining: number): unknown {
  const global = (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')];
  if (global === undefined) throw new Error('no global fetch dispatcher yet: make a request first');
  const Agent = (global as { constructor: new (options: object) => unknown }).constructor;
  return new Agent({ connections: 1, pipelining, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
}

/** The simulated fleet: one SimAgent per registered cluster, sharing one batching report sink. */
export class SimFleet {
  readonly clusters: SimAgent[];
  private readonly starts: NodeJS.Timeout[] = [];

  constructor(
    registered: readonly RegisteredCluster[],
    options: {
      hubUrls: readonly string[];
      reports: BatchingReportSink;
      heartbeatSeconds: number;
      /** `batch` (default): one request for all new bundles; `single`: one GET each (older agents). */
      bundleFetch?: 'batch' | 'single';
      /** With `single`: bundles each agent fetches at once (the real agent's reconcile concurrency is 4). */
      bundleConcurrency?: number;
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
          dispatcher: ownConnections(options.bundleConcurrency ?? REAL_AGENT_RECONCILE_CONCURRENCY),
          bundleFetch: options.bundleFetch ?? 'batch',
          bundleConcurrency: options.bundleConcurrency ?? REAL_AGENT_RECONCILE_CONCURRENCY,
          retryDelayMs: jitteredRetryDelay,
        }),
    );
  }

  /**
   * Starts every agent, spread evenly over `rampSeconds` (none: all at once). Agents started in the
   * same second keep long-polling in step (each poll is held for the same time), so 10,000 of them
   * hit the hub with 10,000 polls within a second every hold period, and the first burst overflows
   * the listen backlog; a real fleet's agents start at different times.
   */
  start(rampSeconds = 0): void {
    const n = this.clusters.length;
    for (const [i, c] of this.clusters.entries()) {
      if (rampSeconds <= 0) c.start();
      else this.starts.push(setTimeout(() => c.start(), (i / n) * rampSeconds * 1000));
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.starts) clearTimeout(timer);
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
 * Produce→visible latency of heartbeats: every `intervalMs` (after the previous look finished:
 * looks never queue up behind a slow one), reads `last_seq` of exactly the clusters with a heartbeat
 * not seen yet and matches it with the produce times the sender kept. Reads Postgres as any observer
 * would; it does not go through the hub, and it does not depend on any clock of the hub's.
 *
 * (It used to read the rows whose `last_heartbeat_at` moved since its last look, minus 2 s; but
 * the hub stamps that column when it starts a batch, so a batch that took more than 2 s to commit
 * was never seen, and its heartbeats were counted when the cluster's next one was, ~30 s later:
 * the 5.8 s and 37 s "p99" at 10,000 clusters in bench/README.md were mostly that.)
 */
export class VisibilityObserver {
  readonly latencies: number[] = [];
  /**
   * By the hub's clock: from queued (the simulator's send) and from handed to the producer, to the
   * hub's ingestion of it (`cluster.last_heartbeat_at`, the time its batch began; visible at that
   * batch's commit). Only heartbeats that are still the cluster's latest when looked at.
   */
  readonly queuedToIngested: number[] = [];
  readonly sentToIngested: number[] = [];
  /** How long each look took (the observer's own resolution). */
  readonly lookMs: number[] = [];
  private stopped = true;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: pg.Client,
    private readonly sender: BatchingReportSink,
    private readonly intervalMs = 100,
  ) {}

  start(): void {
    this.stopped = false;
    this.running = (async () => {
      while (!this.stopped) {
        const t0 = performance.now();
        await this.look().catch(() => undefined);
        const took = performance.now() - t0;
        this.lookMs.push(took);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, this.intervalMs - took)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  reset(): void {
    this.latencies.length = 0;
    this.lookMs.length = 0;
    this.queuedToIngested.length = 0;
    this.sentToIngested.length = 0;
  }

  async look(): Promise<void> {
    const pending = new Map<string, { key: string; seq: number; at: number }[]>();
    for (const [key, at] of this.sender.producedAt) {
      const colon = key.lastIndexOf(':');
      const id = key.slice(0, colon);
      const list = pending.get(id) ?? [];
      pending.set(id, list);
      list.push({ key, seq: Number(key.slice(colon + 1)), at });
    }
    if (pending.size === 0) return;
    const { rows } = await this.db.query<{ id: string; last_seq: string; seen_ms: number | null }>(
      `SELECT id, last_seq, (extract(epoch FROM last_heartbeat_at) * 1000)::float8 AS seen_ms
         FROM cluster WHERE id = ANY($1::uuid[])`,
      [[...pending.keys()]],
    );
    const now = performance.now();
    const { queuedAtMs, sentAtMs } = this.sender;
    for (const row of rows) {
      const seq = Number(row.last_seq);
      for (const heartbeat of pending.get(row.id) ?? []) {
        if (heartbeat.seq > seq) continue;
        this.latencies.push(now - heartbeat.at);
        const queued = queuedAtMs.get(heartbeat.key);
        const sent = sentAtMs.get(heartbeat.key);
        if (heartbeat.seq === seq && row.seen_ms !== null && queued !== undefined && sent !== undefined) {
          this.queuedToIngested.push(row.seen_ms - queued);
          this.sentToIngested.push(row.seen_ms - sent);
        }
        this.sender.producedAt.delete(heartbeat.key);
        queuedAtMs.delete(heartbeat.key);
        sentAtMs.delete(heartbeat.key);
      }
    }
  }
}

export async function connectDb(url: string): Promise<pg.Client> {
  const db = new pg.Client({ connectionString: url });
  // A lost observer connection must fail the wait it is in, not crash the simulator.
  db.on('error', (error) => console.error(`observer connection: ${error.message}`));
  await db.connect();
  return db;
}
