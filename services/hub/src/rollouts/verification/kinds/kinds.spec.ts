import { describe, expect, it } from '@jest/globals';
import { conditionVerdict } from './http.js';
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
