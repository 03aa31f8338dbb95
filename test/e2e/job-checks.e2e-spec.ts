/**
 * `job` verification checks end to end: two real clusters (test/kube) each with the built agent,
 * real Kafka and Postgres, the hub, and a git repository the test commits to. The canary wave's
 * check runs a Kubernetes Job in the canary cluster through its agent; kwok decides the pod's fate
 * by its image (test/kube/kwok-check-stages.yaml), the Job controller the Job's. A Job that
 * completes lets the rollout go on to the next wave; one that fails stops the rollout in the
 * canary and rolls it back.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApplicationsService } from '../../services/hub/src/applications/applications.service.js';
import { ClustersService } from '../../services/hub/src/clusters/clusters.service.js';
import { RegistrationService } from '../../services/hub/src/registration/registration.service.js';
import { RolloutsService } from '../../services/hub/src/rollouts/rollouts.service.js';
import { greetingFiles } from '../harness/fixtures.js';
import { type LocalRepo } from '../harness/git-server.js';
import { waitFor } from '../harness/wait-for.js';
import { type Fleet, type FleetCluster, KWOK_FAILING_IMAGE, kubectl, randomSuffix } from '../kube/fleet.js';
import { RealFleetHub } from './support/real-fleet-hub.js';

const ADMIN = { name: 'e2e-admin', role: 'admin' as const };
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const NS = 'web';
/** Any image but kwok's failing and endless ones: the pod completes. */
const PASSING_IMAGE = 'registry.invalid/smoke:${cluster.labels.region}';

const manifests = (greeting: string) => greetingFiles(NS, greeting);

function plan(image: string) {
  return planWith({
    name: 'smoke',
    kind: 'job',
    image,
    args: ['--target', '${cluster.name}'],
    timeoutSeconds: 30,
  });
}

function planWith(check: Record<string, unknown>) {
  return {
    waves: [
      {
        name: 'canary',
        selector: 'tier=canary',
        progressDeadlineSeconds: 60,
        verification: [check],
      },
      { name: 'main', selector: 'tier=main', progressDeadlineSeconds: 60 },
    ],
    autoRollback: true,
  };
}

