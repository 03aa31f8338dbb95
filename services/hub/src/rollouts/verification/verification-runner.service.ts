import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type Clock, HUB_CLOCK } from '../../common/clock.js';
import { AuditedTransactions } from '../../events/audited-transactions.js';
import { type NewEvent } from '../../events/events.repository.js';
import { LOGGER } from '../../logging/logging.module.js';
import { type VerificationCheck } from '../engine/verification/checks.js';
import { CheckJobs } from './check-jobs.service.js';
import { type Verdict } from './evaluate.js';
import { type CheckTarget, kindOf, type RunContext } from './kinds/index.js';
import { VerificationRepository } from './verification.repository.js';

/** A wave whose checks should run (asked by an engine pass that found them not started). */
export interface VerificationRequest {
  rolloutId: string;
  application: string;
  wave: string;
  checks: readonly VerificationCheck[];
  context: RunContext;
}

/**
 * Runs a wave's verification checks outside any engine pass: each check against each of its
 * targets, attempt after attempt (retries, with `intervalSeconds` between them by timers), every
 * attempt recorded in verification_runs. When a check settles (passed, or failed for good) the
 * rollout is asked for a pass, whose gates read the recorded state. A failed check is an event.
 */
@Injectable()
export class VerificationRunner implements OnApplicationShutdown {
  private readonly inFlight = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private stopped = false;
  private readonly log: Logger;

  constructor(
    @Inject(VerificationRepository) private readonly runs: VerificationRepository,
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(CheckJobs) private readonly agentJobs: CheckJobs,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'verification-runner' });
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const abort of this.aborts) abort.abort();
  }

  /** Starts the wave's checks unless they run here already; `settled` asks for a pass. */
  start(request: VerificationRequest, settled: () => void): void {
    const key = `${request.rolloutId}/${request.wave}`;
    if (this.stopped || this.inFlight.has(key)) return;
    this.inFlight.add(key);
    const tasks = request.checks.flatMap((check) =>
      kindOf(check)
        .targets(check, request.context)
        .map((target) => this.attempt(request, check, target, 1, settled)),
    );
    void Promise.all(tasks).finally(() => this.inFlight.delete(key));
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
        },
      ]);
    } catch (error) {
      this.log.warn({ err: String(error), rollout: request.rolloutId }, 'cannot record a verification run');
      return;
    }
    // Recorded already: another replica (or an earlier start) runs this attempt.
    if (id === undefined) return;
    if (attempt === 1) settled();
    const verdict = await this.runOnce(check, target, request.context, id);
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
      settled();
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, check.intervalSeconds * 1000);
      this.timers.add(timer);
    });
    await this.attempt(request, check, target, attempt + 1, settled);
  }

  private async runOnce(
    check: VerificationCheck,
    target: CheckTarget,
    context: RunContext,
    runId: string,
  ): Promise<Verdict> {
    const kind = kindOf(check);
    const abort = new AbortController();
    this.aborts.add(abort);
    const seconds = kind.attemptSeconds?.(check) ?? check.timeoutSeconds;
    const timer = setTimeout(() => abort.abort(), seconds * 1000);
    try {
      return await kind.run(check, target, context, abort.signal, { runId, agentJobs: this.agentJobs });
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
