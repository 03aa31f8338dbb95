import { describe, expect, it } from '@jest/globals';
import { type CheckJob } from '@fleetwave/contracts';
import { type KubeObject } from '../domain/index.js';
import { CHECK_JOB_TTL_SECONDS, checkJobManifest, checkJobOutcome } from './check-job.js';

const job: CheckJob = {
  id: '42',
  check: 'smoke',
  image: 'busybox:1.36',
  command: ['sh', '-c'],
  args: ['exit 0'],
  timeoutSeconds: 60,
};

describe('checkJobManifest', () => {
  it('makes a labelled one-try Job with a deadline and a TTL', () => {
    const labels = {
      'fleetwave.io/check-run': '42',
      'fleetwave.io/check': 'smoke',
      'app.kubernetes.io/managed-by': 'fleetwave',
    };
    expect(checkJobManifest(job, 'fleetwave-checks')).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'fleetwave-check-42', namespace: 'fleetwave-checks', labels },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: 60,
        ttlSecondsAfterFinished: CHECK_JOB_TTL_SECONDS,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'check', image: 'busybox:1.36', command: ['sh', '-c'], args: ['exit 0'] }],
          },
        },
      },
    });
  });

  it("leaves the image's entrypoint alone without command or args", () => {
    const manifest = checkJobManifest({ ...job, command: [], args: [] }, 'ns') as unknown as {
      spec: { template: { spec: { containers: unknown[] } } };
    };
    expect(manifest.spec.template.spec.containers).toEqual([{ name: 'check', image: 'busybox:1.36' }]);
  });
});

describe('checkJobManifest from a manifest in the repository', () => {
  const ours = {
    'fleetwave.io/check-run': '42',
    'fleetwave.io/check': 'smoke',
    'app.kubernetes.io/managed-by': 'fleetwave',
  };
  const fromRepo = (manifest: Record<string, unknown>): CheckJob => ({
    id: '42',
    check: 'smoke',
    command: [],
    args: [],
    timeoutSeconds: 60,
    manifest: manifest as CheckJob['manifest'],
  });
  const template = {
    metadata: { labels: { app: 'smoke', 'fleetwave.io/check': 'spoofed' } },
    spec: { containers: [{ name: 'smoke', image: 'busybox', args: ['true'] }] },
  };

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'keeps its spec, owns name, namespace, labels, deadline and TTL',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: 'mine',
          namespace: 'kube-system',
          labels: { team: 'web', 'app.kubernetes.io/managed-by': 'helm' },
          annotations: { note: 'smoke' },
          ownerReferences: [{ kind: 'Deployment', name: 'x' }],
        },
        spec: { backoffLimit: 2, activeDeadlineSeconds: 9999, completions: 1, template },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: 'fleetwave-check-42',
          namespace: 'checks',
          labels: { team: 'web', ...ours },
          annotations: { note: 'smoke' },
        },
        spec: {
          backoffLimit: 2,
          completions: 1,
          activeDeadlineSeconds: 60,
          ttlSecondsAfterFinished: CHECK_JOB_TTL_SECONDS,
          template: {
            metadata: { labels: { app: 'smoke', ...ours } },
            spec: { restartPolicy: 'Never', ...template.spec },
          },
        },
      },
    ],
    [
      'one try unless it says otherwise; its selector left to the controller; never suspended',
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        spec: {
          manualSelector: true,
          selector: { matchLabels: { app: 'smoke' } },
          suspend: true,
          template: { spec: { restartPolicy: 'OnFailure', containers: [] } },
        },
      },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'fleetwave-check-42', namespace: 'checks', labels: ours },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: 60,
          ttlSecondsAfterFinished: CHECK_JOB_TTL_SECONDS,
          template: { metadata: { labels: ours }, spec: { restartPolicy: 'OnFailure', containers: [] } },
        },
      },
    ],
  ])('%s', (_name, manifest, expected) => {
    expect(checkJobManifest(fromRepo(manifest), 'checks')).toEqual(expected);
  });
});

describe('checkJobOutcome', () => {
  const withConditions = (conditions: unknown): KubeObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j' },
    status: { conditions },
  });

  it.each<[string, KubeObject, ReturnType<typeof checkJobOutcome>]>([
    ['no status yet', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } }, null],
    ['running', withConditions([]), null],
    [
      'complete',
      withConditions([{ type: 'Complete', status: 'True' }]),
      { result: 'passed', message: 'Complete' },
    ],
    [
      'success criteria met, not complete yet',
      withConditions([{ type: 'SuccessCriteriaMet', status: 'True' }]),
      null,
    ],
    [
      'failure target, not failed yet',
      withConditions([{ type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' }]),
      null,
    ],
    [
      'failed, with its reason and message',
      withConditions([
        { type: 'FailureTarget', status: 'True' },
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ]),
      { result: 'failed', message: 'BackoffLimitExceeded: Job has reached the specified backoff limit' },
    ],
    [
      'failed at its deadline',
      withConditions([{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded' }]),
      { result: 'failed', message: 'DeadlineExceeded' },
    ],
    ['a condition that is False', withConditions([{ type: 'Complete', status: 'False' }]), null],
  ])('%s', (_name, live, expected) => {
    expect(checkJobOutcome(live)).toEqual(expected);
  });
});
