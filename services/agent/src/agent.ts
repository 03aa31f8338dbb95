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
import { NO_METRICS, type ReconcileMetrics, type ReconcilePassResult } from './metrics.js';
import { type ClusterPort } from './pipeline/cluster-port.js';
import { reconcileBundle } from './pipeline/reconcile.js';
import { type Withdrawal, withdrawBundle } from './pipeline/withdraw.js';
import { type Reporter } from './report/reporter.js';

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
}

interface AppliedState {
  digest: string;
  since: Date;
  /** Out-of-band changes reverted since this digest was first applied. */
  corrections: number;
  status?: BundleStatus;
}

/**
 * The agent's loops: long-poll assignments, reconcile on change / drift / resync, heartbeat. A
 * reconcile pass always ends with a status report when anything changed, whatever went wrong.
 *
 * A pass reconciles every assignment, then carries out every withdrawal (tombstone) not carried out
 * yet. An application merely absent from the assignments is no longer reconciled, and nothing of
 * it is deleted: only a withdrawal removes anything.
 */
export class Agent {
  private assignments: AssignmentsResponse | undefined;
  private readonly applied = new Map<string, AppliedState>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private reconciling: Promise<void> | undefined;
  private reconcileAgain = false;
  private pollAbort = new AbortController();
  private clusterReachable = true;
  /** New assignments arrived: the next pass reports even if nothing changed in the cluster. */
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
  }

  async start(): Promise<void> {
    // The last good assignment first: the cluster stays reconciled while the hub is away.
    this.assignments = await this.deps.cache.loadAssignments();
    if (this.assignments)
      this.deps.logger.info({ generation: this.assignments.generation }, 'reconciling cached assignments');
    this.deps.drift.onDrift((application, objectId) => {
      this.deps.logger.info({ application, objectId }, 'out-of-band change; re-applying');
      this.requestReconcile();
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
    await this.reconciling;
    await this.deps.drift.stop();
    await this.deps.reporter.close();
  }

  /** Coalesces triggers: at most one pass runs, and one more follows if something asked meanwhile. */
  requestReconcile(): void {
    if (this.stopped) return;
    if (this.reconciling) {
      this.reconcileAgain = true;
      return;
    }
    this.reconciling = this.reconcileAll()
      .catch((error: unknown) => this.deps.logger.error({ err: String(error) }, 'reconcile pass failed'))
      .finally(() => {
        this.reconciling = undefined;
        if (this.reconcileAgain) {
          this.reconcileAgain = false;
          this.requestReconcile();
        }
      });
  }

  /** Resolves when no reconcile pass is running (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.reconciling) await this.reconciling;
  }

  private async reconcileAll(): Promise<void> {
    const current = this.assignments;
    if (!current) return;
    const started = performance.now();
    let result: ReconcilePassResult = 'error';
    const statuses: BundleStatus[] = [];
    let changed = this.reportNext;
    this.reportNext = false;
    const resync = this.resyncDue;
    this.resyncDue = false;
    const tombstones = new Set(current.withdrawals.map((w) => w.application));
    // The hub has read those (its tombstone is gone): stop listing them.
    for (const application of this.removed)
      if (!tombstones.has(application)) this.removed.delete(application);
    for (const application of this.withdrawing.keys()) {
      if (!tombstones.has(application)) {
        this.withdrawing.delete(application);
        changed = true;
      }
    }
    let withdrawalsFailed = false;
    try {
      // Maintenance is only reported: drift correction and applies go on as usual.
      if (await this.readMaintenance()) changed = true;
      for (const assignment of current.assignments) {
        const status = await this.reconcileOne(assignment);
        const previous = this.applied.get(assignment.application)?.status;
        if (!previous || statusKey(previous) !== statusKey(status)) changed = true;
        this.applied.get(assignment.application)!.status = status;
        statuses.push(status);
      }
      for (const withdrawal of current.withdrawals) {
        if (this.removed.has(withdrawal.application)) continue;
        const status = await this.withdrawOne(withdrawal);
        if (status === 'removed') {
          changed = true; // reported at once, so the hub can finish the placement
          continue;
        }
        withdrawalsFailed = true;
        const seen = this.withdrawing.has(withdrawal.application);
        const previous = this.withdrawing.get(withdrawal.application);
        if (!seen || statusKey(previous) !== statusKey(status)) changed = true;
        this.withdrawing.set(withdrawal.application, status);
        if (status) statuses.push(status);
      }
      // Absent from the assignments without a tombstone: no longer reconciled, and left running.
      for (const application of this.applied.keys()) {
        if (!current.assignments.some((a) => a.application === application)) {
          this.applied.delete(application);
          this.metrics.applicationRemoved(application);
          changed = true;
        }
      }
      result =
        withdrawalsFailed || statuses.some((s) => s.phase === 'Failed' || s.phase === 'Stalled')
          ? 'error'
          : 'success';
    } finally {
      const removed = [...this.removed].filter((a) => tombstones.has(a)).sort();
      // Not acknowledged for a whole resync period: a report may have been lost, say it again.
      if (resync && removed.length > 0) changed = true;
      this.metrics.passEnded((performance.now() - started) / 1000, result);
      // Like kustomize-controller's deferred status patch: report whatever this pass learned.
      if (changed) {
        await this.deps.reporter.status(this.clusterReachable ? 'Ready' : 'NotReady', statuses, {
          maintenance: this.maintenance.state,
          removed,
        });
      }
    }
    if (statuses.some((s) => s.phase === 'Progressing')) {
      this.after(this.deps.progressCheckSeconds ?? 5, () => this.requestReconcile());
    }
  }

  private async reconcileOne(assignment: Assignment): Promise<BundleStatus> {
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
    return result.status;
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
