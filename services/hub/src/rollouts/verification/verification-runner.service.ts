import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type Clock, HUB_CLOCK } from '../../common/clock.js';
import { AuditedTransactions } from '../../events/audited-transactions.js';
import { type NewEvent } from '../../events/events.repository.js';
import { LOGGER } from '../../logging/logging.module.js';
import { type VerificationCheck } from '../engine/verification/checks.js';
import { RepositorySources } from '../../applications/repository-sources.js';
import { CheckJobs } from './check-jobs.service.js';
import { JOB_MANIFEST_MAX_BYTES } from '../engine/verification/job-manifest.js';
import { type Verdict } from './evaluate.js';
import { type CheckTarget, kindOf, type RunContext } from './kinds/index.js';
import { VerificationRepository } from './verification.repository.js';

/** A wave whose checks should run (asked by an engine pass that found them not started). */
export interface VerificationRequest {
  rolloutId: string;
  applicationId: string;
  application: string;
  /** The rollout's commit: `job` checks read their manifest there. */
  commit: string;
  wave: string;
  checks: readonly VerificationCheck[];
  context: RunContext;
}

/** How long an attempt's runner holds it without renewing; renewed a third of that apart. */
export const VERIFICATION_LEASE_SECONDS = 30;

/**
 * Runs a wave's verification checks outside any engine pass: each check against each of its
 * targets, attempt after attempt (retries, with `intervalSeconds` between them by timers), every
 * attempt recorded in verification_runs. When a check settles (passed, or failed for good) the
 * rollout is asked for a pass, whose gates read the recorded state. A failed check is an event.
 *
 * The replica running an attempt (or waiting to retry it) holds a lease on its row, renewed while
 * it does; passes hand running waves here again, so when a replica dies or stops, the attempt is
 * taken over (same row, by the hub clock) by whichever replica looks after the lease ran out.
 */
