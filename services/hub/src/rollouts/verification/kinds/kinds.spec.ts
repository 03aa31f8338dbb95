import { describe, expect, it } from '@jest/globals';
import { PER_CLUSTER_KINDS, type VerificationCheck } from '../../engine/verification/checks.js';
import { conditionVerdict } from './http.js';
import { CHECK_KINDS, kindOf } from './index.js';
import { parseQueryResponse } from './prometheus.js';

describe('parseQueryResponse', () => {
  it.each([
    [
      'a vector',
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"cluster":"a"},"value":[1,"0.5"]}]}}',
      [{ labels: { cluster: 'a' }, value: 0.5 }],
    ],
    [
      'a scalar',
      '{"status":"success","data":{"resultType":"scalar","result":[1,"2"]}}',
      [{ labels: {}, value: 2 }],
    ],
    ['an empty vector', '{"status":"success","data":{"resultType":"vector","result":[]}}', []],
    [
      'NaN',
      '{"status":"success","data":{"resultType":"scalar","result":[1,"NaN"]}}',
      [{ labels: {}, value: NaN }],
    ],
  ])('reads %s', (_name, text, samples) => {
    expect(parseQueryResponse(200, text, 'http://p')).toEqual(samples);
  });

  it.each([
    [
      'a PromQL error',
      400,
      '{"status":"error","errorType":"bad_data","error":"parse error at char 5"}',
      'Prometheus: parse error at char 5',
    ],
    [
      'a range vector',
      200,
      '{"status":"success","data":{"resultType":"matrix","result":[]}}',
      'Prometheus: a matrix result; use an instant vector or a scalar',
    ],
    ['not JSON', 502, '<html>bad gateway</html>', 'http://p: status 502, not a Prometheus API answer'],
  ])('refuses %s', (_name, status, text, message) => {
    expect(() => parseQueryResponse(status, text, 'http://p')).toThrow(message);
  });
});

describe('conditionVerdict', () => {
  it.each([
    ['true on JSON', 'body.ready == true', '{"ready":true}', 'passed'],
    ['false on JSON', 'body.ready == true', '{"ready":false}', 'failed'],
    ['integers are ints', 'body.replicas >= 2 && status == 200', '{"replicas":3}', 'passed'],
    ['text body', 'body.contains("ok")', 'all ok', 'passed'],
    ['missing field is a failure with the reason', 'body.nope == 1', '{}', 'failed'],
  ])('%s', (_name, condition, body, result) => {
    expect(conditionVerdict(condition, 200, body, 'GET http://x').result).toBe(result);
  });
});

describe('check kinds and the failure budget', () => {
  const base = { name: 'c', retries: 0, timeoutSeconds: 5, intervalSeconds: 5 };
  const samples: VerificationCheck[] = [
    { ...base, kind: 'http', method: 'GET', url: 'http://x.test', expectedStatus: 200 },
    { ...base, kind: 'prometheus', query: 'up', threshold: { op: '>', value: 0 } },
    { ...base, kind: 'job', image: 'busybox', command: [], args: [] },
  ];
  const context = {
    waveClusters: [{ name: 'a', labels: {} }],
    updated: ['a'],
    baseline: [],
    prometheusUrl: null,
  };
  it.each(samples.map((check) => [check.kind, check] as const))(
    '%s: PER_CLUSTER_KINDS says whether its targets are the wave clusters',
    (kind, check) => {
      const targets = kindOf(check).targets(check, context);
      const perCluster = targets.every((t) => t.cluster !== undefined && t.name === t.cluster.name);
      expect(perCluster).toBe(PER_CLUSTER_KINDS.has(kind));
    },
  );
  it('every kind has a sample above', () => {
    expect(CHECK_KINDS.map((k) => k.kind).sort()).toEqual(samples.map((c) => c.kind).sort());
  });
});
