import { describe, expect, it } from '@jest/globals';
import { FailingResourceSchema } from '@fleetwave/contracts';
import {
  aggregateBundleHealth,
  MAX_FAILING,
  truncate,
  type BundleHealth,
  type ResourceResult,
} from './aggregate.js';
import type { ResourceStatus } from './types.js';

const current: ResourceStatus = { status: 'Current', message: 'Deployment is available. Replicas: 3' };
const result = (id: string, status: ResourceStatus): ResourceResult => ({ id, status });
const ready = (id: string) => result(id, current);
const progressing = (id: string) =>
  result(id, { status: 'InProgress', reason: 'LessReady', message: 'Ready: 1/3' });
const failedJob = (id: string) =>
  result(id, { status: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job Failed. failed: 7/1' });

const NS = '_shop__Namespace';
const WEB = 'shop_web_apps_Deployment';
const API = 'shop_api_apps_Deployment';
const JOB = 'shop_migrate_batch_Job';
const CM = 'shop_settings__ConfigMap';

describe('aggregateBundleHealth', () => {
  it.each<[string, ResourceResult[], boolean, BundleHealth]>([
    ['empty bundle', [], false, { phase: 'Healthy', ready: 0, total: 0, failing: [] }],
    [
      'all Current',
      [ready(NS), ready(CM), ready(WEB)],
      false,
      { phase: 'Healthy', ready: 3, total: 3, failing: [] },
    ],
    [
      'all Current after the deadline',
      [ready(NS), ready(WEB)],
      true,
      { phase: 'Healthy', ready: 2, total: 2, failing: [] },
    ],
    [
      'one still rolling out',
      [ready(NS), progressing(WEB)],
      false,
      {
        phase: 'Progressing',
        ready: 1,
        total: 2,
        failing: [{ id: WEB, reason: 'LessReady', message: 'Ready: 1/3' }],
      },
    ],
    [
      'still rolling out after the deadline',
      [ready(NS), progressing(WEB)],
      true,
      {
        phase: 'Failed',
        ready: 1,
        total: 2,
        failing: [{ id: WEB, reason: 'ProgressDeadlineExceeded', message: 'Ready: 1/3' }],
      },
    ],
    [
      'a Failed object fails the bundle at once',
      [ready(NS), failedJob(JOB)],
      false,
      {
        phase: 'Failed',
        ready: 1,
        total: 2,
        failing: [{ id: JOB, reason: 'BackoffLimitExceeded', message: 'Job Failed. failed: 7/1' }],
      },
    ],
    [
      'Failed before InProgress in the list',
      [progressing(API), failedJob(JOB), ready(NS)],
      false,
      {
        phase: 'Failed',
        ready: 1,
        total: 3,
        failing: [
          { id: JOB, reason: 'BackoffLimitExceeded', message: 'Job Failed. failed: 7/1' },
          { id: API, reason: 'LessReady', message: 'Ready: 1/3' },
        ],
      },
    ],
    [
      'an applied object is gone',
      [ready(NS), result(CM, { status: 'NotFound', message: '' })],
      false,
      {
        phase: 'Degraded',
        ready: 1,
        total: 2,
        failing: [{ id: CM, reason: 'NotFound', message: 'Resource not found' }],
      },
    ],
    [
      'an applied object is being deleted',
      [ready(NS), result(WEB, { status: 'Terminating', message: 'Resource scheduled for deletion' })],
      false,
      {
        phase: 'Degraded',
        ready: 1,
        total: 2,
        failing: [{ id: WEB, reason: 'Terminating', message: 'Resource scheduled for deletion' }],
      },
    ],
    [
      'Terminating with no message',
      [result(WEB, { status: 'Terminating', message: '' })],
      false,
      {
        phase: 'Degraded',
        ready: 0,
        total: 1,
        failing: [{ id: WEB, reason: 'Terminating', message: 'Resource scheduled for deletion' }],
      },
    ],
    [
      'Degraded wins over Progressing',
      [progressing(API), result(CM, { status: 'NotFound', message: 'gone' })],
      false,
      {
        phase: 'Degraded',
        ready: 0,
        total: 2,
        failing: [
          { id: CM, reason: 'NotFound', message: 'gone' },
          { id: API, reason: 'LessReady', message: 'Ready: 1/3' },
        ],
      },
    ],
    [
      'Failed wins over Degraded',
      [result(CM, { status: 'NotFound', message: 'gone' }), failedJob(JOB)],
      false,
      {
        phase: 'Failed',
        ready: 0,
        total: 2,
        failing: [
          { id: JOB, reason: 'BackoffLimitExceeded', message: 'Job Failed. failed: 7/1' },
          { id: CM, reason: 'NotFound', message: 'gone' },
        ],
      },
    ],
    [
      'deadline failures before gone objects, after Failed ones',
      [result(CM, { status: 'NotFound', message: 'gone' }), progressing(WEB), failedJob(JOB)],
      true,
      {
        phase: 'Failed',
        ready: 0,
        total: 3,
        failing: [
          { id: JOB, reason: 'BackoffLimitExceeded', message: 'Job Failed. failed: 7/1' },
          { id: WEB, reason: 'ProgressDeadlineExceeded', message: 'Ready: 1/3' },
          { id: CM, reason: 'NotFound', message: 'gone' },
        ],
      },
    ],
    [
      'Unknown waits like InProgress',
      [result(WEB, { status: 'Unknown', message: 'unknown phase Weird' })],
      false,
      {
        phase: 'Progressing',
        ready: 0,
        total: 1,
        failing: [{ id: WEB, reason: 'Unknown', message: 'unknown phase Weird' }],
      },
    ],
    [
      'Unknown after the deadline fails',
      [result(WEB, { status: 'Unknown', message: 'unknown phase Weird' })],
      true,
      {
        phase: 'Failed',
        ready: 0,
        total: 1,
        failing: [{ id: WEB, reason: 'ProgressDeadlineExceeded', message: 'unknown phase Weird' }],
      },
    ],
    [
      'Failed without a reason uses the status',
      [result(WEB, { status: 'Failed', message: 'stalled' })],
      false,
      { phase: 'Failed', ready: 0, total: 1, failing: [{ id: WEB, reason: 'Failed', message: 'stalled' }] },
    ],
    [
      'same rank sorted by id',
      [progressing(WEB), progressing(API)],
      false,
      {
        phase: 'Progressing',
        ready: 0,
        total: 2,
        failing: [
          { id: API, reason: 'LessReady', message: 'Ready: 1/3' },
          { id: WEB, reason: 'LessReady', message: 'Ready: 1/3' },
        ],
      },
    ],
  ])('%s', (_name, results, progressDeadlinePassed, expected) => {
    expect(aggregateBundleHealth(results, { progressDeadlinePassed })).toEqual(expected);
  });

  it(`lists at most ${MAX_FAILING} failing resources, worst first`, () => {
    const results = Array.from({ length: 80 }, (_, i) =>
      progressing(`shop_web${String(i).padStart(2, '0')}_apps_Deployment`),
    );
    results.push(failedJob('zz_last_batch_Job'), ready(NS));
    const health = aggregateBundleHealth(results, { progressDeadlinePassed: false });
    expect(health).toMatchObject({ phase: 'Failed', ready: 1, total: 82 });
    expect(health.failing).toHaveLength(MAX_FAILING);
    expect(health.failing[0]?.id).toBe('zz_last_batch_Job');
    expect(health.failing[1]?.id).toBe('shop_web00_apps_Deployment');
  });

  it('fits the wire contract for failing resources', () => {
    const long = result(WEB, { status: 'Failed', reason: 'R'.repeat(500), message: 'm'.repeat(5000) });
    const [entry] = aggregateBundleHealth([long], { progressDeadlinePassed: false }).failing;
    expect(FailingResourceSchema.safeParse(entry).success).toBe(true);
    expect(entry?.reason).toHaveLength(128);
    expect(entry?.message).toHaveLength(1024);
    expect(entry?.message.endsWith('…')).toBe(true);
  });
});

describe('truncate', () => {
  it.each<[string, string, number, string]>([
    ['short', 'abc', 5, 'abc'],
    ['exact', 'abcde', 5, 'abcde'],
    ['cut', 'abcdef', 5, 'abcd…'],
    ['never splits a surrogate pair', 'ab😀cd', 4, 'ab…'],
    ['keeps a whole pair that fits', 'ab😀cd', 5, 'ab😀…'],
  ])('%s', (_name, text, max, expected) => {
    const out = truncate(text, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
  });
});
