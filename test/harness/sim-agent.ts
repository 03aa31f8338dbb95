import {
  AGENT_API_PATHS,
  type Assignment,
  type AssignmentsResponse,
  AssignmentsResponseSchema,
  bundleDigest,
  BUNDLE_BATCH_MAX_DIGESTS,
  BundleBatchResponseSchema,
  type BundlePhase,
  BundleResponseSchema,
  type BundleStatus,
  encodeSignedReport,
  type Maintenance,
  type RegisterRequestInput,
  type RegisterResponse,
  RegisterResponseSchema,
  type Report,
} from '@fleetwave/contracts';
import { type ReportSink } from './report-sinks.js';

/**
 * What a simulated cluster does with an assignment whose bundle it has just fetched: the phase it
 * ends in, after a delay (Progressing until then). Also the hook to observe new assignments.
 */
export type SimBehaviour = (
  assignment: Assignment,
  cluster: RegisterResponse,
) => { phase: BundlePhase; delayMs?: number };

export const alwaysHealthy: SimBehaviour = () => ({ phase: 'Healthy' });

const fixedRetryDelay = () => 200;

export interface SimAgentOptions {
  /** One hub, or replicas behind a load balancer: the agent sticks to one and moves on when it fails. */
  hubUrl: string | readonly string[];
  /** Which replica to start with (spreads a fleet over them); the first by default. */
  firstHub?: number;
  identity: RegisterResponse;
  reports: ReportSink;
  behaviour?: SimBehaviour;
  /** Called with each assignments response as it arrives (before bundles are fetched). */
  onReceived?: (response: AssignmentsResponse, at: number) => void;
  /** Keep every assignments response in `received` (default); off for a fleet of thousands. */
  keepResponses?: boolean;
  /** Periodic heartbeats, the first at a random point of the first period; none by default. */
  heartbeatSeconds?: number;
  /**
   * Status reports coalesced over this window and queued without waiting, like the real agent's
   * one report per reconcile pass (a cluster finishing 100 bundles at once sends one report).
   * Unset: every change is reported at once and the send is awaited (a failed send is retried by
   * the next poll), which is what tests want.
   */
  coalesceMs?: number;
  /**
   * How the new bundles of one assignments response are fetched: `batch` (default), all in one
   * request (`POST bundles/batch`, again for what the hub deferred), as the real agent does; `single`,
   * one GET per bundle, as agents before the batch did.
   */
  bundleFetch?: 'batch' | 'single';
  /**
   * With `bundleFetch: 'single'`: bundles fetched at once (the real agent reconciles 4 applications
   * at a time, each fetching its bundle); 1 by default: one after another, in order.
   */
  bundleConcurrency?: number;
  /**
   * The HTTP connections of this agent's requests (an undici dispatcher, e.g. an Agent of its own,
   * as each real agent has); fetch's global pool by default.
   */
  dispatcher?: unknown;
  /** Pause after a failed poll; 200 ms by default. */
  retryDelayMs?: () => number;
  agentVersion?: string;
  /** The first report's sequence number (an agent restarted: after the last one it sent); 0 by default. */
  firstSeq?: number;
}

/**
 * A cluster agent without a cluster: it speaks the real protocols (long-polls the hub's assignments
 * with its credential, fetches and verifies each new bundle, produces signed, sequenced status
 * reports and heartbeats to Kafka) and "applies" by reporting the phase its behaviour says.
 * Integration tests, benchmarks and the fleet simulator use it where real clusters would be too
 * many; a test can also drive it by hand (`heartbeat`, `send`, `sendRaw`) without starting it.
 */