@Injectable()
export class VerificationRunner implements OnApplicationShutdown {
  private readonly inFlight = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  /** Attempts this replica holds (running, or waiting to retry), whose leases it renews. */
  private readonly held = new Set<string>();
  private renewal: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly log: Logger;
  /** This replica, as leases name it. */
  readonly replica = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(
    @Inject(VerificationRepository) private readonly runs: VerificationRepository,
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(CheckJobs) private readonly agentJobs: CheckJobs,
    @Inject(RepositorySources) private readonly sources: RepositorySources,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'verification-runner' });
  }

  onApplicationShutdown(): void {
    // Attempts under way are left to their leases: another replica (or this one restarted) takes
    // them over rather than a shutdown failing a check.
    this.stopped = true;
    if (this.renewal !== undefined) clearInterval(this.renewal);
    for (const timer of this.timers) clearTimeout(timer);
    for (const abort of this.aborts) abort.abort();
  }

  /**
   * Starts the wave's checks, or takes over those whose runner went away, unless this replica runs
   * them already; `settled` asks for a pass.
   */
  start(request: VerificationRequest, settled: () => void): void {
    const key = `${request.rolloutId}/${request.wave}`;
    if (this.stopped || this.inFlight.has(key)) return;
    this.inFlight.add(key);
    void this.resume(request, settled)
      .catch((error: unknown) =>
        this.log.warn({ err: String(error), rollout: request.rolloutId }, 'cannot run verification checks'),
      )
      .finally(() => this.inFlight.delete(key));
  }

  private async resume(request: VerificationRequest, settled: () => void): Promise<void> {
    const recorded = (await this.runs.runs(request.rolloutId)).filter((run) => run.wave === request.wave);
    const now = this.clock.now();
    const tasks = request.checks.flatMap((check) =>
      kindOf(check)
        .targets(check, request.context)
        .map(async (target) => {
          const latest = recorded
            .filter((run) => run.checkName === check.name && run.target === target.name)
            .sort((a, b) => b.attempt - a.attempt)[0];
          if (latest === undefined) return this.attempt(request, check, target, 1, settled);
          const open = latest.result === null || (latest.result !== 'passed' && !latest.final);
          if (!open || (latest.leaseUntil !== null && latest.leaseUntil > now)) return;
          if (!(await this.runs.claim(latest.id, this.replica, now, this.leaseEnd()))) return;
          this.log.info(
            { rollout: request.rolloutId, wave: request.wave, check: check.name, target: target.name },
            'took over a verification attempt',
          );
          this.hold(latest.id);
          if (latest.result === null) {
            return this.runRecorded(request, check, target, latest.attempt, latest.id, settled);
          }
          await this.retryAfter(
            request,
            check,
            target,
            latest.attempt,
            latest.id,
            latest.finishedAt,
            settled,
          );
        }),
    );
    await Promise.all(tasks);
  }

  /** One attempt, then (unless it settled the check) the next one after the interval. */
  private async attempt(
    request: VerificationRequest,
    check: VerificationCheck,
    target: CheckTarget,
    attempt: number,
    settled: () => void,
  ): Promise<void> {
    if (this.stopped) return;
    const startedAt = this.clock.now();
    let id: string | undefined;
    try {
      [id] = await this.runs.start([
        {
          rolloutId: request.rolloutId,
          wave: request.wave,
          checkName: check.name,
          kind: check.kind,
          target: target.name,
          attempt,
          startedAt,
          lease: { by: this.replica, until: this.leaseEnd() },
        },
      ]);
    } catch (error) {
      this.log.warn({ err: String(error), rollout: request.rolloutId }, 'cannot record a verification run');
      return;
    }
    // Recorded already: another replica (or an earlier start) runs this attempt.
    if (id === undefined) return;
    this.hold(id);
    if (attempt === 1) settled();
    await this.runRecorded(request, check, target, attempt, id, settled);
  }

  /** Runs a recorded attempt this replica holds and records its verdict. */
  private async runRecorded(
    request: VerificationRequest,
    check: VerificationCheck,
    target: CheckTarget,
    attempt: number,
    id: string,
    settled: () => void,
  ): Promise<void> {
    const verdict = await this.runOnce(check, target, request, id);
    // Stopping: the attempt stays unsettled for whoever takes it over.
    if (this.stopped) return;
    const final = verdict.result === 'passed' || attempt > check.retries;
    try {
      await this.audited.run(async (tx) => {
        await this.runs.finish(tx, id, { ...verdict, final, finishedAt: this.clock.now() });
        const events: NewEvent[] =
          final && verdict.result !== 'passed' ? [failedEvent(request, check, target, attempt, verdict)] : [];
        return { result: undefined, events };
      });
    } catch (error) {
      this.log.warn(
        { err: String(error), rollout: request.rolloutId },
        'cannot record a verification result',
      );
      return;
    }
    if (final) {
      this.held.delete(id);
      settled();
      return;
    }
    await this.retryAfter(request, check, target, attempt, id, this.clock.now(), settled);
  }

  /** Waits what is left of the interval after a failed attempt (held), then tries the next one. */
  private async retryAfter(
    request: VerificationRequest,
    check: VerificationCheck,
    target: CheckTarget,
    attempt: number,
    id: string,
    failedAt: Date | null,
    settled: () => void,
  ): Promise<void> {
    const since = failedAt === null ? 0 : this.clock.now().getTime() - failedAt.getTime();
    const waitMs = Math.max(0, check.intervalSeconds * 1000 - since);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, waitMs);
      this.timers.add(timer);
    });
    if (this.stopped) return;
    this.held.delete(id);
    await this.attempt(request, check, target, attempt + 1, settled);
  }

  private leaseEnd(): Date {
    return new Date(this.clock.now().getTime() + VERIFICATION_LEASE_SECONDS * 1000);
  }

  /** Holds an attempt: its lease is renewed while this replica runs or retries it. */
  private hold(id: string): void {
    this.held.add(id);
    if (this.renewal !== undefined) return;
    this.renewal = setInterval(
      () => {
        if (this.held.size === 0) {
          clearInterval(this.renewal);
          this.renewal = undefined;
          return;
        }
        this.runs
          .renew([...this.held], this.replica, this.leaseEnd())
          .catch((error: unknown) =>
            this.log.warn({ err: String(error) }, 'cannot renew verification leases'),
          );
      },
      (VERIFICATION_LEASE_SECONDS * 1000) / 3,
    );
    this.renewal.unref();
  }

  private async runOnce(
    check: VerificationCheck,
    target: CheckTarget,
    request: VerificationRequest,
    runId: string,
  ): Promise<Verdict> {
    const context: RunContext = request.context;
    const readSource = (path: string): Promise<Uint8Array> =>
      this.sources.readFileAt(request.applicationId, request.commit, path, JOB_MANIFEST_MAX_BYTES);
    const kind = kindOf(check);
    const abort = new AbortController();
    this.aborts.add(abort);
    const seconds = kind.attemptSeconds?.(check) ?? check.timeoutSeconds;
    const timer = setTimeout(() => abort.abort(), seconds * 1000);
    try {
      return await kind.run(check, target, context, abort.signal, {
        runId,
        agentJobs: this.agentJobs,
        readSource,
      });
    } catch (error) {
      return { result: 'error', message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
  }
}

function failedEvent(
  request: VerificationRequest,
  check: VerificationCheck,
  target: CheckTarget,
  attempt: number,
  verdict: Verdict,
): NewEvent {
  return {
    actor: 'engine',
    action: 'rollout.verificationFailed',
    targetKind: 'rollout',
    targetId: request.rolloutId,
    after: {
      application: request.application,
      wave: request.wave,
      check: check.name,
      kind: check.kind,
      target: target.name,
      attempt,
      result: verdict.result,
      message: verdict.message,
    },
  };
}
