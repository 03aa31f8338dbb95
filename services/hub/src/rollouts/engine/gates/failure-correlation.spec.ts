import { describe, expect, it } from '@jest/globals';
import { cluster, context, parse } from './gate-fixtures.js';
import {
  type FailureCorrelation,
  failureCorrelationGate,
  parseFailureCorrelation,
} from './failure-correlation.js';
import { type GateCluster } from './types.js';

const byRegion: FailureCorrelation = { labels: ['region'], minFailures: 2, share: 1 };

/** A wave member: `phase` and its labels. */
function member(id: string, phase: GateCluster['phase'], labels: Record<string, string>): GateCluster {
  return cluster({ clusterId: id, name: id, phase, labels });
}

describe('failureCorrelationGate.evaluate', () => {
  it.each<[string, FailureCorrelation | null, GateCluster[], unknown]>([
    [
      'off (no setting): open however the failures line up',
      null,
      [member('a', 'Failed', { region: 'us' }), member('b', 'Failed', { region: 'us' })],
      { status: 'open' },
    ],
    [
      'two failures in one region: held, naming the label',
      byRegion,
      [
        member('a', 'Failed', { region: 'us' }),
        member('b', 'TimedOut', { region: 'us' }),
        member('c', 'Healthy', { region: 'eu' }),
      ],
      {
        status: 'blocked',
        state: 'Failed',
        reason: { kind: 'failureCorrelation', label: 'region', value: 'us', matching: 2, failed: 2 },
        event: 'rollout failed: wave canary: 2/2 failed clusters share region=us',
      },
    ],
    [
      'one failure is no correlation',
      byRegion,
      [member('a', 'Failed', { region: 'us' }), member('b', 'Healthy', { region: 'us' })],
      { status: 'open' },
    ],
    [
      'failures spread over regions: open',
      byRegion,
      [member('a', 'Failed', { region: 'us' }), member('b', 'Degraded', { region: 'eu' })],
      { status: 'open' },
    ],
    [
      'share below the setting: open (2 of 3 with share 1)',
      byRegion,
      [
        member('a', 'Failed', { region: 'us' }),
        member('b', 'Failed', { region: 'us' }),
        member('c', 'Failed', { region: 'eu' }),
      ],
      { status: 'open' },
    ],
    [
      'share at the setting: held (2 of 3 with share 0.6)',
      { ...byRegion, share: 0.6 },
      [
        member('a', 'Failed', { region: 'us' }),
        member('b', 'Failed', { region: 'us' }),
        member('c', 'Failed', { region: 'eu' }),
      ],
      {
        status: 'blocked',
        state: 'Failed',
        reason: { kind: 'failureCorrelation', label: 'region', value: 'us', matching: 2, failed: 3 },
        event: 'rollout failed: wave canary: 2/3 failed clusters share region=us',
      },
    ],
    [
      'fewer than minFailures share it: open',
      { ...byRegion, minFailures: 3 },
      [member('a', 'Failed', { region: 'us' }), member('b', 'Failed', { region: 'us' })],
      { status: 'open' },
    ],
    [
      'clusters without the label share nothing',
      byRegion,
      [member('a', 'Failed', {}), member('b', 'Failed', {})],
      { status: 'open' },
    ],
    [
      'the first label that correlates is reported (region spread, zone shared)',
      { labels: ['region', 'zone'], minFailures: 2, share: 1 },
      [
        member('a', 'Failed', { region: 'us', zone: 'z1' }),
        member('b', 'Failed', { region: 'eu', zone: 'z1' }),
      ],
      {
        status: 'blocked',
        state: 'Failed',
        reason: { kind: 'failureCorrelation', label: 'zone', value: 'z1', matching: 2, failed: 2 },
        event: 'rollout failed: wave canary: 2/2 failed clusters share zone=z1',
      },
    ],
    [
      'equal groups: the smaller value is reported',
      { ...byRegion, share: 0.5 },
      [
        member('a', 'Failed', { region: 'us' }),
        member('b', 'Failed', { region: 'us' }),
        member('c', 'Failed', { region: 'eu' }),
        member('d', 'Failed', { region: 'eu' }),
      ],
      {
        status: 'blocked',
        state: 'Failed',
        reason: { kind: 'failureCorrelation', label: 'region', value: 'eu', matching: 2, failed: 4 },
        event: 'rollout failed: wave canary: 2/4 failed clusters share region=eu',
      },
    ],
  ])('%s', (_name, setting, members, expected) => {
    expect(failureCorrelationGate.evaluate(context(setting, { clusters: members }))).toEqual(expected);
  });

  it('says a rollback is requested when the plan asks for one', () => {
    const members = [member('a', 'Failed', { region: 'us' }), member('b', 'Failed', { region: 'us' })];
    const result = failureCorrelationGate.evaluate(
      context(byRegion, { clusters: members, autoRollback: true }),
    );
    expect(result).toMatchObject({
      event: 'rollout failed: wave canary: 2/2 failed clusters share region=us; rollback requested',
    });
  });

  it('counts clusters that failed a per-cluster verification check for good', () => {
    const members = [member('a', 'Failed', { region: 'us' }), member('b', 'Healthy', { region: 'us' })];
    const failedCheck = { check: 'healthz', target: 'b', message: 'status 500' };
    const verification = {
      status: 'passed' as const,
      running: [],
      failed: null,
      failedClusters: [failedCheck],
      passedAt: null,
    };
    expect(failureCorrelationGate.evaluate(context(byRegion, { clusters: members }))).toEqual({
      status: 'open',
    });
    expect(
      failureCorrelationGate.evaluate(context(byRegion, { clusters: members, verification })),
    ).toMatchObject({ status: 'blocked', reason: { label: 'region', value: 'us', matching: 2, failed: 2 } });
  });

  it('reads a stored plan from before the setting (undefined) as off', () => {
    const members = [member('a', 'Failed', { region: 'us' }), member('b', 'Failed', { region: 'us' })];
    const setting = undefined as unknown as FailureCorrelation | null;
    expect(failureCorrelationGate.evaluate(context(setting, { clusters: members }))).toEqual({
      status: 'open',
    });
  });

  it('is a wave gate, off by default, waking on change only', () => {
    expect(failureCorrelationGate.stage).toBe('wave');
    expect(failureCorrelationGate.setting.default).toBeNull();
    expect(failureCorrelationGate.recheckAt).toBeUndefined();
  });
});

