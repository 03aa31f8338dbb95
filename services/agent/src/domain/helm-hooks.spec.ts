import { describe, expect, it } from '@jest/globals';
import {
  hookOutcome,
  newHookRunState,
  planHooks,
  releaseMode,
  type HookPlan,
  type HookRunState,
  type ReleaseMode,
} from './helm-hooks.js';
import type { KubeObject } from './kube-object.js';

function obj(
  kind: string,
  name: string,
  annotations: Record<string, string> = {},
  apiVersion = kind === 'Job' ? 'batch/v1' : 'v1',
): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: 'shop', annotations } };
}
const hook = (
  kind: string,
  name: string,
  events: string,
  extra: Record<string, string> = {},
  apiVersion?: string,
) => obj(kind, name, { 'helm.sh/hook': events, ...extra }, apiVersion);

/** A plan as `phase: name(weight, policies)` lines, the shape the table compares. */
function shape(plan: HookPlan) {
  const line = (h: HookPlan['pre'][number]) =>
    `${h.object.kind}/${h.object.metadata.name} ${h.event} w=${h.weight} [${h.deletePolicies.join(',')}]`;
  return {
    pre: plan.pre.map(line),
    main: plan.main.map((o) => `${o.kind}/${o.metadata.name}`),
    post: plan.post.map(line),
    leftOut: plan.leftOut.map((l) => `${l.id}: ${l.reason}`),
  };
}

describe('planHooks', () => {
  it.each<[string, KubeObject[], ReleaseMode, ReturnType<typeof shape>]>([
    [
      'no hooks: everything is the release',
      [obj('ConfigMap', 'a'), obj('Service', 'web')],
      'install',
      { pre: [], main: ['ConfigMap/a', 'Service/web'], post: [], leftOut: [] },
    ],
    [
      'install runs pre-install and post-install, not the upgrade hooks',
      [
        hook('Job', 'migrate', 'pre-install,pre-upgrade'),
        hook('Job', 'seed', 'post-install'),
        hook('Job', 'notify', 'post-upgrade'),
        obj('ConfigMap', 'a'),
      ],
      'install',
      {
        pre: ['Job/migrate pre-install w=0 [before-hook-creation]'],
        main: ['ConfigMap/a'],
        post: ['Job/seed post-install w=0 [before-hook-creation]'],
        leftOut: ['shop_notify_batch_Job: post-upgrade hook: not run on install'],
      },
    ],
    [
      'upgrade runs pre-upgrade and post-upgrade',
      [
        hook('Job', 'migrate', 'pre-install,pre-upgrade'),
        hook('Job', 'seed', 'post-install'),
        hook('Job', 'notify', 'post-upgrade'),
      ],
      'upgrade',
      {
        pre: ['Job/migrate pre-upgrade w=0 [before-hook-creation]'],
        main: [],
        post: ['Job/notify post-upgrade w=0 [before-hook-creation]'],
        leftOut: ['shop_seed_batch_Job: post-install hook: not run on upgrade'],
      },
    ],
    [
      'by weight, then Helm install order of kinds (unknown kinds last), then name',
      [
        hook('Job', 'b', 'pre-upgrade', { 'helm.sh/hook-weight': '5' }),
        hook('Job', 'a', 'pre-upgrade', { 'helm.sh/hook-weight': '5' }),
        hook('Widget', 'w', 'pre-upgrade', { 'helm.sh/hook-weight': '-5' }, 'example.com/v1'),
        hook('ServiceAccount', 'sa', 'pre-upgrade', { 'helm.sh/hook-weight': '-5' }),
        hook('Job', 'first', 'pre-upgrade', { 'helm.sh/hook-weight': '-10' }),
      ],
      'upgrade',
      {
        pre: [
          'Job/first pre-upgrade w=-10 [before-hook-creation]',
          'ServiceAccount/sa pre-upgrade w=-5 [before-hook-creation]',
          'Widget/w pre-upgrade w=-5 [before-hook-creation]',
          'Job/a pre-upgrade w=5 [before-hook-creation]',
          'Job/b pre-upgrade w=5 [before-hook-creation]',
        ],
        main: [],
        post: [],
        leftOut: [],
      },
    ],
    [
      'weights that are not integers count as 0, as strconv.Atoi fails',
      [
        hook('Job', 'x', 'pre-install', { 'helm.sh/hook-weight': '1.5' }),
        hook('Job', 'y', 'pre-install', { 'helm.sh/hook-weight': ' -3 ' }),
        hook('Job', 'z', 'pre-install', { 'helm.sh/hook-weight': '+2' }),
      ],
      'install',
      {
        pre: [
          'Job/y pre-install w=-3 [before-hook-creation]',
          'Job/x pre-install w=0 [before-hook-creation]',
          'Job/z pre-install w=2 [before-hook-creation]',
        ],
        main: [],
        post: [],
        leftOut: [],
      },
    ],
    [
      'delete policies as annotated, case and spaces ignored, unknown ones dropped; none: before-hook-creation',
      [
        hook('Job', 'a', 'pre-install', {
          'helm.sh/hook-delete-policy': 'Hook-Succeeded, hook-failed,whenever',
        }),
        hook('Job', 'b', 'pre-install', {
          'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
        }),
        hook('Job', 'c', 'pre-install', { 'helm.sh/hook-delete-policy': 'whenever' }),
      ],
      'install',
      {
        pre: [
          'Job/a pre-install w=0 [hook-succeeded,hook-failed]',
          'Job/b pre-install w=0 [before-hook-creation,hook-succeeded]',
          'Job/c pre-install w=0 [before-hook-creation]',
        ],
        main: [],
        post: [],
        leftOut: [],
      },
    ],
    [
      'test hooks (and Helm 2 test-success) never run; delete and rollback hooks neither',
      [
        hook('Pod', 'test-connection', 'test'),
        hook('Pod', 'legacy-test', 'test-success'),
        hook('Job', 'cleanup', 'pre-delete'),
        hook('Job', 'undo', 'pre-rollback,post-rollback'),
      ],
      'upgrade',
      {
        pre: [],
        main: [],
        post: [],
        leftOut: [
          'shop_test-connection__Pod: test hook: never run',
          'shop_legacy-test__Pod: test hook: never run',
          'shop_cleanup_batch_Job: pre-delete hook: not run on upgrade',
          'shop_undo_batch_Job: pre-rollback,post-rollback hook: not run on upgrade',
        ],
      },
    ],
    [
      'an unknown event leaves the whole object out, as Helm 3 does (crd-install)',
      [hook('ConfigMap', 'legacy', 'pre-install,crd-install')],
      'install',
      {
        pre: [],
        main: [],
        post: [],
        leftOut: ['shop_legacy__ConfigMap: unknown hook event "crd-install"'],
      },
    ],
    [
      'an object hooked on both phases runs in both; events are case-insensitive',
      [hook('ConfigMap', 'marker', ' PRE-UPGRADE , post-upgrade')],
      'upgrade',
      {
        pre: ['ConfigMap/marker pre-upgrade w=0 [before-hook-creation]'],
        main: [],
        post: ['ConfigMap/marker post-upgrade w=0 [before-hook-creation]'],
        leftOut: [],
      },
    ],
  ])('%s', (_case, objects, mode, expected) => {
    expect(shape(planHooks(objects, mode))).toEqual(expected);
  });

  it('knows every hook object, run or not, so none is inventoried or pruned', () => {
    const plan = planHooks(
      [
        hook('Job', 'migrate', 'pre-upgrade'),
        hook('Pod', 't', 'test'),
        hook('Job', 'x', 'crd-install'),
        obj('ConfigMap', 'a'),
      ],
      'upgrade',
    );
    expect([...plan.hookIds].sort()).toEqual(['shop_migrate_batch_Job', 'shop_t__Pod', 'shop_x_batch_Job']);
  });
});

