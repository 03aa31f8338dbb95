import { Inject, Injectable } from '@nestjs/common';
import { type CheckJob, type CheckJobOutcome } from '@fleetwave/contracts';
import { type AgentJobs } from './kinds/index.js';
import { VerificationRepository } from './verification.repository.js';

/** How often a waiting attempt looks for an outcome another replica recorded. */
const OUTCOME_POLL_MS = 2000;

/**
 * The hub's side of `job` checks: the runner asks a cluster for a Job and waits for its outcome;
 * the agent API lists a cluster's pending Jobs and records outcomes. An outcome recorded on this
 * replica wakes its waiter at once; one recorded on another replica is seen within the poll.
 */
@Injectable()
export class CheckJobs implements AgentJobs {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(@Inject(VerificationRepository) private readonly runs: VerificationRepository) {}

  request(runId: string, job: CheckJob): Promise<void> {
    return this.runs.requestJob(runId, job);
  }

  async awaitOutcome(runId: string, signal: AbortSignal): Promise<CheckJobOutcome | null> {
    for (;;) {
      const outcome = await this.runs.jobOutcome(runId);
      if (outcome !== null) return outcome;
      if (signal.aborted) return null;
      await this.nap(runId, signal);
    }
  }

  pending(clusterName: string): Promise<CheckJob[]> {
    return this.runs.pendingJobs(clusterName);
  }

  /** Records an agent's outcome; false when no attempt of this cluster waits for it. */
  async report(clusterName: string, runId: string, outcome: CheckJobOutcome): Promise<boolean> {
    const recorded = await this.runs.reportJob(clusterName, runId, outcome);
    for (const wake of this.waiters.get(runId) ?? []) wake();
    return recorded;
  }

  /** Until a report for the run on this replica, the poll interval, or the abort. */
  private nap(runId: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(runId) ?? new Set<() => void>();
      this.waiters.set(runId, set);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(runId);
        resolve();
      };
      const timer = setTimeout(done, OUTCOME_POLL_MS);
      signal.addEventListener('abort', done);
      set.add(done);
    });
  }
}