export class SimAgent {
  /** Every assignments response received, in order (when `keepResponses`). */
  readonly received: AssignmentsResponse[] = [];
  polls = 0;
  errors = 0;
  /** Carried by every report from now on, as the real agent does while its namespace is annotated. */
  maintenance: Maintenance | null = null;
  /**
   * Whether a withdrawal is carried out (and listed in `removed` of the status reports while the
   * hub still sends it), as the real agent does; off, withdrawals are received but not confirmed
   * (a slow or stuck prune) until it is turned back on and the next assignments arrive.
   */
  confirmWithdrawals = true;
  /** Applications this agent removed (withdrawals carried out), in order. */
  readonly removedApplications: string[] = [];
  lastError: string | undefined;
  private readonly hubUrls: readonly string[];
  private hub: number;
  private generation: number | undefined;
  private seq = 0;
  private readonly statuses = new Map<string, BundleStatus>();
  /** Withdrawals carried out that the hub still sends: listed in `removed` of every status report. */
  private removing: string[] = [];
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: SimAgentOptions) {
    this.hubUrls = typeof options.hubUrl === 'string' ? [options.hubUrl] : options.hubUrl;
    this.hub = (options.firstHub ?? 0) % this.hubUrls.length;
    this.seq = options.firstSeq ?? 0;
  }

  get identity(): RegisterResponse {
    return this.options.identity;
  }

  get clusterId(): string {
    return this.options.identity.clusterId;
  }

  get name(): string {
    return this.options.identity.clusterName;
  }

  /** The seq of the last report this agent built. */
  get lastSeq(): number {
    return this.seq - 1;
  }

  /** The status last set for the application (what the next status report carries). */
  reported(application: string): BundleStatus | undefined {
    return this.statuses.get(application);
  }

  /** Digests this cluster was ever told to run for the application, in order (repeats collapsed). */
  digestsSeen(application: string): string[] {
    const out: string[] = [];
    for (const response of this.received) {
      const digest = response.assignments.find((a) => a.application === application)?.digest;
      if (digest !== undefined && out.at(-1) !== digest) out.push(digest);
    }
    return out;
  }

  /** Handles the last assignments received again (after `confirmWithdrawals` was turned back on). */
  async reconcileAgain(): Promise<void> {
    const last = this.received.at(-1);
    if (last !== undefined) await this.onAssignments(last);
  }

  start(): void {
    const seconds = this.options.heartbeatSeconds;
    if (seconds !== undefined && this.heartbeatTimer === undefined) {
      const period = seconds * 1000;
      // Spread evenly over the interval, as agents started at different times would be.
      this.heartbeatTimer = setTimeout(() => {
        this.sendHeartbeat();
        this.heartbeatTimer = setInterval(() => this.sendHeartbeat(), period);
      }, Math.random() * period);
    }
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    clearInterval(this.heartbeatTimer); // the first timeout or the interval: Node clears either
    clearTimeout(this.statusTimer);
    for (const timer of this.timers) clearTimeout(timer);
    await this.loop;
  }

  /** The next heartbeat (it takes a sequence number); `send` it, or change it first. */
  heartbeat(overrides: Partial<Report> = {}): Report {
    return { kind: 'heartbeat', ...this.envelope(), ...overrides } as Report;
  }

  /** Builds and sends a heartbeat now (queued, not awaited). */
  sendHeartbeat(): void {
    void this.send({ kind: 'heartbeat', ...this.envelope() })?.catch(() => undefined);
  }

  /**
   * Rotates its credential as the real agent does (POST /agent/v1/credentials/rotate with the
   * current one) and uses the answer from then on: polls with the new credential, reports signed
   * with the new key, the sequence going on. Returns the new identity.
   */
  async rotateCredential(): Promise<RegisterResponse> {
    const response = await fetch(`${this.hubUrls[this.hub]}${AGENT_API_PATHS.rotateCredential}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.options.identity.credential}` },
    });
    const body: unknown = await response.json();
    if (!response.ok) throw new Error(`rotate: HTTP ${response.status} ${JSON.stringify(body)}`);
    this.options.identity = RegisterResponseSchema.parse(body);
    return this.options.identity;
  }

  /** Signs with this agent's key unless another is given (a forgery). */
  send(report: Report, signingKey = this.options.identity.signingKey): Promise<void> | void {
    return this.options.reports.send({
      topic: this.options.identity.reportsTopic,
      key: report.clusterId,
      value: encodeSignedReport(report, signingKey),
      heartbeatSeq: report.kind === 'heartbeat' ? report.seq : undefined,
    });
  }

  /** Any bytes on this agent's reports topic (malformed reports). */
  sendRaw(value: Buffer | string, key: string = this.clusterId): Promise<void> | void {
    return this.options.reports.send({ topic: this.options.identity.reportsTopic, key, value });
  }

  private envelope() {
    return {
      schemaVersion: 1 as const,
      clusterId: this.clusterId,
      seq: this.seq++,
      sentAt: new Date().toISOString(),
      agentVersion: this.options.agentVersion ?? 'sim-0.1.0',
      clusterStatus: 'Ready' as const,
      ...(this.maintenance === null ? {} : { maintenance: this.maintenance }),
    };
  }

  private async request(path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${this.hubUrls[this.hub]}${path}`, {
        headers: {
          authorization: `Bearer ${this.options.identity.credential}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }),
        signal: this.abort.signal,
        // Node's fetch takes an undici dispatcher; the DOM RequestInit type does not know it.
        ...(this.options.dispatcher === undefined ? {} : { dispatcher: this.options.dispatcher }),
      } as RequestInit);
    } catch (error) {
      // Connection refused or reset: this replica is gone; the next one serves the same API.
      this.hub = (this.hub + 1) % this.hubUrls.length;
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
        if (this.options.keepResponses !== false) this.received.push(body);
        this.options.onReceived?.(body, performance.now());
        // The generation moves only once its assignments are handled: a failed bundle fetch is
        // retried by the next poll instead of being skipped for good.
        await this.onAssignments(body);
        this.generation = body.generation;
      } catch (error) {
        if (this.stopped) return;
        this.errors++;
        this.lastError = describeError(error);
        await new Promise((resolve) => setTimeout(resolve, (this.options.retryDelayMs ?? fixedRetryDelay)()));
      }
    }
  }

  /**
   * As if the agent had corrected drift of the application's objects `count` times: its reported
   * count (per bundle, like the real agent's) rises and a status report goes out.
   */
  async correctDrift(application: string, count = 1): Promise<void> {
    const status = this.statuses.get(application);
    if (status === undefined) throw new Error(`correctDrift: ${application} is not assigned`);
    this.statuses.set(application, {
      ...status,
      driftCorrections: status.driftCorrections + count,
      observedAt: new Date().toISOString(),
    });
    await this.reportStatus();
  }

  /** As if the application's objects turned `phase` on their own (a crash loop, say): reported at once. */
  async setPhase(application: string, phase: BundlePhase): Promise<void> {
    const status = this.statuses.get(application);
    if (status === undefined) throw new Error(`setPhase: ${application} is not assigned`);
    const next = simulatedStatus(
      { application, digest: status.digest, commit: status.commit } as Assignment,
      phase,
    );
    this.statuses.set(application, { ...next, driftCorrections: status.driftCorrections });
    await this.reportStatus();
  }

  private async onAssignments({ assignments, withdrawals }: AssignmentsResponse): Promise<void> {
    // Statuses change in place: an apply timer of an earlier assignment may fire while a later
    // bundle is still being fetched, and must find its own status there. Only a withdrawal removes
    // an application; one in neither list is left as it is, like the real agent does.
    const withdrawn = this.confirmWithdrawals ? withdrawals.map((w) => w.application) : [];
    for (const application of withdrawn) {
      if (this.statuses.delete(application) || !this.removing.includes(application)) {
        this.removedApplications.push(application);
      }
    }
    this.removing = withdrawn;
    const changed = assignments.filter((a) => this.statuses.get(a.application)?.digest !== a.digest);
    if (this.options.bundleFetch === 'single') {
      await inParallel(changed, this.options.bundleConcurrency ?? 1, async (assignment) => {
        await this.fetchBundle(assignment.digest);
        this.take(assignment);
      });
    } else {
      await this.fetchBundles([...new Set(changed.map((a) => a.digest))]);
      for (const assignment of changed) this.take(assignment);
    }
    await this.reportStatus();
  }

  /** "Applies" the assignment (its bundle fetched) as the behaviour says. */
  private take(assignment: Assignment): void {
    const { phase, delayMs = 0 } = (this.options.behaviour ?? alwaysHealthy)(
      assignment,
      this.options.identity,
    );
    if (delayMs <= 0) {
      this.statuses.set(assignment.application, simulatedStatus(assignment, phase));
      return;
    }
    this.statuses.set(assignment.application, simulatedStatus(assignment, 'Progressing'));
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.statuses.get(assignment.application)?.digest !== assignment.digest) return;
      this.statuses.set(assignment.application, simulatedStatus(assignment, phase));
      void this.reportStatus()?.catch(() => undefined);
    }, delayMs);
    this.timers.add(timer);
  }

  private async fetchBundle(digest: string): Promise<void> {
    const response = await this.request(`${AGENT_API_PATHS.bundles}/${digest}`);
    if (!response.ok) throw new Error(`bundle ${digest}: HTTP ${response.status}`);
    const bundle = BundleResponseSchema.parse(await response.json());
    if (bundleDigest(bundle.manifests) !== digest) throw new Error(`bundle ${digest}: digest mismatch`);
  }

  /** All of `digests` through the batch endpoint, as many requests as the hub's budget takes. */
  private async fetchBundles(digests: readonly string[]): Promise<void> {
    let left = [...digests];
    while (left.length > 0) {
      const asked = left.slice(0, BUNDLE_BATCH_MAX_DIGESTS);
      const response = await this.request(AGENT_API_PATHS.bundleBatch, { digests: asked });
      if (!response.ok) throw new Error(`bundle batch: HTTP ${response.status} ${await response.text()}`);
      const batch = BundleBatchResponseSchema.parse(await response.json());
      if (batch.unavailable.length > 0)
        throw new Error(`bundles unavailable: ${batch.unavailable.join(', ')}`);
      for (const bundle of batch.bundles) {
        if (bundleDigest(bundle.manifests) !== bundle.digest)
          throw new Error(`bundle ${bundle.digest}: digest mismatch`);
      }
      const served = new Set(batch.bundles.map((b) => b.digest));
      if (asked.some((digest) => !served.has(digest) && !batch.deferred.includes(digest)))
        throw new Error('bundle batch: the hub left out digests it neither served nor deferred');
      left = [...batch.deferred, ...left.slice(asked.length)];
    }
  }

  private reportStatus(): Promise<void> | void {
    const coalesceMs = this.options.coalesceMs;
    if (coalesceMs === undefined) return this.send(this.statusReport());
    if (this.statusTimer !== undefined) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      if (!this.stopped) void this.send(this.statusReport())?.catch(() => undefined);
    }, coalesceMs);
  }

  private statusReport(): Report {
    const removed = this.removing.length > 0 ? { removed: [...this.removing] } : {};
    return { kind: 'status', ...this.envelope(), bundles: [...this.statuses.values()], ...removed };
  }
}

