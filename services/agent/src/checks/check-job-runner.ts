import { type CheckJob, type CheckJobOutcome, checkJobName } from '@fleetwave/contracts';
import { type Logger } from 'pino';
import { type KubeObject } from '../domain/index.js';
import { REAL_TIMERS, type Timers } from '../work-queue.js';
import { checkJobManifest, checkJobOutcome } from './check-job.js';

/** The hub's side of check Jobs (HubClient). */
export interface CheckJobsHub {
  pendingCheckJobs(): Promise<CheckJob[]>;
  reportCheckJob(id: string, outcome: CheckJobOutcome): Promise<void>;
}

/** The cluster's side: create a Job (idempotent), read it back (undefined: gone). */
export interface CheckJobsCluster {
  createJob(job: KubeObject): Promise<void>;
  readJob(namespace: string, name: string): Promise<KubeObject | undefined>;
}

export interface CheckJobRunnerOptions {
  hub: CheckJobsHub;
  cluster: CheckJobsCluster;
  /** Where check Jobs are created (AGENT_CHECK_JOB_NAMESPACE). */
  namespace: string;
  /** How often to ask the hub for pending Jobs. */
  pollSeconds: number;
  /** How often to read a running Job's status; default 2. */
  statusSeconds?: number;
  /** How long a finished Job stays before Kubernetes deletes it; default CHECK_JOB_TTL_SECONDS (600). */
  jobTtlSeconds?: number;
  logger: Logger;
  timers?: Timers;
}

/** Beyond the Job's own deadline, how long the agent waits for Kubernetes to say Failed. */
const DEADLINE_GRACE_SECONDS = 30;
/** Attempts remembered as done, so a poll that still lists one (a report in flight) does not rerun it. */
const DONE_MEMORY = 1000;

/**
 * Runs the verification check Jobs the hub asks of this cluster: polls the hub, creates each Job
 * (server-side apply, so a restarted agent finds its Job again rather than making a second one),
 * reads its status until Kubernetes says Complete or Failed, and reports that to the hub. The Job
 * deletes itself after its TTL; the agent deletes nothing.
 */
export class CheckJobRunner {
  private readonly timers: Timers;
  private readonly running = new Set<string>();
  private readonly done: string[] = [];
  private pollHandle: unknown;
  private stopped = false;

  constructor(private readonly options: CheckJobRunnerOptions) {
    this.timers = options.timers ?? REAL_TIMERS;
  }

  start(): void {
    this.schedulePoll(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.pollHandle !== undefined) this.timers.clearTimeout(this.pollHandle);
  }

  /** One look at the hub: starts the Jobs not running or done here. Exposed for tests. */
  async poll(): Promise<void> {
    let jobs: CheckJob[];
    try {
      jobs = await this.options.hub.pendingCheckJobs();
    } catch (error) {
      this.options.logger.warn({ err: String(error) }, 'cannot list check jobs');
      return;
    }
    for (const job of jobs) {
      if (this.running.has(job.id) || this.done.includes(job.id)) continue;
      this.running.add(job.id);
      void this.run(job);
    }
  }

  private schedulePoll(ms: number): void {
    if (this.stopped) return;
    this.pollHandle = this.timers.setTimeout(() => {
      void this.poll().finally(() => this.schedulePoll(this.options.pollSeconds * 1000));
    }, ms);
  }

  private async run(job: CheckJob): Promise<void> {
    const { namespace, logger } = this.options;
    const name = checkJobName(job.id);
    const log = logger.child({ checkJob: name, check: job.check });
    let outcome: CheckJobOutcome;
    try {
      await this.options.cluster.createJob(checkJobManifest(job, namespace, this.options.jobTtlSeconds));
      log.info({ namespace }, 'check job created');
      outcome = await this.awaitOutcome(job, name);
    } catch (error) {
      outcome = {
        result: 'failed',
        message: `cannot run Job ${namespace}/${name}: ${String(error)}`.slice(0, 2000),
      };
    }
    if (this.stopped) {
      // Not an outcome: the Job goes on, and the next agent's runner finds it again (or the hub's
      // timeout decides the attempt).
      this.running.delete(job.id);
      log.info('agent stopping: the check job is left running');
      return;
    }
    try {
      await this.options.hub.reportCheckJob(job.id, outcome);
      log.info({ result: outcome.result }, 'check job reported');
    } catch (error) {
      // The hub no longer waits (404), or is away: its own timeout decides the attempt.
      log.warn({ err: String(error) }, 'cannot report a check job');
    }
    this.running.delete(job.id);
    this.done.push(job.id);
    if (this.done.length > DONE_MEMORY) this.done.shift();
  }

  /** Reads the Job until it finished, vanished, or ran past its deadline (plus grace). */
  private async awaitOutcome(job: CheckJob, name: string): Promise<CheckJobOutcome> {
    const { namespace } = this.options;
    const statusMs = (this.options.statusSeconds ?? 2) * 1000;
    const until = this.timers.now() + (job.timeoutSeconds + DEADLINE_GRACE_SECONDS) * 1000;
    for (;;) {
      if (this.stopped) throw new Error('the agent is stopping');
      const live = await this.options.cluster.readJob(namespace, name);
      if (live === undefined)
        return { result: 'failed', message: `Job ${namespace}/${name} was deleted before it finished` };
      const outcome = checkJobOutcome(live);
      if (outcome !== null) return outcome;
      if (this.timers.now() >= until) {
        return {
          result: 'failed',
          message: `Job ${namespace}/${name} did not finish within ${job.timeoutSeconds}s`,
        };
      }
      await new Promise<void>((resolve) => this.timers.setTimeout(resolve, statusMs));
    }
  }
}
