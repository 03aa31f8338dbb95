import { describe, expect, it } from '@jest/globals';
import { type CheckJob, type CheckJobOutcome } from '@fleetwave/contracts';
import { type JobCheck } from '../../engine/verification/checks.js';
import { AGENT_SLACK_SECONDS, checkJobFor, jobKind } from './job.js';
import { type AgentJobs, type RunContext } from './kind.js';

const check: JobCheck = {
  name: 'smoke',
  kind: 'job',
  image: 'registry.test/smoke:${cluster.labels.region}',
  command: ['sh', '-c'],
  args: ['wget -qO- http://web.${cluster.name}.svc/healthz'],
  retries: 0,
  timeoutSeconds: 30,
  intervalSeconds: 10,
};
const cluster = { name: 'eu-1', labels: { region: 'eu' } };
const context: RunContext = { waveClusters: [cluster], updated: [], baseline: [], prometheusUrl: null };

const noSource = (): Promise<Uint8Array> => Promise.reject(new Error('no source in this test'));

/** Agent jobs that answer `outcome` (null: never) and remember what was asked. */
function agentJobs(outcome: CheckJobOutcome | null): AgentJobs & { asked: CheckJob[] } {
  const asked: CheckJob[] = [];
  return {
    asked,
    request: (_id, job) => {
      asked.push(job);
      return Promise.resolve();
    },
    awaitOutcome: () => Promise.resolve(outcome),
  };
}

describe('checkJobFor', () => {
  it('templates the image, command and args for the cluster', () => {
    expect(checkJobFor(check, cluster, '7')).toEqual({
      id: '7',
      check: 'smoke',
      image: 'registry.test/smoke:eu',
      command: ['sh', '-c'],
      args: ['wget -qO- http://web.eu-1.svc/healthz'],
      timeoutSeconds: 30,
    });
  });
});

describe('jobKind', () => {
  const signal = new AbortController().signal;

  it('targets every wave cluster and waits the timeout plus the agent slack', () => {
    expect(jobKind.targets(check, context)).toEqual([{ name: 'eu-1', cluster }]);
    expect(jobKind.attemptSeconds!(check)).toBe(30 + AGENT_SLACK_SECONDS);
  });

  it.each<[string, CheckJobOutcome | null, { result: string; message: string }]>([
    [
      'a completed Job passes',
      { result: 'passed', message: 'Complete' },
      { result: 'passed', message: 'job fleetwave-check-7: Complete' },
    ],
    [
      'a failed Job fails with its reason',
      { result: 'failed', message: 'BackoffLimitExceeded: Job has reached the specified backoff limit' },
      {
        result: 'failed',
        message: 'job fleetwave-check-7: BackoffLimitExceeded: Job has reached the specified backoff limit',
      },
    ],
    [
      'no outcome in time is an error',
      null,
      { result: 'error', message: `job fleetwave-check-7: no outcome from the agent of eu-1 within 90s` },
    ],
  ])('%s', async (_name, outcome, verdict) => {
    const jobs = agentJobs(outcome);
    const target = { name: 'eu-1', cluster };
    expect(
      await jobKind.run(check, target, context, signal, {
        runId: '7',
        agentJobs: jobs,
        readSource: noSource,
      }),
    ).toEqual(verdict);
    expect(jobs.asked.map((j) => j.image)).toEqual(['registry.test/smoke:eu']);
  });

  it('asks nothing of a cluster without a label the template names', async () => {
    const jobs = agentJobs({ result: 'passed', message: '' });
    const bare = { name: 'us-1', labels: {} };
    const verdict = await jobKind.run(check, { name: 'us-1', cluster: bare }, context, signal, {
      runId: '8',
      agentJobs: jobs,
      readSource: noSource,
    });
    expect(verdict.result).toBe('error');
    expect(verdict.message).toContain('region');
    expect(jobs.asked).toEqual([]);
  });
});