describe('job verification checks on a real fleet', () => {
  let stack: RealFleetHub | undefined;
  let repo: LocalRepo;
  let hub: NestFastifyApplication;
  let fleet: Fleet;

  const k = (cluster: FleetCluster, ...args: string[]) => kubectl(fleet.binaries, cluster, args);
  const rollouts = () => hub.get(RolloutsService);
  const greetingIn = (cluster: FleetCluster) =>
    k(cluster, 'get', 'configmap', 'settings', '-n', NS, '-o', 'jsonpath={.data.greeting}');

  async function push(commit: string): Promise<void> {
    expect((await stack!.push(commit)).status).toBe(202);
  }

  /** The check Jobs in `cluster`: `name image <Complete status>/<Failed status>`. */
  async function checkJobsIn(cluster: FleetCluster): Promise<string[]> {
    const out = await k(
      cluster,
      'get',
      'jobs',
      '--all-namespaces',
      '-l',
      'fleetwave.io/check=smoke',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name} {.spec.template.spec.containers[0].image} {.status.conditions[?(@.type=="Complete")].status}/{.status.conditions[?(@.type=="Failed")].status}{"\\n"}{end}',
    );
    return out
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .sort();
  }

  beforeAll(async () => {
    stack = await RealFleetHub.start({
      clusters: 2,
      name: `jc-${randomSuffix()}`,
      webhookSecret: WEBHOOK_SECRET,
    });
    ({ repo, hub, fleet } = stack);
    const { secret } = await hub.get(RegistrationService).createToken(ADMIN, { maxUses: 2 });
    for (const [i, tier] of ['canary', 'main'].entries()) {
      await stack.startAgent(fleet.clusters[i]!, {
        name: `${tier}-eu`,
        labels: { tier, region: 'eu' },
        token: secret,
        env: { AGENT_CHECK_JOB_POLL_SECONDS: '1' },
      });
    }
    await waitFor(async () => (await hub.get(ClustersService).list({ first: 0 })).totalCount === 2, {
      description: 'two clusters registered',
      timeoutMs: 120_000,
      intervalMs: 500,
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('a check Job that completes on the canary lets the rollout go on to the next wave', async () => {
    const first = await repo.commit(manifests('hello'), 'web: first version');
    await hub.get(ApplicationsService).create(ADMIN, {
      name: 'web',
      repoUrl: stack!.git.url('fleet'),
      ref: 'main',
      path: 'deploy',
      targetSelector: 'region=eu',
      plan: plan(PASSING_IMAGE),
      pollIntervalSeconds: 3600,
    });
    await push(first);
    const rollout = await stack!.rolloutOf({ application: 'web', commit: first, state: 'Succeeded' });
    const detail = await rollouts().detail(rollout.id);
    expect(detail.verificationRuns.map((r) => [r.wave, r.checkName, r.kind, r.target, r.result])).toEqual([
      ['canary', 'smoke', 'job', 'canary-eu', 'passed'],
    ]);
    expect(detail.verificationRuns[0]!.message).toMatch(/^job fleetwave-check-[0-9]+: Complete$/);
    expect(detail.clusters.map((c) => [c.wave, c.phase]).sort()).toEqual([
      ['canary', 'Healthy'],
      ['main', 'Healthy'],
    ]);
    // The Job ran in the canary only, with the image templated for it.
    const [canary, main] = fleet.clusters;
    expect(await checkJobsIn(canary!)).toEqual([
      expect.stringMatching(/^fleetwave-check-[0-9]+ registry\.invalid\/smoke:eu True\/$/),
    ]);
    expect(await checkJobsIn(main!)).toEqual([]);
    expect(await greetingIn(main!)).toBe('hello');
  });

  it('a check Job that fails on the canary stops the rollout there and rolls it back', async () => {
    await hub.get(ApplicationsService).update(ADMIN, 'web', { plan: plan(KWOK_FAILING_IMAGE) });
    const second = await repo.commit(manifests('broken'), 'web: a change the smoke test fails');
    await push(second);
    const failed = await stack!.rolloutOf({ application: 'web', commit: second, state: 'RolledBack' });
    expect(failed.message).toMatch(
      /^wave canary: 1\/1 failed, budget 0; check smoke failed for canary-eu: job fleetwave-check-[0-9]+: BackoffLimitExceeded: Job has reached the specified backoff limit$/,
    );
    const detail = await rollouts().detail(failed.id);
    expect(detail.clusters.filter((c) => c.assignedAt !== null).map((c) => c.wave)).toEqual(['canary']);
    expect(detail.verificationRuns.map((r) => [r.wave, r.target, r.final, r.result])).toEqual([
      ['canary', 'canary-eu', true, 'failed'],
    ]);
    const rollback = await rollouts().get(failed.rolledBackBy!);
    expect(rollback).toMatchObject({ kind: 'rollback', state: 'Succeeded' });
    const [canary, main] = fleet.clusters;
    expect(await greetingIn(canary!)).toBe('hello');
    expect(await greetingIn(main!)).toBe('hello');
    const failedJob = /job (fleetwave-check-[0-9]+):/.exec(failed.message ?? '')![1]!;
    expect(await checkJobsIn(canary!)).toContainEqual(`${failedJob} ${KWOK_FAILING_IMAGE} /True`);
    expect(await checkJobsIn(main!)).toEqual([]);
  });

  it("a check Job from a manifest in the repository runs in the canary at the rollout's commit", async () => {
    const manifest = `apiVersion: batch/v1
kind: Job
metadata:
  name: smoke-from-git
  labels: { team: web }
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: smoke
          image: registry.invalid/smoke:from-git
`;
    const third = await repo.commit(
      { ...manifests('from git'), 'checks/smoke.yaml': manifest },
      'web: a smoke Job in the repository',
    );
    await hub.get(ApplicationsService).update(ADMIN, 'web', {
      plan: planWith({ name: 'smoke', kind: 'job', manifest: 'checks/smoke.yaml', timeoutSeconds: 30 }),
    });
    await push(third);
    const rollout = await stack!.rolloutOf({ application: 'web', commit: third, state: 'Succeeded' });
    const detail = await rollouts().detail(rollout.id);
    expect(detail.verificationRuns.map((r) => [r.wave, r.target, r.result])).toEqual([
      ['canary', 'canary-eu', 'passed'],
    ]);
    const job = /job (fleetwave-check-[0-9]+):/.exec(detail.verificationRuns[0]!.message)![1]!;
    const [canary, main] = fleet.clusters;
    expect(await checkJobsIn(canary!)).toContainEqual(`${job} registry.invalid/smoke:from-git True/`);
    expect(
      await k(
        canary!,
        'get',
        'jobs',
        '--all-namespaces',
        '-l',
        `fleetwave.io/check-run,team=web`,
        '-o',
        'name',
      ),
    ).toContain(job);
    expect(await greetingIn(main!)).toBe('from git');
  });
});
