import {
  type Assignment,
  type AssignmentsResponse,
  type BundleStatus,
  type ClusterFacts,
} from '@fleetwave/contracts';
import { type Logger } from 'pino';
import { type BundleCache } from './hub/bundle-cache.js';
import { HubError, type HubClient } from './hub/hub-client.js';
import { MaintenanceTracker } from './maintenance.js';
import { NO_METRICS, type ReconcileMetrics } from './metrics.js';
import { type ClusterPort } from './pipeline/cluster-port.js';
import { reconcileBundle } from './pipeline/reconcile.js';
import { type Withdrawal, withdrawBundle } from './pipeline/withdraw.js';
import { type Reporter } from './report/reporter.js';
import { type Timers, WorkQueue } from './work-queue.js';

/** Tells the agent when objects it applied changed out of band (the port tracks what it applied). */
export interface DriftSource {
  onDrift(listener: (application: string, objectId: string) => void): void;
  stop(): Promise<void>;
}

export interface AgentDeps {
  clusterId: string;
  hub: HubClient;
  cache: BundleCache;
  port: ClusterPort;
  reporter: Reporter;
  drift: DriftSource;
  logger: Logger;
  /** Undefined when they cannot be read now: the report leaves them out and the hub keeps the last ones. */
  facts: () => Promise<ClusterFacts | undefined>;
  /** The annotations of the agent's own namespace (one GET), read for the maintenance annotation. */
  namespaceAnnotations: () => Promise<Record<string, string> | undefined>;
  metrics?: ReconcileMetrics;
  heartbeatIntervalSeconds: number;
  resyncSeconds: number;
  /** How often to re-read health while some bundle is still progressing. */
  progressCheckSeconds?: number;
  /** Applications reconciled at once (each at most once at a time); default 4. */
  reconcileConcurrency?: number;
  /** First retry of an application whose reconcile hit an error, doubling up to the resync period; default 5. */
  retrySeconds?: number;
  /** The queue's clock and timers (tests inject them). */
  timers?: Timers;
}

interface AppliedState {
  digest: string;
  since: Date;
  /** Out-of-band changes reverted since this digest was first applied. */
  corrections: number;
  status?: BundleStatus;
}

/**
 * The agent's loops: long-poll assignments, reconcile on change / drift / resync, heartbeat.
 *
 * Applications are reconciled from a work queue keyed by application (client-go style: deduped,
 * one run per application at a time, a few applications at once, errors retried with backoff): new
 * assignments and the resync queue every application, drift only the application it touched, and
 * an application still progressing re-queues itself. A queued application that is withdrawn
 * (tombstone) is withdrawn; one merely absent is forgotten, and nothing of it is deleted: only a
 * withdrawal removes anything.
 *
 * A pass is the queue's busy spell: when it has nothing left, a status report with every
 * application's last status follows when anything changed, whatever went wrong.
 */
export class Agent {
  private assignments: AssignmentsResponse | undefined;
  private readonly applied = new Map<string, AppliedState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private readonly queue: WorkQueue<string>;
  /** The pass under way (the queue's current busy spell), if any. */
  private pass: { started: number; failed: boolean } | undefined;
  /** The end-of-pass reports, one after the other. */
  private reporting: Promise<void> = Promise.resolve();
  private pollAbort = new AbortController();
  private clusterReachable = true;
  /** Something changed since the last report (a status, a withdrawal): the next report goes out. */
  private changed = false;
  /** New assignments arrived: the pass that reconciles them reports even if nothing changed. */
  private reportNext = false;
  /** A resync is due: the next pass reports again the withdrawals the hub has not acknowledged. */
  private resyncDue = false;
  /**
   * Withdrawals carried out, listed in `removed` of every status report while their tombstone is
   * still in the assignments (the hub drops the tombstone once it has read the report).
   */
  private readonly removed = new Set<string>();
  /** Each withdrawal that could not be carried out yet, with its last status (if it can be named). */
  private readonly withdrawing = new Map<string, BundleStatus | undefined>();
  private readonly maintenance = new MaintenanceTracker();
  private readonly metrics: ReconcileMetrics;

  constructor(private readonly deps: AgentDeps) {
    this.metrics = deps.metrics ?? NO_METRICS;
    this.queue = new WorkQueue<string>({
      concurrency: deps.reconcileConcurrency ?? 4,
      work: (application) => this.reconcileApplication(application),
      baseRetryMs: (deps.retrySeconds ?? 5) * 1000,
      maxRetryMs: Math.max(deps.retrySeconds ?? 5, deps.resyncSeconds) * 1000,
      onIdle: () => this.endPass(),
      onError: (application, error) => {
        if (this.pass) this.pass.failed = true;
        this.deps.logger.error({ application, err: String(error) }, 'reconcile failed');
      },
      ...(deps.timers ? { timers: deps.timers } : {}),
    });
  }

