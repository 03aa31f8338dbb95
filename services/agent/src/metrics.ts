import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the agent's loop records as it reconciles. */
export interface ReconcileMetrics {
  /** One reconcile pass over every assignment ended (`error`: some bundle Failed or Stalled, or the pass threw). */
  passEnded(seconds: number, result: ReconcilePassResult): void;
  /** One application reconciled: out-of-band changes it reverted and objects it could not apply. */
  bundleReconciled(application: string, counts: { driftCorrections: number; applyErrors: number }): void;
  /** The application is no longer assigned: its series go, so labels stay bounded by assignments. */
  applicationRemoved(application: string): void;
  /** A resync queued every application. */
  resyncStarted(): void;
}

export type ReconcilePassResult = 'success' | 'error';

/** Counts kept by other parts of the agent, read when Prometheus scrapes. */
export interface ScrapedCounts {
  reportsSent: () => number;
  reportsBuffered: () => number;
  reportsDropped: () => number;
  kubeRequests: () => number;
}

/**
 * The agent's Prometheus metrics on one registry (served by the health server's `/metrics`).
 * prom-client is loaded by the agent already, so real counters and histograms cost no extra memory.
 */
export class AgentMetrics implements ReconcileMetrics {
  readonly registry = new Registry();
  private readonly passes: Counter;
  private readonly duration: Histogram<'result'>;
  private readonly driftCorrections: Counter<'application'>;
  private readonly applyErrors: Counter<'application'>;
  private readonly reconciles: Counter<'application'>;
  private readonly resyncs: Counter;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'fleetwave_agent_' });
    const registers = [this.registry];
    this.passes = new Counter({
      name: 'fleetwave_agent_reconcile_passes_total',
      help: 'Reconcile passes since start.',
      registers,
    });
    this.duration = new Histogram({
      name: 'fleetwave_agent_reconcile_duration_seconds',
      help: 'Duration of a reconcile pass over every assignment, by result.',
      labelNames: ['result'],
      // A no-op pass takes milliseconds; a 100-object bundle about a second; stage waits up to minutes.
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    for (const result of ['success', 'error'] as const) this.duration.zero({ result });
    this.driftCorrections = new Counter({
      name: 'fleetwave_agent_drift_corrections_total',
      help: 'Out-of-band changes to applied objects that the agent reverted, by application.',
      labelNames: ['application'],
      registers,
    });
    this.applyErrors = new Counter({
      name: 'fleetwave_agent_apply_errors_total',
      help: 'Objects the API server refused to apply, and reconciles cut short by an API error, by application.',
      labelNames: ['application'],
      registers,
    });
    this.reconciles = new Counter({
      name: 'fleetwave_agent_reconciles_total',
      help: 'Reconciles (a staged apply each) by application: drift re-applies only its own application.',
      labelNames: ['application'],
      registers,
    });
    this.resyncs = new Counter({
      name: 'fleetwave_agent_resyncs_total',
      help: 'Full resyncs (every application queued) since start.',
      registers,
    });
  }

  passEnded(seconds: number, result: ReconcilePassResult): void {
    this.passes.inc();
    this.duration.observe({ result }, seconds);
  }

  bundleReconciled(application: string, counts: { driftCorrections: number; applyErrors: number }): void {
    // inc(0) still creates the series, so rate() sees the first correction of a new application.
    this.driftCorrections.inc({ application }, counts.driftCorrections);
    this.applyErrors.inc({ application }, counts.applyErrors);
    this.reconciles.inc({ application });
  }

  resyncStarted(): void {
    this.resyncs.inc();
  }

  applicationRemoved(application: string): void {
    this.driftCorrections.remove({ application });
    this.applyErrors.remove({ application });
    this.reconciles.remove({ application });
  }

  /** Registers what other components count; read at scrape time. */
  scrape(counts: ScrapedCounts): void {
    const registers = [this.registry];
    counterOf(
      'fleetwave_agent_reports_sent_total',
      'Reports produced to Kafka since start.',
      counts.reportsSent,
    );
    counterOf(
      'fleetwave_agent_reports_dropped_total',
      'Buffered reports dropped while Kafka was away.',
      counts.reportsDropped,
    );
    counterOf(
      'fleetwave_agent_kube_requests_total',
      'Kubernetes API requests since start (watches excluded).',
      counts.kubeRequests,
    );
    const read = counts.reportsBuffered;
    new Gauge({
      name: 'fleetwave_agent_reports_buffered',
      help: 'Reports waiting for Kafka.',
      registers,
      collect() {
        this.set(read());
      },
    });

    function counterOf(name: string, help: string, total: () => number): void {
      let seen = 0;
      new Counter({
        name,
        help,
        registers,
        // The source only grows within a process, so the difference since the last scrape is exact.
        collect() {
          const now = total();
          if (now > seen) this.inc(now - seen);
          seen = Math.max(seen, now);
        },
      });
    }
  }
}

/** A recorder for tests and callers that do not expose metrics. */
export const NO_METRICS: ReconcileMetrics = {
  passEnded: () => undefined,
  bundleReconciled: () => undefined,
  applicationRemoved: () => undefined,
  resyncStarted: () => undefined,
};
