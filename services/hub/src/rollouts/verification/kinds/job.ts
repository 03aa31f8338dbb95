import { type CheckJob, checkJobName } from '@fleetwave/contracts';
import { type JobCheck } from '../../engine/verification/checks.js';
import { parseJobCheck } from '../../engine/verification/kind-fields.js';
import { clusterTemplate, MissingLabel } from '../template.js';
import { type CheckCluster, type CheckKindDefinition } from './kind.js';

/**
 * What the hub adds to a Job's own timeout while it waits for the agent's outcome: the agent's poll
 * for pending Jobs, the Job's creation and pod start, and the report's way back.
 */
export const AGENT_SLACK_SECONDS = 60;

/** The Job an attempt asks of one cluster, templated for it; throws MissingLabel. Pure. */
export function checkJobFor(check: JobCheck, cluster: CheckCluster, runId: string): CheckJob {
  const template = (text: string) => clusterTemplate(text, cluster);
  return {
    id: runId,
    check: check.name,
    image: template(check.image),
    command: check.command.map(template),
    args: check.args.map(template),
    timeoutSeconds: check.timeoutSeconds,
  };
}

/**
 * `job`: a Kubernetes Job in each wave cluster, run by its agent (services/agent/src/checks/);
 * passes when the Job completes, fails with the Job's failure reason.
 */
export const jobKind: CheckKindDefinition<JobCheck> = {
  kind: 'job',
  parse: parseJobCheck,
  targets: (_check, context) => context.waveClusters.map((cluster) => ({ name: cluster.name, cluster })),
  attemptSeconds: (check) => check.timeoutSeconds + AGENT_SLACK_SECONDS,
  async run(check, target, _context, signal, attempt) {
    let job: CheckJob;
    try {
      job = checkJobFor(check, target.cluster ?? { name: target.name, labels: {} }, attempt.runId);
    } catch (error) {
      if (error instanceof MissingLabel) return { result: 'error', message: error.message };
      throw error;
    }
    const name = checkJobName(attempt.runId);
    await attempt.agentJobs.request(attempt.runId, job);
    const outcome = await attempt.agentJobs.awaitOutcome(attempt.runId, signal);
    if (outcome === null) {
      return {
        result: 'error',
        message: `job ${name}: no outcome from the agent of ${target.name} within ${
          check.timeoutSeconds + AGENT_SLACK_SECONDS
        }s`,
      };
    }
    return { result: outcome.result, message: `job ${name}: ${outcome.message}` };
  },
};