/**
 * `work` for each item, at most `concurrency` at once, in order of start; after a failure nothing
 * more starts, and the first failure is thrown once those running have finished.
 */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => (failure ??= { error }));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure !== undefined) throw failure.error;
}

/** An error's message with its cause (fetch's "fetch failed" says why only there: ECONNRESET, …). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause === undefined ? error.message : `${error.message}: ${cause.code ?? cause.message ?? ''}`;
}

/** Registers a cluster as an agent does; fails with the hub's answer unless it is a 200. */
export async function registerAgent(
  hubUrl: string,
  request: RegisterRequestInput,
): Promise<RegisterResponse> {
  const response = await fetch(`${hubUrl}${AGENT_API_PATHS.register}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  if (!response.ok) {
    throw new Error(`register ${request.clusterName}: HTTP ${response.status} ${await response.text()}`);
  }
  return RegisterResponseSchema.parse(await response.json());
}

/** The status a simulated agent reports for an assignment in `phase` (one simulated object). */
export function simulatedStatus(assignment: Assignment, phase: BundlePhase): BundleStatus {
  return {
    application: assignment.application,
    digest: assignment.digest,
    commit: assignment.commit,
    phase,
    ready: phase === 'Healthy' ? 1 : 0,
    total: 1,
    failing:
      phase === 'Healthy' || phase === 'Progressing'
        ? []
        : [{ id: 'sim', reason: 'Simulated', message: `simulated ${phase}` }],
    driftCorrections: 0,
    observedAt: new Date().toISOString(),
  };
}