describe('jobKind with a manifest from the repository', () => {
  const signal = new AbortController().signal;
  const fromRepo: JobCheck = {
    ...check,
    image: undefined,
    command: undefined,
    args: undefined,
    manifest: 'checks/smoke.yaml',
  };
  delete fromRepo.image;
  delete fromRepo.command;
  delete fromRepo.args;
  const JOB = [
    'apiVersion: batch/v1',
    'kind: Job',
    'metadata: { name: smoke }',
    'spec:',
    '  template:',
    '    spec:',
    '      restartPolicy: Never',
    '      containers: [{ name: smoke, image: busybox, args: [wget, http://web/healthz] }]',
  ].join('\n');
  const files = (content: Record<string, string>) => (path: string) =>
    content[path] === undefined
      ? Promise.reject(new Error(`no file "${path}" at 0123456789ab of http://git.test/fleet`))
      : Promise.resolve(new TextEncoder().encode(content[path]));

  it('sends the manifest read at the rollout commit, and passes when the Job completes', async () => {
    const jobs = agentJobs({ result: 'passed', message: 'Complete' });
    const attempt = { runId: '9', agentJobs: jobs, readSource: files({ 'checks/smoke.yaml': JOB }) };
    expect(await jobKind.run(fromRepo, { name: 'eu-1', cluster }, context, signal, attempt)).toEqual({
      result: 'passed',
      message: 'job fleetwave-check-9: Complete',
    });
    expect(jobs.asked).toEqual([
      {
        id: '9',
        check: 'smoke',
        command: [],
        args: [],
        timeoutSeconds: 30,
        manifest: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'smoke' },
          spec: {
            template: {
              spec: {
                restartPolicy: 'Never',
                containers: [{ name: 'smoke', image: 'busybox', args: ['wget', 'http://web/healthz'] }],
              },
            },
          },
        },
      },
    ]);
  });

  it('fills the cluster placeholders in the manifest for each cluster', async () => {
    const jobs = agentJobs({ result: 'passed', message: 'Complete' });
    const templated = JOB.replace(
      'http://web/healthz',
      () => '"http://web.${cluster.name}/${cluster.labels.region}?q=$${x}"',
    );
    const attempt = { runId: '9', agentJobs: jobs, readSource: files({ 'checks/smoke.yaml': templated }) };
    await jobKind.run(fromRepo, { name: 'eu-1', cluster }, context, signal, attempt);
    expect(jobs.asked[0]!.manifest).toMatchObject({
      spec: { template: { spec: { containers: [{ args: ['wget', 'http://web.eu-1/eu?q=${x}'] }] } } },
    });
  });

  it.each([
    [
      'a cluster without a label the manifest reads',
      { 'checks/smoke.yaml': JOB.replace('http://web/healthz', '"http://web/${cluster.labels.zone}"') },
      '${cluster.labels.zone}: cluster eu-1 has no label zone',
    ],
    [
      'an unknown placeholder at that commit',
      { 'checks/smoke.yaml': JOB.replace('http://web/healthz', '"http://web/${cluster.nam}"') },
      'job manifest checks/smoke.yaml: spec.template.spec.containers[0].args[1]: unknown placeholder ${cluster.nam} (use ${cluster.name} or ${cluster.labels.<key>})',
    ],
    [
      'a file missing at that commit',
      {},
      'job manifest checks/smoke.yaml: no file "checks/smoke.yaml" at 0123456789ab of http://git.test/fleet',
    ],
    [
      'a manifest that is not a Job',
      { 'checks/smoke.yaml': JOB.replace('kind: Job', 'kind: Pod') },
      'job manifest checks/smoke.yaml: kind must be Job, not "Pod"',
    ],
  ])('errors, asking nothing of the agent, for %s', async (_name, content, message) => {
    const jobs = agentJobs({ result: 'passed', message: 'Complete' });
    const attempt = { runId: '9', agentJobs: jobs, readSource: files(content) };
    expect(await jobKind.run(fromRepo, { name: 'eu-1', cluster }, context, signal, attempt)).toEqual({
      result: 'error',
      message,
    });
    expect(jobs.asked).toEqual([]);
  });
});
