/**
 * The agent's check Job runner (services/agent/src/checks) against a real cluster: kube-apiserver,
 * kube-controller-manager (its Job, TTL-after-finished and garbage collector controllers decide
 * what becomes of a Job) and a kwok node whose Stages (test/kube/kwok-check-stages.yaml) make a
 * pod complete, fail or run on by its image. Only the hub is the test's: it lists the Jobs to run
 * and records the outcomes. Nothing waits a fixed time: every wait polls for its condition.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type CheckJob, type CheckJobOutcome } from '@fleetwave/contracts';
import { pino } from 'pino';
import { CheckJobRunner } from '../../services/agent/src/checks/check-job-runner.js';
import { kubeCheckJobs } from '../../services/agent/src/checks/kube-check-jobs.js';
import { createKubeClients, type KubeClients } from '../../services/agent/src/kube/index.js';
import { waitFor } from '../harness/wait-for.js';
import {
  ensureKubeBinaries,
  type Fleet,
  KWOK_ENDLESS_IMAGE,
  KWOK_FAILING_IMAGE,
  kubectl,
  randomSuffix,
  startFleet,
} from '../kube/fleet.js';

const BUILD_TIMEOUT_MS = 45 * 60_000;
const START_TIMEOUT_MS = 180_000;
const NS = 'fleetwave-checks';

let fleet: Fleet | undefined;
let kube: KubeClients | undefined;
const runners: CheckJobRunner[] = [];
let nextId = Number.parseInt(randomSuffix(2), 16) * 1000;

beforeAll(async () => {
  const binaries = await ensureKubeBinaries();
  fleet = await startFleet({ clusters: 1, namePrefix: 'check-jobs', binaries });
  const cluster = fleet.clusters[0]!;
  kube = createKubeClients({ kubeconfigPath: cluster.kubeconfigPath, context: cluster.context });
  await kubectl(fleet.binaries, cluster, ['create', 'namespace', NS]);
}, BUILD_TIMEOUT_MS + START_TIMEOUT_MS);

afterEach(() => {
  for (const runner of runners.splice(0)) runner.stop();
});

afterAll(async () => {
  kube?.close();
  await fleet?.stop();
}, 120_000);

/** The hub's side, as the test plays it: the Jobs it lists, the outcomes it got, how often it was asked. */
class TestHub {
  readonly reports: [string, CheckJobOutcome][] = [];
  polls = 0;
  constructor(public pending: CheckJob[]) {}
  pendingCheckJobs(): Promise<CheckJob[]> {
    this.polls++;
    return Promise.resolve(this.pending);
  }
  reportCheckJob(id: string, outcome: CheckJobOutcome): Promise<void> {
    this.reports.push([id, outcome]);
    return Promise.resolve();
  }
  /** The outcome of `id`, once reported. */
  reported(id: string, timeoutMs = 60_000): Promise<CheckJobOutcome> {
    return waitFor(() => this.reports.find(([reported]) => reported === id)?.[1], {
      description: `the outcome of check Job ${id}`,
      timeoutMs,
      intervalMs: 100,
    });
  }
  /** Resolves once the runner has asked `count` more times. */
  async polled(count: number): Promise<void> {
    const until = this.polls + count;
    await waitFor(() => this.polls >= until, {
      description: `${count} more polls`,
      timeoutMs: 30_000,
      intervalMs: 50,
    });
  }
}

function checkJob(image: string, timeoutSeconds = 60): CheckJob {
  nextId += 1;
  return {
    id: String(nextId),
    check: 'smoke',
    image,
    command: [],
    args: ['--target', 'eu-1'],
    timeoutSeconds,
  };
}

function startRunner(hub: TestHub, jobTtlSeconds?: number): CheckJobRunner {
  const runner = new CheckJobRunner({
    hub,
    cluster: kubeCheckJobs(kube!.resources),
    namespace: NS,
    pollSeconds: 0.2,
    statusSeconds: 0.2,
    ...(jobTtlSeconds === undefined ? {} : { jobTtlSeconds }),
    logger: pino({ level: 'silent' }),
  });
  runners.push(runner);
  runner.start();
  return runner;
}

function readJob(id: string) {
  return kube!.resources.get({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `fleetwave-check-${id}`, namespace: NS },
  });
}

/** The pods of attempt `id`'s Job (by the label the agent puts on them). */
async function podsOf(id: string): Promise<{ name: string; phase: string }[]> {
  const out = await kubectl(fleet!.binaries, fleet!.clusters[0]!, [
    'get',
    'pods',
    '-n',
    NS,
    '-l',
    `fleetwave.io/check-run=${id}`,
    '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}',
  ]);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [name, phase] = line.trim().split(' ');
      return { name: name!, phase: phase ?? '' };
    });
}