describe('hookOutcome', () => {
  const job = (status: Record<string, unknown>, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
    ...obj('Job', 'migrate'),
    metadata: { name: 'migrate', namespace: 'shop', ...extra },
    status,
  });
  it.each<[string, KubeObject | undefined, ReturnType<typeof hookOutcome>]>([
    ['gone', undefined, { state: 'missing' }],
    [
      'a Job just created',
      job({}),
      { state: 'running', message: 'Job not complete: 0 active, 0 succeeded, 0 failed' },
    ],
    [
      'a Job running (kstatus would call it Current: a hook waits for completion)',
      job({ active: 1, startTime: '2026-11-22T00:00:00Z' }),
      { state: 'running', message: 'Job not complete: 1 active, 0 succeeded, 0 failed' },
    ],
    [
      'a complete Job',
      job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }),
      { state: 'succeeded' },
    ],
    [
      'a failed Job, with its reason',
      job({
        failed: 3,
        conditions: [
          { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded' },
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      }),
      {
        state: 'failed',
        reason: 'BackoffLimitExceeded',
        message: 'Job failed: Job has reached the specified backoff limit (BackoffLimitExceeded)',
      },
    ],
    [
      'a Job still being deleted (an old run, before creation)',
      job(
        { conditions: [{ type: 'Complete', status: 'True' }] },
        { deletionTimestamp: '2026-11-22T00:00:00Z' },
      ),
      { state: 'running', message: 'still being deleted' },
    ],
    ['a Pod that succeeded', { ...obj('Pod', 'p'), status: { phase: 'Succeeded' } }, { state: 'succeeded' }],
    [
      'a Pod that failed',
      { ...obj('Pod', 'p'), status: { phase: 'Failed', reason: 'Evicted', message: 'low on memory' } },
      { state: 'failed', reason: 'Evicted', message: 'Pod failed: low on memory' },
    ],
    [
      'a running Pod',
      { ...obj('Pod', 'p'), status: { phase: 'Running' } },
      { state: 'running', message: 'Pod is Running' },
    ],
    ['a ConfigMap: current at once', obj('ConfigMap', 'c'), { state: 'succeeded' }],
    [
      'a Deployment rolling out: kstatus InProgress',
      {
        ...obj('Deployment', 'd', {}, 'apps/v1'),
        metadata: { name: 'd', namespace: 'shop', generation: 2 },
        spec: { replicas: 1 },
        status: { observedGeneration: 1 },
      },
      { state: 'running', message: expect.any(String) as unknown as string },
    ],
  ])('%s', (_case, live, expected) => {
    expect(hookOutcome(live)).toEqual(expected);
  });
});

describe('releaseMode', () => {
  const digest = `sha256:${'a'.repeat(64)}`;
  const state = (mode: ReleaseMode, done: HookRunState['done']) => ({
    ...newHookRunState(digest, mode),
    done,
  });
  it.each<[string, number, HookRunState | undefined, ReleaseMode]>([
    ['nothing applied here yet', 0, undefined, 'install'],
    ['a revision applied here', 3, undefined, 'upgrade'],
    ['an install whose pre-hooks completed', 3, state('install', ['pre']), 'upgrade'],
    [
      'an install whose pre-hooks never completed (only its Namespace is there)',
      1,
      state('install', []),
      'install',
    ],
    ['an upgrade whose pre-hooks never completed', 3, state('upgrade', []), 'upgrade'],
  ])('%s → %s', (_case, inventoried, hooks, mode) => {
    expect(releaseMode(inventoried, hooks)).toBe(mode);
  });
});
