import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { CommittedEvents } from '../events/committed-events.js';
import { type EventEntity } from '../events/event.entity.js';
import { LOGGER } from '../logging/logging.module.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { type ClusterSignal, ClusterSignals } from '../reports/cluster-signals.js';
import { FleetGates } from './fleet-gates.js';
import { concernOf, type PassRecord, sweepPasses } from './quiet-passes.js';
import { RolloutDetailCache } from './rollout-detail-cache.js';
import { type PassOutcome, RolloutPassService } from './rollout-pass.service.js';
import { RolloutsRepository } from './rollouts.repository.js';
import { addSignal, type SignalTargets } from './signal-targets.js';
import { VerificationRunner } from './verification/verification-runner.service.js';

/** Passes run side by side on different rollouts (each holds one pooled connection). */
const CONCURRENT_PASSES = 3;
const PERIODIC_BATCH = 5_000;
/** Far-away wake-ups are left to the periodic sweep's successors (and stay within setTimeout's range). */
const MAX_TIMER_MS = 3_600_000;

/**
 * When engine passes run on this replica: on request (mutations, new rollouts), when member clusters
 * report or change (status, maintenance, labels, cordon), at the next soak end, deadline, window
 * opening or freeze end (by the hub clock), when the fleet freeze changes on this replica, when a
 * wave's verification check settles, and periodically as a safety net (which also makes a restarted
 * or surviving replica pick up where another stopped). Requests for a rollout whose pass is running
 * are coalesced into one more pass after it.
 *
 * The periodic sweep leaves out a rollout with a pass queued or running (it reads what the sweep's
 * would), and one whose last pass here was quiet (changed nothing, held by nothing unsignalled) and
 * whose wake-up is still ahead, for up to `quietPassIntervalSeconds` (quiet-passes.ts): every input
 * of its decision signals this scheduler or is a wake-up time. Several replicas: passes are not claimed, any replica may pass any rollout,
 * and the rollout row lock (RolloutPassService) serialises them. A change reaches a pass on the
 * replica that committed or ingested it (its signals and events are in-process), so another
 * replica's memory of a quiet pass may be stale yet lose nothing: its skip only spares a pass that
 * the signalled replica runs. If that replica dies between a change and its pass, the others' quiet
 * interval bounds the delay; passes are level-triggered, so a late pass decides the same.
 */