describe('check Jobs in a real cluster', () => {
  it('a Job whose pod completes passes; its pod carries the check labels', async () => {
    const job = checkJob('registry.invalid/smoke:1');
    const hub = new TestHub([job]);
    startRunner(hub);
    expect(await hub.reported(job.id)).toEqual({ result: 'passed', message: 'Complete' });
    const live = await readJob(job.id);
    expect(live?.spec).toMatchObject({
      backoffLimit: 0,
      activeDeadlineSeconds: 60,
      ttlSecondsAfterFinished: 600,
    });
    expect(await podsOf(job.id)).toEqual([
      { name: expect.stringMatching(/^fleetwave-check-/), phase: 'Succeeded' },
    ]);
  });

  it("a Job whose pod fails fails with the Job controller's reason", async () => {
    const job = checkJob(KWOK_FAILING_IMAGE);
    const hub = new TestHub([job]);
    startRunner(hub);
    expect(await hub.reported(job.id)).toEqual({
      result: 'failed',
      message: 'BackoffLimitExceeded: Job has reached the specified backoff limit',
    });
    expect((await podsOf(job.id)).map((p) => p.phase)).toEqual(['Failed']);
  });

  it("a Job from a repository's manifest runs as written, under the agent's name, namespace and labels", async () => {
    nextId += 1;
    const id = String(nextId);
    const job: CheckJob = {
      id,
      check: 'smoke',
      command: [],
      args: [],
      timeoutSeconds: 60,
      manifest: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'smoke', namespace: 'default', labels: { team: 'web' } },
        spec: {
          backoffLimit: 1,
          manualSelector: true,
          selector: { matchLabels: { app: 'smoke' } },
          template: {
            metadata: { labels: { app: 'smoke' } },
            spec: { restartPolicy: 'Never', containers: [{ name: 'smoke', image: KWOK_FAILING_IMAGE }] },
          },
        },
      },
    };
    const hub = new TestHub([job]);
    startRunner(hub);
    expect(await hub.reported(id)).toEqual({
      result: 'failed',
      message: 'BackoffLimitExceeded: Job has reached the specified backoff limit',
    });
    const live = await readJob(id);
    expect(live?.metadata.labels).toMatchObject({
      team: 'web',
      'fleetwave.io/check-run': id,
      'fleetwave.io/check': 'smoke',
      'app.kubernetes.io/managed-by': 'fleetwave',
    });
    // Its own backoffLimit: two pods failed; the selector is the Job controller's.
    expect(live?.spec).toMatchObject({
      backoffLimit: 1,
      activeDeadlineSeconds: 60,
      ttlSecondsAfterFinished: 600,
    });
    expect((live?.spec as { manualSelector?: boolean }).manualSelector).not.toBe(true);
    expect((await podsOf(id)).map((p) => p.phase)).toEqual(['Failed', 'Failed']);
    const elsewhere = await kubectl(fleet!.binaries, fleet!.clusters[0]!, [
      'get',
      'jobs',
      '-n',
      'default',
      '-o',
      'name',
    ]);
    expect(elsewhere.trim()).toBe('');
  });

  it('a Job running past its timeout fails with DeadlineExceeded; a restarted agent finds it again', async () => {
    const job = checkJob(KWOK_ENDLESS_IMAGE, 3);
    const hub = new TestHub([job]);
    const first = startRunner(hub);
    const created = await waitFor(
      async () => {
        const pods = await podsOf(job.id);
        return pods.some((p) => p.phase === 'Running') && (await readJob(job.id));
      },
      { description: 'the check pod running', timeoutMs: 30_000, intervalMs: 100 },
    );
    // The agent restarts while the Job runs: the new runner applies the same Job, which makes none.
    first.stop();
    startRunner(hub);
    expect(await hub.reported(job.id)).toEqual({
      result: 'failed',
      message: 'DeadlineExceeded: Job was active longer than specified deadline',
    });
    expect((await readJob(job.id))?.metadata.uid).toBe(created.metadata.uid);
    expect(hub.reports.filter(([id]) => id === job.id)).toHaveLength(1);
  });

  it('a finished Job is deleted with its pod after its TTL and never made again, though still listed', async () => {
    const job = checkJob('registry.invalid/smoke:2');
    // The hub keeps listing the Job after the report (as when the report crosses a poll).
    const hub = new TestHub([job]);
    startRunner(hub, 1);
    expect(await hub.reported(job.id)).toEqual({ result: 'passed', message: 'Complete' });
    await waitFor(async () => (await readJob(job.id)) === undefined && (await podsOf(job.id)).length === 0, {
      description: 'the TTL controller to delete the Job and the garbage collector its pod',
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    await hub.polled(5);
    expect(await readJob(job.id)).toBeUndefined();
    expect(await podsOf(job.id)).toEqual([]);
    expect(hub.reports).toEqual([[job.id, { result: 'passed', message: 'Complete' }]]);
  });
});