  async start(): Promise<void> {
    // The last good assignment first: the cluster stays reconciled while the hub is away.
    this.assignments = await this.deps.cache.loadAssignments();
    if (this.assignments)
      this.deps.logger.info({ generation: this.assignments.generation }, 'reconciling cached assignments');
    this.deps.drift.onDrift((application, objectId) => {
      this.deps.logger.info({ application, objectId }, 'out-of-band change; re-applying');
      this.enqueue(application);
    });
    this.requestReconcile();
    this.every(this.deps.heartbeatIntervalSeconds, () => this.heartbeat());
    void this.heartbeat();
    this.scheduleResync();
    void this.pollLoop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pollAbort.abort();
    for (const t of this.timers) clearTimeout(t);
    await this.queue.stop();
    // A pass cut short still reports what it learned.
    if (this.pass) this.endPass();
    await this.reporting;
    await this.deps.drift.stop();
    await this.deps.reporter.close();
  }

  /**
   * Queues every application the agent knows of: assigned, withdrawn, still being withdrawn, or
   * applied before (so one left out of the assignments is forgotten).
   */
  requestReconcile(): void {
    const current = this.assignments;
    if (!current) return;
    const applications = new Set([
      ...current.assignments.map((a) => a.application),
      ...current.withdrawals.map((w) => w.application),
      ...this.withdrawing.keys(),
      ...this.applied.keys(),
    ]);
    // Nothing to reconcile still makes a pass: it reports what changed (new, empty assignments).
    if (applications.size === 0) return this.endPass();
    for (const application of applications) this.enqueue(application);
  }

  /** Resolves when nothing is queued or in flight and the pass's report is out (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      await this.queue.idle();
      const reporting = this.reporting;
      await reporting;
      if (this.queue.isIdle() && reporting === this.reporting) return;
    }
  }

  private enqueue(application: string): void {
    if (this.stopped) return;
    this.pass ??= { started: performance.now(), failed: false };
    this.queue.add(application);
  }

  /** One application, as it stands in the current assignments: reconciled, withdrawn or forgotten. */
  private async reconcileApplication(application: string): Promise<void> {
    const current = this.assignments;
    if (!current) return;
    this.pass ??= { started: performance.now(), failed: false };
    const assignment = current.assignments.find((a) => a.application === application);
    const withdrawal = current.withdrawals.find((w) => w.application === application);
    let retry = false;
    if (assignment) {
      const { status, failed } = await this.reconcileOne(assignment);
      const state = this.applied.get(application)!;
      if (!state.status || statusKey(state.status) !== statusKey(status)) this.changed = true;
      state.status = status;
      if (status.phase === 'Failed' || status.phase === 'Stalled') this.pass.failed = true;
      retry = failed;
      if (status.phase === 'Progressing')
        this.queue.addAfter(application, (this.deps.progressCheckSeconds ?? 5) * 1000);
    }
    if (withdrawal && !this.removed.has(application)) {
      const status = await this.withdrawOne(withdrawal);
      if (status === 'removed') {
        this.changed = true; // reported at once, so the hub can finish the placement
      } else {
        this.pass.failed = true;
        retry = true;
        const seen = this.withdrawing.has(application);
        if (!seen || statusKey(this.withdrawing.get(application)) !== statusKey(status)) this.changed = true;
        this.withdrawing.set(application, status);
      }
    }
    if (!withdrawal && this.withdrawing.delete(application)) this.changed = true;
    // Absent from the assignments without a tombstone: no longer reconciled, and left running.
    if (!assignment && !withdrawal && this.applied.delete(application)) {
      this.metrics.applicationRemoved(application);
      this.changed = true;
    }
    if (retry) this.queue.retryLater(application);
    else this.queue.forget(application);
  }

  /** The queue ran dry: the pass ends with a report of every application when anything changed. */
  private endPass(): void {
    const pass = this.pass ?? { started: performance.now(), failed: false };
    this.pass = undefined;
    // Taken now, not when the report runs: the applications queued with the new assignments are done.
    if (this.reportNext) {
      this.reportNext = false;
      this.changed = true;
    }
    this.reporting = this.reporting.then(() => this.report(pass));
  }

