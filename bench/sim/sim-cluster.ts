import {
  AGENT_API_PATHS,
  type Assignment,
  AssignmentsResponseSchema,
  bundleDigest,
  type BundlePhase,
  BundleResponseSchema,
  type BundleStatus,
  encodeSignedReport,
  type RegisterResponse,
  type Report,
} from '@fleetwave/contracts';
import { simulatedStatus } from '../../test/harness/sim-agent.js';
import { failsBundle } from './behaviour.js';
import { type ReportSender } from './report-sender.js';

const STATUS_COALESCE_MS = 50;

export interface SimClusterOptions {
  identity: RegisterResponse;
  labels: Record<string, string>;
  /** Hub replicas behind a load balancer: the cluster sticks to one and moves on when it fails. */
  hubUrls: readonly string[];
  reports: ReportSender;
  heartbeatSeconds: number;
  applyMs: number;
  failureRate: number;
  /** Called when a cluster has fetched the bundle of an assignment that is new to it. */
  onAssigned?: (cluster: SimCluster, assignment: Assignment) => void;
}

/**
 * One simulated agent: the real protocols without a cluster. It long-polls its assignments with
 * its own credential, fetches and verifies each new bundle, "applies" it (Progressing, then after
 * `applyMs` Healthy or — at `failureRate`, decided per cluster and bundle — Failed), and produces
 * signed, sequenced status reports and heartbeats to Kafka.
 */
export class SimCluster {
  private generation: number | undefined;
  private seq = 0;
  private statuses = new Map<string, BundleStatus>();
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private heartbeat: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private hub: number;
  polls = 0;
  errors = 0;
  lastError: string | undefined;

  constructor(
    private readonly options: SimClusterOptions,
    index: number,
  ) {
    this.hub = index % options.hubUrls.length;
  }

  get id(): string {
    return this.options.identity.clusterId;
  }

  get name(): string {
    return this.options.identity.clusterName;
  }

  /** Digest per application as last reported. */
  reported(application: string): BundleStatus | undefined {
    return this.statuses.get(application);
  }

  start(): void {
    const period = this.options.heartbeatSeconds * 1000;
    // Heartbeats spread evenly over the interval, as agents started at different times would be.
    const first = setTimeout(() => {
      this.sendHeartbeat();
      this.heartbeat = setInterval(() => this.sendHeartbeat(), period);
    }, Math.random() * period);
    this.timers.add(first);
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    clearInterval(this.heartbeat);
    clearTimeout(this.statusTimer);
    for (const timer of this.timers) clearTimeout(timer);
    await this.loop;
  }

  private get hubUrl(): string {
    return this.options.hubUrls[this.hub]!;
  }

  private async request(path: string): Promise<Response> {
    try {
      return await fetch(`${this.hubUrl}${path}`, {
        headers: { authorization: `Bearer ${this.options.identity.credential}` },
        signal: this.abort.signal,
      });
    } catch (error) {
      // Connection refused or reset: this replica is gone; the next one serves the same API.
      this.hub = (this.hub + 1) % this.options.hubUrls.length;
      throw error;
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const query = this.generation === undefined ? '' : `?generation=${this.generation}`;
        const response = await this.request(`${AGENT_API_PATHS.assignments}${query}`);
        this.polls++;
        if (response.status === 304) continue;
        if (!response.ok) throw new Error(`assignments: HTTP ${response.status} ${await response.text()}`);
        const body = AssignmentsResponseSchema.parse(await response.json());
        await this.onAssignments(body.assignments);
        this.generation = body.generation;
      } catch (error) {
        if (this.stopped) return;
        this.errors++;
        this.lastError = error instanceof Error ? error.message : String(error);
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800));
      }
    }
  }

  private async onAssignments(assignments: readonly Assignment[]): Promise<void> {
    // Statuses change in place: an apply timer of an earlier assignment may fire while a later
    // bundle is still being fetched, and must find its own status there.
    const assigned = new Set(assignments.map((a) => a.application));
    for (const application of [...this.statuses.keys()]) {
      if (!assigned.has(application)) this.statuses.delete(application);
    }
    for (const assignment of assignments) {
      if (this.statuses.get(assignment.application)?.digest === assignment.digest) continue;
      await this.fetchBundle(assignment.digest);
      this.options.onAssigned?.(this, assignment);
      this.statuses.set(assignment.application, this.status(assignment, 'Progressing'));
      const phase = failsBundle(this.name, assignment.digest, this.options.failureRate)
        ? 'Failed'
        : 'Healthy';
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.statuses.get(assignment.application)?.digest !== assignment.digest) return;
        this.statuses.set(assignment.application, this.status(assignment, phase));
        this.sendStatus();
      }, this.options.applyMs);
      this.timers.add(timer);
    }
    this.sendStatus();
  }

  private async fetchBundle(digest: string): Promise<void> {
    const response = await this.request(`${AGENT_API_PATHS.bundles}/${digest}`);
    if (!response.ok) throw new Error(`bundle ${digest}: HTTP ${response.status}`);
    const bundle = BundleResponseSchema.parse(await response.json());
    if (bundleDigest(bundle.manifests) !== digest) throw new Error(`bundle ${digest}: digest mismatch`);
  }

  private status(assignment: Assignment, phase: BundlePhase): BundleStatus {
    return simulatedStatus(assignment, phase);
  }

  /** The seq of the last report this cluster produced. */
  get lastSeq(): number {
    return this.seq - 1;
  }

  heartbeatNow(): void {
    this.sendHeartbeat();
  }

  private sendHeartbeat(): void {
    this.send({ kind: 'heartbeat', ...this.envelope() }, true);
  }

  /**
   * Status reports are coalesced over STATUS_COALESCE_MS, like the real agent's one report per
   * reconcile pass: a cluster finishing 100 bundles at once sends one report, not 100.
   */
  private sendStatus(): void {
    if (this.statusTimer !== undefined) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      if (this.stopped) return;
      this.send({ kind: 'status', ...this.envelope(), bundles: [...this.statuses.values()] }, false);
    }, STATUS_COALESCE_MS);
  }

  private envelope() {
    return {
      schemaVersion: 1 as const,
      clusterId: this.id,
      seq: this.seq++,
      sentAt: new Date().toISOString(),
      agentVersion: 'sim-0.1.0',
      clusterStatus: 'Ready' as const,
    };
  }

  private send(report: Report, trackLatency: boolean): void {
    this.options.reports.send(
      {
        topic: this.options.identity.reportsTopic,
        clusterId: this.id,
        seq: report.seq,
        value: encodeSignedReport(report, this.options.identity.signingKey),
      },
      trackLatency,
    );
  }
}
