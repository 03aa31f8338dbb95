import { type CheckJob, type CheckJobOutcome } from '@fleetwave/contracts';
import { type CheckBase, type VerificationCheck } from '../../engine/verification/checks.js';
import { type Verdict } from '../evaluate.js';

export interface CheckCluster {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/** What a check run knows: the wave, the rollout's cohorts and where Prometheus is. */
export interface RunContext {
  waveClusters: readonly CheckCluster[];
  /** The rollout's clusters already updated (this wave and the earlier ones). */
  updated: readonly string[];
  /** The rollout's clusters not updated yet (later waves). */
  baseline: readonly string[];
  /** HUB_PROMETHEUS_URL; null when not configured. */
  prometheusUrl: string | null;
}

/** What one run of a check is about: one wave cluster, the wave, or the two cohorts. */
export interface CheckTarget {
  /** Recorded in the run (`cluster` column): a cluster name, `wave` or `updated-vs-baseline`. */
  name: string;
  cluster?: CheckCluster;
}

/** Attempts a cluster's agent carries out (`job` checks): asked through the hub, reported back. */
export interface AgentJobs {
  request(runId: string, job: CheckJob): Promise<void>;
  /** The agent's outcome, or null when `signal` aborted first. */
  awaitOutcome(runId: string, signal: AbortSignal): Promise<CheckJobOutcome | null>;
}

/** The attempt being run: its recorded id, the way to the agents, and the rollout's source. */
export interface Attempt {
  runId: string;
  agentJobs: AgentJobs;
  /**
   * A file of the application's repository at the rollout's commit; rejects with an Error whose
   * message says why not (no such file, repository unreachable, …).
   */
  readSource(path: string): Promise<Uint8Array>;
}

/**
 * One kind of verification check: its plan fields, what it runs against, and one attempt. Adding a
 * kind = a file implementing this and one line in kinds/index.ts.
 */
export interface CheckKindDefinition<C extends VerificationCheck = VerificationCheck> {
  kind: C['kind'];
  /** Its plan fields, read when the plan is saved (rollouts/engine/verification/kind-fields.ts). */
  parse(raw: Record<string, unknown>, base: CheckBase, path: string, errors: string[]): C | undefined;
  targets(check: C, context: RunContext): CheckTarget[];
  /** One attempt; aborted by `signal` at {@link attemptSeconds}. Never throws. */
  run(
    check: C,
    target: CheckTarget,
    context: RunContext,
    signal: AbortSignal,
    attempt: Attempt,
  ): Promise<Verdict>;
  /** How long the hub gives one attempt (default: the check's timeoutSeconds). */
  attemptSeconds?(check: C): number;
}

export function errorMessage(error: unknown, signal: AbortSignal, timeoutSeconds: number): string {
  if (signal.aborted) return `timed out after ${timeoutSeconds}s`;
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
