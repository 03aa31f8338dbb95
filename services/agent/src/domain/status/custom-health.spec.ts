import { describe, expect, it } from '@jest/globals';
import { compileHealthChecks, type CompiledHealthChecks, type HealthCheck } from '@fleetwave/contracts';
import type { KubeObject } from '../kube-object.js';
import { computeStatus } from './compute.js';
import { evaluateHealthCheck, healthCheckFor } from './custom-health.js';
import type { ResourceStatus } from './types.js';

function compile(checks: HealthCheck[]): CompiledHealthChecks {
  const result = compileHealthChecks(checks);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.checks;
}

// A Certificate-like resource: phases rather than kstatus conditions.
const widgetRule: HealthCheck = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  inProgress: "status.?phase.orValue('') == 'Provisioning'",
  failed:
    "status.?phase.orValue('') == 'Broken' || status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.reason == 'Fatal')",
  current: "status.?conditions.orValue([]).exists(c, c.type == 'Ready' && c.status == 'True')",
};
const checks = compile([{ apiVersion: 'v1', kind: 'ConfigMap', current: 'has(data.ok)' }, widgetRule]);
const RULE = 'healthChecks[1] (example.com/Widget)';

const ready = { type: 'Ready', status: 'True', reason: 'Done' };
function widget(status?: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  const o: KubeObject = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', ...metadata },
  };
  if (status !== undefined) o.status = status;
  return o;
}

describe('evaluateHealthCheck: Flux healthCheckExprs semantics', () => {
  it.each<[string, KubeObject, ResourceStatus]>([
    [
      'current when only current is true',
      widget({ phase: 'Running', conditions: [ready] }),
      { status: 'Current', message: `${RULE}: current is true` },
    ],
    [
      'inProgress is asked first: it wins over a true current',
      widget({ phase: 'Provisioning', conditions: [ready] }),
      { status: 'InProgress', reason: 'HealthCheckInProgress', message: `${RULE}: inProgress is true` },
    ],
    [
      'failed is asked before current',
      widget({ phase: 'Running', conditions: [{ ...ready, reason: 'Fatal' }] }),
      { status: 'Failed', reason: 'HealthCheckFailed', message: `${RULE}: failed is true` },
    ],
    [
      'none true: InProgress',
      widget({ phase: 'Running', conditions: [] }),
      {
        status: 'InProgress',
        reason: 'HealthCheckNotCurrent',
        message: `${RULE}: no expression is true yet`,
      },
    ],
    [
      'a generation the controller has not observed yet: InProgress before any expression',
      widget({ phase: 'Running', conditions: [ready], observedGeneration: 1 }, { generation: 2 }),
      {
        status: 'InProgress',
        reason: 'LatestGenerationNotObserved',
        message: 'Widget generation is 2, but latest observed generation is 1',
      },
    ],
    [
      'no status yet: the guarded expressions are false, so InProgress',
      widget(),
      {
        status: 'InProgress',
        reason: 'HealthCheckNotCurrent',
        message: `${RULE}: no expression is true yet`,
      },
    ],
  ])('%s', (_case, obj, expected) => {
    expect(evaluateHealthCheck(obj, healthCheckFor(obj, checks)!)).toEqual(expected);
  });

  it('makes an object Unknown when an unguarded expression reads a key it lacks, naming where', () => {
    const unguarded = compile([{ ...widgetRule, inProgress: "status.phase == 'Provisioning'" }]);
    const obj = widget({ conditions: [ready] });
    expect(evaluateHealthCheck(obj, healthCheckFor(obj, unguarded)!)).toEqual({
      status: 'Unknown',
      reason: 'HealthCheckError',
      message:
        'healthChecks[0] (example.com/Widget): inProgress could not be evaluated: line 1, column 8: No such key: phase',
    });
  });

  it('reports a non-bool result as an evaluation error', () => {
    const only = compile([{ apiVersion: 'example.com/v1', kind: 'Widget', current: 'status.phase' }]);
    const obj = widget({ phase: 'Running' });
    expect(evaluateHealthCheck(obj, healthCheckFor(obj, only)!)).toEqual({
      status: 'Unknown',
      reason: 'HealthCheckError',
      message:
        'healthChecks[0] (example.com/Widget): current could not be evaluated: evaluated to a string, not a bool',
    });
  });
});

describe('healthCheckFor', () => {
  it.each<[string, string, string, number | undefined]>([
    ['the same apiVersion', 'example.com/v1', 'Widget', 1],
    ['another version of the same group', 'example.com/v2beta1', 'Widget', 1],
    ['the core group', 'v1', 'ConfigMap', 0],
    ['another group', 'other.example.com/v1', 'Widget', undefined],
    ['another kind', 'example.com/v1', 'Gadget', undefined],
    ['a kind differing only in case', 'example.com/v1', 'widget', undefined],
  ])('%s', (_case, apiVersion, kind, index) => {
    expect(healthCheckFor({ apiVersion, kind, metadata: { name: 'x' } }, checks)?.index).toBe(index);
  });
});

describe('computeStatus with custom rules', () => {
  it('judges a matching object by its rule alone, ahead of the kstatus rules', () => {
    // kstatus would call it Current (Ready=True); the rule says it has failed.
    const obj = widget({ phase: 'Broken', conditions: [ready] });
    expect(computeStatus(obj).status).toBe('Current');
    expect(computeStatus(obj, { healthChecks: checks }).status).toBe('Failed');
  });

  it('replaces a built-in kind rule too (ConfigMap is always Current for kstatus)', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} };
    expect(computeStatus(cm, { healthChecks: checks }).status).toBe('InProgress');
    expect(computeStatus({ ...cm, data: { ok: 'yes' } }, { healthChecks: checks }).status).toBe('Current');
  });

  it('still says Terminating for an object being deleted', () => {
    const obj = widget(
      { phase: 'Running', conditions: [ready] },
      { deletionTimestamp: '2025-03-01T10:00:00Z' },
    );
    expect(computeStatus(obj, { healthChecks: checks })).toEqual({
      status: 'Terminating',
      message: 'Resource scheduled for deletion',
    });
  });

  it('leaves objects without a rule to kstatus', () => {
    const obj: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g' },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'Waiting', message: 'not yet' }] },
    };
    expect(computeStatus(obj, { healthChecks: checks })).toEqual(computeStatus(obj));
  });
});
