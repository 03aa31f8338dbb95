import { type CheckJob, type CheckJobManifest, checkJobName } from '@fleetwave/contracts';
import { type JobCheck } from '../../engine/verification/checks.js';
import { parseJobCheck } from '../../engine/verification/kind-fields.js';
import { readJobManifest } from '../../engine/verification/job-manifest.js';
import { clusterManifest, clusterTemplate, MissingLabel } from '../template.js';
import { type Attempt, type CheckCluster, type CheckKindDefinition } from './kind.js';

/**
 * What the hub adds to a Job's own timeout while it waits for the agent's outcome: the agent's poll
 * for pending Jobs, the Job's creation and pod start, and the report's way back.
 */
export const AGENT_SLACK_SECONDS = 60;

/**
 * The Job an attempt asks of one cluster: the check's container, or the manifest read from the
 * repository, templated for it (its name and labels); throws MissingLabel. Pure.
 */
export function checkJobFor(
  check: JobCheck,
  cluster: CheckCluster,
  runId: string,
  manifest?: CheckJobManifest,
): CheckJob {
  const base = { id: runId, check: check.name, timeoutSeconds: check.timeoutSeconds };
  if (manifest !== undefined)
    return { ...base, command: [], args: [], manifest: clusterManifest(manifest, cluster) };
  const template = (text: string) => clusterTemplate(text, cluster);
  return {
    ...base,
    image: template(check.image ?? ''),
    command: (check.command ?? []).map(template),
    args: (check.args ?? []).map(template),
  };
}

/**
 * The check's Job manifest at the rollout's commit, or why it cannot be used (a run error): the
 * file is missing there, or it is not one `batch/v1` Job.
 */
export async function manifestAt(
  path: string,
  attempt: Pick<Attempt, 'readSource'>,
): Promise<{ manifest: CheckJobManifest } | { problem: string }> {
  let content: Uint8Array;
  try {
    content = await attempt.readSource(path);
  } catch (error) {
    return { problem: `job manifest ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const read = readJobManifest(content);
  return 'problem' in read ? { problem: `job manifest ${path}: ${read.problem}` } : read;
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
    let manifest: CheckJobManifest | undefined;
    if (check.manifest !== undefined) {
      const read = await manifestAt(check.manifest, attempt);
      if ('problem' in read) return { result: 'error', message: read.problem };
      manifest = read.manifest;
    }
    let job: CheckJob;
    try {
      job = checkJobFor(check, target.cluster ?? { name: target.name, labels: {} }, attempt.runId, manifest);
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