@Injectable()
export class RolloutScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly queued = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly wakeTimers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly idleWaiters: (() => void)[] = [];
  private periodic: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private unsubscribeCommitted: (() => void) | undefined;
  private stopped = false;
  /** Signalled since the last rollout lookup started (see lookUpSignalled). */
  private readonly signalled: SignalTargets = { clusters: new Set(), placements: new Map() };
  /** How this replica's last pass over each rollout ended (only what the sweep needs). */
  private readonly records = new Map<string, PassRecord>();
  /** Bumped by a change that may concern any rollout: every record older than it is void. */
  private epoch = 0;
  private lookingUp = false;
  private readonly log: Logger;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(RolloutPassService) private readonly passes: RolloutPassService,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(ClusterSignals) private readonly signals: ClusterSignals,
    @Inject(CommittedEvents) private readonly committed: CommittedEvents,
    @Inject(FleetGates) private readonly fleet: FleetGates,
    @Inject(VerificationRunner) private readonly verifier: VerificationRunner,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(RolloutDetailCache) private readonly details: RolloutDetailCache,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'rollout-scheduler' });
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.signals.subscribe((signal) => this.onSignal(signal));
    this.unsubscribeCommitted = this.committed.subscribe((events) => this.onCommitted(events));
    this.periodic = setInterval(() => void this.sweep(), this.config.rollouts.passIntervalSeconds * 1000);
    this.periodic.unref();
    void this.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribeCommitted?.();
    clearInterval(this.periodic);
    for (const { timer } of this.wakeTimers.values()) clearTimeout(timer);
    this.wakeTimers.clear();
    this.queued.clear();
    this.records.clear();
    await this.idle();
  }

  /** Asks for a pass over each rollout as soon as possible. */
  request(ids: readonly string[]): void {
    if (this.stopped) return;
    // Whatever asks for a pass may have changed what a read shows (a mutation, a report, a timer).
    this.details.changed(ids);
    for (const id of ids) {
      if (this.running.has(id)) this.again.add(id);
      else this.queued.add(id);
    }
    this.pump();
  }

  /** Resolves when nothing is queued or running (tests and shutdown). */
  idle(): Promise<void> {
    if (this.queued.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * A pass over every movable rollout that may have moved (`all`: every one); also what a freshly
   * started replica does first (it remembers no pass, so it passes them all).
   */
  async sweep(all = false): Promise<void> {
    try {
      const ids = await this.rollouts.movableIds(PERIODIC_BATCH);
      // Finished rollouts leave the list: so do their records (at worst one extra pass, never one less).
      const movable = new Set(ids);
      for (const id of this.records.keys()) if (!movable.has(id)) this.records.delete(id);
      const now = this.clock.now().getTime();
      const quietIntervalMs = this.config.rollouts.quietPassIntervalSeconds * 1000;
      // Skips count the rollouts left alone for being quiet, not those with a pass on its way.
      let skipped = 0;
      const due = all
        ? ids
        : ids.filter((id) => {
            const pending = this.queued.has(id) || this.running.has(id);
            const pass = sweepPasses({
              last: this.records.get(id),
              pending,
              epoch: this.epoch,
              now,
              quietIntervalMs,
            });
            if (!pass && !pending) skipped++;
            return pass;
          });
      if (skipped > 0) this.metrics.rolloutSweepSkips.inc(skipped);
      this.request(due);
    } catch (error) {
      this.log.warn({ err: message(error) }, 'cannot list rollouts (database unreachable?)');
    }
  }

  /**
   * Changes committed on this replica that no report signals: a freeze set or lifted (every rollout
   * looks again at once, on this replica: its passes need no other's), an operator's
   * or a fact label's change to a cluster (its rollouts), a rollout changed by anyone but a pass
   * (that rollout), and an application's or placement's change or a deregistration, which may
   * concern any rollout (every record void: the next sweep passes them all).
   */
  private onCommitted(events: readonly EventEntity[]): void {
    if (this.stopped) return;
    const concern = concernOf(events);
    if (concern.fleet) {
      void this.fleet.refresh().then(() => {
        this.details.changedAll();
        return this.sweep(true);
      });
    } else if (concern.sharers && this.fleet.budgeted) {
      // The ETA shares the budget among the rollouts the last read saw: one starting or ending
      // changes every estimate now, not a pass interval later (other replicas: at their next one).
      void this.fleet.refresh();
    }
    if (concern.all) {
      this.epoch++;
      this.details.changedAll();
    }
    if (concern.clusterIds.length > 0) this.onSignal({ clusterIds: concern.clusterIds, placements: [] });
    if (concern.rolloutIds.length > 0) this.request(concern.rolloutIds);
  }

  /** Collects what moved; one lookup runs at a time and takes everything collected until it starts. */
  private onSignal(signal: ClusterSignal): void {
    if (this.stopped) return;
    addSignal(this.signalled, signal, this.config.rollouts.clusterMaxChangingApps !== null);
    if (!this.lookingUp) void this.lookUpSignalled();
  }

  /**
   * Finds the rollouts of what was signalled and asks for their passes. Signals coalesce: those of
   * the same tick (partitions committing together) and those arriving while a lookup runs share
   * the next lookup, so a burst of reports costs a few queries rather than one per batch.
   */
  private async lookUpSignalled(): Promise<void> {
    this.lookingUp = true;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      while (!this.stopped && (this.signalled.clusters.size > 0 || this.signalled.placements.size > 0)) {
        const clusterIds = [...this.signalled.clusters];
        const placements = [...this.signalled.placements.values()];
        this.signalled.clusters.clear();
        this.signalled.placements.clear();
        try {
          this.request(await this.rollouts.movableIdsFor(clusterIds, placements));
        } catch (error) {
          this.log.warn({ err: message(error) }, 'cannot find rollouts of reporting clusters');
        }
      }
    } finally {
      this.lookingUp = false;
    }
  }

  private pump(): void {
    for (const id of this.queued) {
      if (this.running.size >= CONCURRENT_PASSES) break;
      if (this.running.has(id)) continue;
      this.queued.delete(id);
      this.running.add(id);
      void this.runOne(id);
    }
    if (this.queued.size === 0 && this.running.size === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async runOne(id: string): Promise<void> {
    const epoch = this.epoch;
    this.records.delete(id);
    try {
      const outcome = await this.passes.run(id);
      this.remember(id, outcome, epoch);
      if (outcome.wakeAt !== null) this.wakeAt(id, outcome.wakeAt);
      if (outcome.started.length > 0) this.request(outcome.started);
      for (const wave of outcome.verify) this.verifier.start(wave, () => this.request([id]));
    } catch (error) {
      // The periodic sweep retries; a pass changes nothing unless it commits.
      this.metrics.rolloutPasses.inc({ result: 'failed' });
      this.log.warn({ err: message(error), rollout: id }, 'rollout pass failed; will retry');
    } finally {
      // What the pass committed shows on the next read (the request's change may have been read before it).
      this.details.changed([id]);
      this.running.delete(id);
      if (this.again.delete(id)) this.queued.add(id);
      this.pump();
    }
  }

  private remember(id: string, outcome: PassOutcome, epoch: number): void {
    const result = outcome.moved ? 'moved' : outcome.quiet ? 'quiet' : 'unchanged';
    this.metrics.rolloutPasses.inc({ result });
    this.records.set(id, {
      at: this.clock.now().getTime(),
      quiet: outcome.quiet,
      wakeAt: outcome.wakeAt?.getTime() ?? null,
      epoch,
    });
  }

  /** A timer for the earliest moment the rollout can move without any report (soak end, deadline). */
  private wakeAt(id: string, at: Date): void {
    if (this.stopped) return;
    const when = at.getTime();
    const existing = this.wakeTimers.get(id);
    if (existing !== undefined && existing.at <= when) return;
    if (existing !== undefined) clearTimeout(existing.timer);
    const timer = setTimeout(
      () => {
        this.wakeTimers.delete(id);
        this.request([id]);
      },
      // A few ms late on purpose: the pass must see the moment as passed.
      Math.min(Math.max(0, when - this.clock.now().getTime()) + 5, MAX_TIMER_MS),
    );
    timer.unref();
    this.wakeTimers.set(id, { at: when, timer });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
