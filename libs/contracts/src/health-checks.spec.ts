import { describe, expect, it } from '@jest/globals';
import {
  celActivation,
  compileHealthChecks,
  type CompiledHealthChecks,
  describeHealthCheckProblem,
  groupKindKey,
  type HealthCheck,
} from './health-checks.js';

const widget = (expressions: Partial<HealthCheck>): HealthCheck => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  current: 'true',
  ...expressions,
});

function compiled(checks: HealthCheck[]): CompiledHealthChecks {
  const result = compileHealthChecks(checks);
  if (!result.ok) throw new Error(result.problems.map(describeHealthCheckProblem).join('; '));
  return result.checks;
}

function problems(checks: HealthCheck[]): string[] {
  const result = compileHealthChecks(checks);
  return result.ok ? [] : result.problems.map(describeHealthCheckProblem);
}

const readyWidget = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', generation: 2 },
  spec: { replicas: 3 },
  status: {
    readyReplicas: 3,
    ratio: 0.5,
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', reason: 'Done' }],
  },
};

function evaluate(source: string, object: Record<string, unknown> = readyWidget) {
  const check = compiled([widget({ current: source })]).get('example.com/Widget')!;
  return check.expressions.current!.evaluate(celActivation(object));
}

describe('compileHealthChecks', () => {
  it.each([
    "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')",
    "status.conditions.all(c, c.status == 'True')",
    "status.conditions.filter(c, c.type == 'Ready').size() == 1",
    'has(status.phase)',
    "status.?phase.orValue('') == 'Running'",
    "metadata['name'] == 'w' && status.conditions[0].reason == 'Done'",
    'spec.replicas == status.readyReplicas',
    'status.phase', // dyn: only known to be a bool (or not) at run time
    "status.phase == 'Running' ||\n  status.phase == 'Succeeded'",
  ])('accepts %s', (source) => {
    expect(problems([widget({ current: source, failed: source, inProgress: source })])).toEqual([]);
  });

  it.each<[string, Partial<HealthCheck>, string]>([
    [
      'a syntax error, with its position',
      { current: 'status.ready ==' },
      'healthChecks[0].current: line 1, column 16: Unexpected token: EOF',
    ],
    [
      'an unbalanced parenthesis on a later line',
      { failed: "status.conditions.exists(c,\n  c.type == 'Failed' &&)" },
      'healthChecks[0].failed: line 2, column 24: Unexpected token: RPAREN',
    ],
    [
      'a type error',
      { inProgress: "'a' + 1 == 'a1'" },
      'healthChecks[0].inProgress: line 1, column 1: no such overload: string + int',
    ],
    [
      'an expression that is never a bool',
      { current: "'Ready'" },
      'healthChecks[0].current: must evaluate to a bool, not string',
    ],
  ])('refuses %s', (_case, expressions, message) => {
    expect(problems([widget(expressions)])).toEqual([message]);
  });

  it('names every bad expression of every rule', () => {
    expect(
      problems([widget({}), { apiVersion: 'v1', kind: 'Thing', current: '(', failed: 'true &&' }]),
    ).toEqual([
      'healthChecks[1].failed: line 1, column 8: Unexpected token: EOF',
      'healthChecks[1].current: line 1, column 2: Unexpected token: EOF',
    ]);
  });

  it('refuses a second rule for the same group and kind, whatever its version', () => {
    expect(problems([widget({}), { ...widget({}), apiVersion: 'example.com/v2' }])).toEqual([
      'healthChecks[1].kind: healthChecks[0] already judges example.com/Widget; one rule per group and kind',
    ]);
  });

  it('keys rules by group and kind', () => {
    const checks = compiled([widget({}), { apiVersion: 'v1', kind: 'ConfigMap', current: 'true' }]);
    expect([...checks.keys()]).toEqual(['example.com/Widget', '/ConfigMap']);
    expect(groupKindKey('example.com/v1beta1', 'Widget')).toBe('example.com/Widget');
    expect(checks.get('/ConfigMap')?.index).toBe(1);
  });
});

describe('evaluating a compiled expression', () => {
  it.each<[string, boolean]>([
    ["status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')", true],
    ["status.conditions.exists(c, c.type == 'Stalled')", false],
    // JSON integers are CEL ints: arithmetic and conversions work as against the API server's int64.
    ['spec.replicas + 0 == status.readyReplicas', true],
    ["string(spec.replicas) == '3'", true],
    ['status.ratio < 1.0', true],
    ['has(status.phase) && !has(status.message)', true],
    ["status.?message.orValue('none') == 'none'", true],
  ])('%s → %s', (source, value) => {
    expect(evaluate(source)).toEqual({ ok: true, value });
  });

  it.each<[string, string]>([
    ["status.message == 'x'", 'line 1, column 8: No such key: message'],
    [
      'status.conditions[3].type == "Ready"',
      'line 1, column 1: No such key: index out of bounds, index 3 >= size 1',
    ],
    ['nosuch == 1', 'line 1, column 1: Unknown variable: nosuch'],
    ['status.phase', 'evaluated to a string, not a bool'],
  ])('reports an evaluation error: %s', (source, message) => {
    expect(evaluate(source)).toEqual({ ok: false, message });
  });

  it.each<[string, boolean]>([
    ['has(status.conditions)', false],
    ["status.?conditions.orValue([]).exists(c, c.type == 'Ready')", false],
    ['size(spec) == 0', true],
  ])('reads absent spec and status as empty maps: %s → %s', (source, value) => {
    expect(
      evaluate(source, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    ).toEqual({
      ok: true,
      value,
    });
  });

  it('still reports other absent top-level fields', () => {
    expect(evaluate('data.a == "1"', { apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual({
      ok: false,
      message: 'line 1, column 1: Unknown variable: data',
    });
  });
});
