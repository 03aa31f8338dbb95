import { describe, expect, it } from '@jest/globals';
import { type CheckJob, type CheckJobOutcome } from '@fleetwave/contracts';
import { pino } from 'pino';
import { type KubeObject } from '../domain/index.js';
import { fakeTimers } from '../fake-timers.test-support.js';
import { CheckJobRunner, type CheckJobRunnerOptions } from './check-job-runner.js';

const job = (id: string, timeoutSeconds = 60): CheckJob => ({
  id,
  check: 'smoke',
  image: 'busybox',
  command: [],
  args: [],
  timeoutSeconds,
});

/** Lets the runner's awaited calls (all resolved at once by the fakes) run to their next timer. */
const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

function setup(pending: CheckJob[][], createFails?: Error, extra: Partial<CheckJobRunnerOptions> = {}) {
  const clock = fakeTimers();
  const created: KubeObject[] = [];
  const reported: [string, CheckJobOutcome][] = [];
  /** The status conditions each Job has now, by name (absent: the Job is gone). */
  const conditions = new Map<string, unknown[]>();
  let polls = 0;
  const runner = new CheckJobRunner({
    hub: {
      pendingCheckJobs: () => Promise.resolve(pending[Math.min(polls++, pending.length - 1)] ?? []),
      reportCheckJob: (id, outcome) => {
        reported.push([id, outcome]);
        return Promise.resolve();
      },
    },
    cluster: {
      createJob: (object) => {
        if (createFails !== undefined) return Promise.reject(createFails);
        created.push(object);
        if (!conditions.has(object.metadata.name)) conditions.set(object.metadata.name, []);
        return Promise.resolve();
      },
      readJob: (_namespace, name) => {
        const found = conditions.get(name);
        return Promise.resolve(
          found === undefined
            ? undefined
            : { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, status: { conditions: found } },
        );
      },
    },
    namespace: 'checks',
    pollSeconds: 5,
    statusSeconds: 2,
    logger: pino({ level: 'silent' }),
    timers: clock.timers,
    ...extra,
  });
  return { clock, created, reported, conditions, runner };
}

describe('CheckJobRunner', () => {
  it("creates a Job from the repository's manifest under its own name, and reports its failure reason", async () => {
    const fromRepo: CheckJob = {
      id: '7',
      check: 'smoke',
      command: [],
      args: [],
      timeoutSeconds: 60,
      manifest: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'smoke', namespace: 'default' },
        spec: { template: { spec: { containers: [{ name: 'smoke', image: 'busybox' }] } } },
      },
    };
    const { clock, created, reported, conditions, runner } = setup([[fromRepo], []]);
    runner.start();
    clock.advance(0);
    await settle();
    expect(created.map((o) => [o.metadata.name, o.metadata.namespace, o.metadata.labels])).toEqual([
      [
        'fleetwave-check-7',
        'checks',
        {
          'fleetwave.io/check-run': '7',
          'fleetwave.io/check': 'smoke',
          'app.kubernetes.io/managed-by': 'fleetwave',
        },
      ],
    ]);
    conditions.set('fleetwave-check-7', [
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      },
    ]);
    clock.advance(2000);
    await settle();
    expect(reported).toEqual([
      [
        '7',
        { result: 'failed', message: 'BackoffLimitExceeded: Job has reached the specified backoff limit' },
      ],
    ]);
  });

  it('creates the Job, waits for it to complete and reports it once', async () => {
    const { clock, created, reported, conditions, runner } = setup([[job('1')], [job('1')], []]);
    runner.start();
    clock.advance(0);
    await settle();
    expect(created.map((o) => [o.metadata.name, o.metadata.namespace])).toEqual([
      ['fleetwave-check-1', 'checks'],
    ]);
    // Still running: the next poll lists it again and nothing is created twice.
    clock.advance(5000);
    await settle();
    expect(created).toHaveLength(1);
    expect(reported).toEqual([]);
    conditions.set('fleetwave-check-1', [{ type: 'Complete', status: 'True' }]);
    clock.advance(2000);
    await settle();
    expect(reported).toEqual([['1', { result: 'passed', message: 'Complete' }]]);
    // A poll still listing it (the report crossed it) does not run it again.
    clock.advance(5000);
    await settle();
    expect(created).toHaveLength(1);
    runner.stop();
  });

  it("reports a failed Job with Kubernetes' reason", async () => {
    const { clock, reported, conditions, runner } = setup([[job('2')], []]);
    await runner.poll();
    await settle();
    conditions.set('fleetwave-check-2', [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }]);
    clock.advance(2000);
    await settle();
    expect(reported).toEqual([['2', { result: 'failed', message: 'BackoffLimitExceeded' }]]);
  });

  it('reports failed when the Job never finishes, or is deleted under it', async () => {
    const { clock, reported, conditions, runner } = setup([[job('3', 10), job('4')], []]);
    await runner.poll();
    await settle();
    conditions.delete('fleetwave-check-4');
    // 10 s deadline + 30 s grace, read every 2 s.
    for (let t = 0; t < 42_000; t += 2000) {
      clock.advance(2000);
      await settle();
    }
    expect(reported.sort()).toEqual([
      ['3', { result: 'failed', message: 'Job checks/fleetwave-check-3 did not finish within 10s' }],
      ['4', { result: 'failed', message: 'Job checks/fleetwave-check-4 was deleted before it finished' }],
    ]);
  });

  it('reports nothing for a Job still running when the agent stops: the next agent takes it up', async () => {
    const { clock, reported, runner } = setup([[job('6')], []]);
    await runner.poll();
    await settle();
    runner.stop();
    clock.advance(2000);
    await settle();
    expect(reported).toEqual([]);
  });

  it('creates the Job with the TTL it was given', async () => {
    const { created, runner } = setup([[job('7')], []], undefined, { jobTtlSeconds: 1 });
    await runner.poll();
    await settle();
    expect(
      created.map((o) => (o.spec as { ttlSecondsAfterFinished: number }).ttlSecondsAfterFinished),
    ).toEqual([1]);
    runner.stop();
  });

  it('reports failed when the Job cannot be created', async () => {
    const { reported, runner } = setup([[job('5')], []], new Error('jobs.batch is forbidden'));
    await runner.poll();
    await settle();
    expect(reported).toEqual([
      [
        '5',
        {
          result: 'failed',
          message: 'cannot run Job checks/fleetwave-check-5: Error: jobs.batch is forbidden',
        },
      ],
    ]);
  });
});