  private async report(pass: { started: number; failed: boolean }): Promise<void> {
    const current = this.assignments;
    if (!current) return;
    try {
      // Maintenance is only reported: drift correction and applies go on as usual.
      if (await this.readMaintenance()) this.changed = true;
    } finally {
      const tombstones = new Set(current.withdrawals.map((w) => w.application));
      // The hub has read those (its tombstone is gone): stop listing them.
      for (const application of this.removed)
        if (!tombstones.has(application)) this.removed.delete(application);
      const removed = [...this.removed].sort();
      // Not acknowledged for a whole resync period: a report may have been lost, say it again.
      if (this.resyncDue && removed.length > 0) this.changed = true;
      this.resyncDue = false;
      const statuses = [
        ...current.assignments.flatMap((a) => this.applied.get(a.application)?.status ?? []),
        ...current.withdrawals.flatMap((w) =>
          this.removed.has(w.application) ? [] : (this.withdrawing.get(w.application) ?? []),
        ),
      ];
      this.metrics.passEnded((performance.now() - pass.started) / 1000, pass.failed ? 'error' : 'success');
      // Like kustomize-controller's deferred status patch: report whatever this pass learned.
      if (this.changed) {
        this.changed = false;
        await this.deps.reporter
          .status(this.clusterReachable ? 'Ready' : 'NotReady', statuses, {
            maintenance: this.maintenance.state,
            removed,
          })
          .catch((error: unknown) =>
            this.deps.logger.error({ err: String(error) }, 'status report not queued'),
          );
      }
    }
  }

  /** `failed`: the reconcile hit an API error or a refused object, so it is retried with backoff. */
  private async reconcileOne(assignment: Assignment): Promise<{ status: BundleStatus; failed: boolean }> {
    const now = new Date();
    let state = this.applied.get(assignment.application);
    const reapply = state?.digest === assignment.digest;
    if (!state || state.digest !== assignment.digest) {
      state = { digest: assignment.digest, since: now, corrections: 0 };
      this.applied.set(assignment.application, state);
    }
    const manifests = await this.bundle(assignment.digest);
    const result = await reconcileBundle(this.deps.port, {
      assignment,
      clusterId: this.deps.clusterId,
      manifests,
      since: state.since,
      now,
      reapply,
    });
    this.clusterReachable = !result.status.failing.some((f) => f.reason === 'ReconcileError');
    this.metrics.bundleReconciled(assignment.application, {
      driftCorrections: result.status.driftCorrections,
      applyErrors: result.applyErrors,
    });
    state.corrections += result.status.driftCorrections;
    result.status.driftCorrections = state.corrections;
    const summary = result.changes.filter((c) => c.action !== 'unchanged');
    if (summary.length > 0 || result.status.phase === 'Failed' || result.status.phase === 'Stalled') {
      this.deps.logger.info(
        {
          application: assignment.application,
          phase: result.status.phase,
          changes: summary,
          failing: result.status.failing,
        },
        'reconciled',
      );
    }
    return { status: result.status, failed: result.applyErrors > 0 };
  }

  /**
   * Carries out one withdrawal: 'removed' once done (the application's state, drift watches and
   * metric series are gone), else the status saying why not (undefined when it cannot be named).
   */
  private async withdrawOne(withdrawal: Withdrawal): Promise<'removed' | BundleStatus | undefined> {
    const { application } = withdrawal;
    const last = this.applied.get(application)?.status ?? this.withdrawing.get(application);
    const result = await withdrawBundle(this.deps.port, {
      withdrawal,
      now: new Date(),
      ...(last ? { lastKnown: { digest: last.digest, commit: last.commit } } : {}),
    });
    const changes = result.changes.filter((c) => c.action !== 'unchanged');
    if (!result.removed) {
      this.deps.logger.warn(
        { application, deletionPolicy: withdrawal.deletionPolicy, changes, failing: result.failing },
        'withdrawal not finished; will retry',
      );
      return result.status;
    }
    this.removed.add(application);
    this.withdrawing.delete(application);
    this.applied.delete(application);
    this.metrics.applicationRemoved(application);
    this.deps.logger.info(
      {
        application,
        deletionPolicy: withdrawal.deletionPolicy,
        ...(result.hadInventory ? { changes } : { inventory: 'none; nothing to do' }),
      },
      'withdrawn',
    );
    return 'removed';
  }

