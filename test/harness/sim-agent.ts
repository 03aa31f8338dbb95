import {
  AGENT_API_PATHS,
  type Assignment,
  type AssignmentsResponse,
  AssignmentsResponseSchema,
  bundleDigest,
  type BundlePhase,
  BundleResponseSchema,
  type BundleStatus,
  encodeSignedReport,
  type RegisterResponse,
  type Report,
} from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';

/** What a simulated cluster does with one assignment: the phase it ends in, after a delay. */
export type SimBehaviour = (
  assignment: Assignment,
  cluster: RegisterResponse,
) => { phase: BundlePhase; delayMs?: number };

export const alwaysHealthy: SimBehaviour = () => ({ phase: 'Healthy' });

export interface SimAgentOptions {
  hubUrl: string;
  identity: RegisterResponse;
  producer: Producer;
  behaviour?: SimBehaviour;
  /** Called with each assignments response as it arrives (before bundles are fetched). */
  onReceived?: (response: AssignmentsResponse, at: number) => void;
}

/**
 * A cluster agent without a cluster: it speaks the real protocols (long-polls the hub's assignments
 * with its credential, fetches and verifies each bundle, produces signed, sequenced status reports
 * to Kafka) and "applies" by reporting the phase its behaviour says. Integration tests and
 * benchmarks use it where real clusters would be too many.
 */
export class SimAgent {
  /** Every assignments response received, in order. */
  readonly received: AssignmentsResponse[] = [];
  private generation: number | undefined;
  private seq = 0;
  private stopped = false;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private statuses = new Map<string, BundleStatus>();
  private readonly timers = new Set<NodeJS.Timeout>();
  lastError: string | undefined;

  constructor(private readonly options: SimAgentOptions) {}

  get clusterId(): string {
    return this.options.identity.clusterId;
  }

  get name(): string {
    return this.options.identity.clusterName;
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

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const query = this.generation === undefined ? '' : `?generation=${this.generation}`;
        const response = await fetch(`${this.options.hubUrl}${AGENT_API_PATHS.assignments}${query}`, {
          headers: { authorization: `Bearer ${this.options.identity.credential}` },
          signal: this.abort.signal,
        });
        if (response.status === 304) continue;
        if (!response.ok) throw new Error(`assignments: HTTP ${response.status} ${await response.text()}`);
        const body = AssignmentsResponseSchema.parse(await response.json());
        this.received.push(body);
        this.options.onReceived?.(body, performance.now());
        // The generation moves only once its assignments are handled: a failed bundle fetch is
        // retried by the next poll instead of being skipped for good.
        await this.onAssignments(body.assignments);
        this.generation = body.generation;
      } catch (error) {
        if (this.stopped) return;
        this.lastError = error instanceof Error ? error.message : String(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  private async onAssignments(assignments: readonly Assignment[]): Promise<void> {
    const current = new Map<string, BundleStatus>();
    for (const assignment of assignments) {
      const previous = this.statuses.get(assignment.application);
      if (previous?.digest === assignment.digest) {
        current.set(assignment.application, previous);
        continue;
      }
      await this.fetchBundle(assignment.digest);
      const { phase, delayMs = 0 } = (this.options.behaviour ?? alwaysHealthy)(
        assignment,
        this.options.identity,
      );
      current.set(assignment.application, this.status(assignment, 'Progressing'));
      if (delayMs > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (this.statuses.get(assignment.application)?.digest !== assignment.digest) return;
          this.statuses.set(assignment.application, this.status(assignment, phase));
          void this.report().catch(() => undefined);
        }, delayMs);
        this.timers.add(timer);
      } else {
        current.set(assignment.application, this.status(assignment, phase));
      }
    }
    this.statuses = current;
    await this.report();
  }

  private async fetchBundle(digest: string): Promise<void> {
    const response = await fetch(`${this.options.hubUrl}${AGENT_API_PATHS.bundles}/${digest}`, {
      headers: { authorization: `Bearer ${this.options.identity.credential}` },
      signal: this.abort.signal,
    });
    if (!response.ok) throw new Error(`bundle ${digest}: HTTP ${response.status}`);
    const bundle = BundleResponseSchema.parse(await response.json());
    if (bundleDigest(bundle.manifests) !== digest) throw new Error(`bundle ${digest}: digest mismatch`);
  }

  private status(assignment: Assignment, phase: BundlePhase): BundleStatus {
    return simulatedStatus(assignment, phase);
  }

  private async report(): Promise<void> {
    const report: Report = {
      schemaVersion: 1,
      kind: 'status',
      clusterId: this.clusterId,
      seq: this.seq++,
      sentAt: new Date().toISOString(),
      agentVersion: 'sim-0.1.0',
      clusterStatus: 'Ready',
      bundles: [...this.statuses.values()],
    };
    await this.options.producer.send({
      topic: this.options.identity.reportsTopic,
      messages: [
        { key: this.clusterId, value: encodeSignedReport(report, this.options.identity.signingKey) },
      ],
    });
  }
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