describe('parseFailureCorrelation', () => {
  it.each<[string, unknown, FailureCorrelation | null]>([
    ['absent: off', undefined, null],
    ['null: off', null, null],
    ['labels only: defaults', { labels: ['region'] }, { labels: ['region'], minFailures: 2, share: 1 }],
    [
      'everything',
      { labels: ['region', 'topology.kubernetes.io/zone'], minFailures: 3, share: 0.75 },
      { labels: ['region', 'topology.kubernetes.io/zone'], minFailures: 3, share: 0.75 },
    ],
  ])('%s', (_name, raw, expected) => {
    expect(parse(parseFailureCorrelation, raw)).toEqual({ value: expected, errors: [] });
  });

  it.each<[string, unknown, string]>([
    [
      'not an object',
      'region',
      'waves[0].failureCorrelation: must be an object such as { labels: ["region"] }',
    ],
    ['a list', ['region'], 'waves[0].failureCorrelation: must be an object such as { labels: ["region"] }'],
    ['an unknown field', { labels: ['region'], min: 2 }, 'waves[0].failureCorrelation: unknown field "min"'],
    [
      'no labels',
      { minFailures: 2 },
      'waves[0].failureCorrelation.labels: must be a list of 1 to 10 label keys such as ["region"]',
    ],
    [
      'empty labels',
      { labels: [] },
      'waves[0].failureCorrelation.labels: must be a list of 1 to 10 label keys such as ["region"]',
    ],
    [
      'a label that is not a string',
      { labels: [3] },
      'waves[0].failureCorrelation.labels[0]: must be a label key such as "region"',
    ],
    ['a bad label key', { labels: ['region', 'bad key'] }, 'waves[0].failureCorrelation.labels[1]: '],
    [
      'a duplicate label key',
      { labels: ['region', 'region'] },
      'waves[0].failureCorrelation.labels[1]: duplicate label key "region"',
    ],
    [
      'minFailures of 1',
      { labels: ['region'], minFailures: 1 },
      'waves[0].failureCorrelation.minFailures: must be an integer of at least 2',
    ],
    [
      'fractional minFailures',
      { labels: ['region'], minFailures: 2.5 },
      'waves[0].failureCorrelation.minFailures: must be an integer of at least 2',
    ],
    [
      'share of 0',
      { labels: ['region'], share: 0 },
      'waves[0].failureCorrelation.share: must be a number above 0 and at most 1 (e.g. 0.8)',
    ],
    [
      'share over 1',
      { labels: ['region'], share: 1.5 },
      'waves[0].failureCorrelation.share: must be a number above 0 and at most 1 (e.g. 0.8)',
    ],
    [
      'share as a percentage string',
      { labels: ['region'], share: '80%' },
      'waves[0].failureCorrelation.share: must be a number above 0 and at most 1 (e.g. 0.8)',
    ],
  ])('refuses %s', (_name, raw, message) => {
    const { value, errors } = parse(parseFailureCorrelation, raw);
    expect(value).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });
});

describe('failureCorrelationGate.message', () => {
  it('names the shared label value and the counts', () => {
    expect(
      failureCorrelationGate.message({
        kind: 'failureCorrelation',
        label: 'region',
        value: 'us',
        matching: 3,
        failed: 3,
      }),
    ).toBe('3/3 failed clusters share region=us');
  });
});