  /**
   * The bundles of new assignments that are not cached yet, fetched in one batch request into the
   * cache (100 new assignments: one request, not 100), so that reconciles read them from there.
   * Whatever the batch did not bring (an older hub, an error, a bundle it would not serve) each
   * reconcile fetches by itself, and reports if that fails.
   */
  private async prefetchBundles(assignments: readonly Assignment[]): Promise<void> {
    const missing: string[] = [];
    for (const digest of new Set(assignments.map((a) => a.digest)))
      if ((await this.deps.cache.loadBundle(digest)) === undefined) missing.push(digest);
    if (missing.length === 0) return;
    try {
      const bundles = await this.deps.hub.fetchBundles(missing);
      if (bundles === undefined) {
        this.deps.logger.info('the hub has no batch bundle fetch; fetching bundles one by one');
        return;
      }
      for (const [digest, text] of bundles) await this.deps.cache.saveBundle(digest, text);
    } catch (error) {
      this.deps.logger.warn(
        { err: error instanceof Error ? error.message : String(error), bundles: missing.length },
        'bundle batch failed; fetching bundles one by one',
      );
    }
  }

  /** From the disk cache, else from the hub (digest verified), then cached. */
  private async bundle(
    digest: string,
  ): Promise<{ ok: true; text: string } | { ok: false; reason: string; message: string }> {
    const cached = await this.deps.cache.loadBundle(digest);
    if (cached !== undefined) return { ok: true, text: cached };
    try {
      const text = await this.deps.hub.fetchBundle(digest);
      await this.deps.cache.saveBundle(digest, text);
      return { ok: true, text };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        reason: message.includes('digest mismatch') ? 'DigestMismatch' : 'BundleUnavailable',
        message,
      };
    }
  }

  private async pollLoop(): Promise<void> {
    let backoffMs = 1_000;
    while (!this.stopped) {
      try {
        const poll = await this.deps.hub.pollAssignments(this.assignments?.generation, this.pollAbort.signal);
        backoffMs = 1_000;
        if (poll.changed) {
          this.assignments = poll.response;
          await this.deps.cache.saveAssignments(poll.response);
          this.deps.logger.info({ generation: poll.response.generation }, 'new assignments');
          await this.prefetchBundles(poll.response.assignments);
          // The hub may have re-assigned the same bundle (an operator's retry): it waits for a
          // report newer than that, so the pass that follows reports whatever it finds.
          this.reportNext = true;
          this.requestReconcile();
        }
      } catch (error) {
        if (this.stopped) return;
        const permanent = error instanceof HubError && error.permanent;
        this.deps.logger.warn(
          { err: error instanceof Error ? error.message : String(error), retryInMs: backoffMs },
          permanent
            ? 'the hub refused the assignments request'
            : 'hub unreachable; reconciling the cached assignments',
        );
        await new Promise((resolve) => this.after(backoffMs / 1000, () => resolve(undefined)));
        backoffMs = Math.min(backoffMs * 2, 30_000);
      }
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      // Read here too, not only per pass: an idle agent passes only every resync, and the hub holds
      // new changes back from a cluster in maintenance, so it should learn within a heartbeat.
      await this.readMaintenance();
      await this.deps.reporter.heartbeat(this.clusterReachable ? 'Ready' : 'NotReady', {
        facts: await this.deps.facts(),
        maintenance: this.maintenance.state,
      });
    } catch (error) {
      this.deps.logger.warn({ err: String(error) }, 'heartbeat not queued');
    }
  }

  /** True when the maintenance state changed. A failed read keeps the last known state. */
  private async readMaintenance(): Promise<boolean> {
    let annotations: Record<string, string> | undefined;
    try {
      annotations = await this.deps.namespaceAnnotations();
    } catch (error) {
      this.deps.logger.warn(
        { err: String(error) },
        'cannot read the agent namespace; maintenance state kept',
      );
      return false;
    }
    const changed = this.maintenance.observe(annotations, new Date());
    if (changed) this.deps.logger.info({ maintenance: this.maintenance.state }, 'maintenance state changed');
    return changed;
  }

  /** Full resync as a safety net, with ±20% jitter so a fleet does not resync in lockstep. */
  private scheduleResync(): void {
    const seconds = this.deps.resyncSeconds * (0.8 + Math.random() * 0.4);
    this.after(seconds, () => {
      this.resyncDue = true;
      this.metrics.resyncStarted();
      this.requestReconcile();
      this.scheduleResync();
    });
  }

  private after(seconds: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) fn();
    }, seconds * 1000);
    this.timers.add(timer);
  }

  private every(seconds: number, fn: () => void): void {
    const tick = () => this.after(seconds, () => (fn(), tick()));
    tick();
  }
}

function statusKey(s: BundleStatus | undefined): string {
  return s === undefined
    ? ''
    : JSON.stringify([s.digest, s.phase, s.ready, s.total, s.failing, s.driftCorrections]);
}
