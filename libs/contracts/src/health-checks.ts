import { Environment } from '@marcbachmann/cel-js';
import { z } from 'zod';

/**
 * Custom health rules for kinds kstatus cannot judge, as CEL expressions over the live object (the
 * shape and semantics of Flux kustomize-controller's `healthCheckExprs`). The hub compiles them when
 * an application is saved and refuses a bad one; the agent compiles them again (same library, same
 * environment: this module) and evaluates them. The object's top-level fields are the variables:
 * `status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')`.
 */
export const MAX_HEALTH_CHECKS = 50;
export const MAX_HEALTH_EXPRESSION_LENGTH = 4096;

/** Flux's order: the first expression that is true decides; none true → InProgress. */
export const HEALTH_EXPRESSION_FIELDS = ['inProgress', 'failed', 'current'] as const;
export type HealthExpressionField = (typeof HEALTH_EXPRESSION_FIELDS)[number];

const API_VERSION = /^(?:[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?\/)?[a-z0-9]+$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

// Not trimmed: positions in errors count from what the operator wrote.
const ExpressionSchema = z.string().max(MAX_HEALTH_EXPRESSION_LENGTH).regex(/\S/, 'must not be empty');

/** One rule: objects of this apiVersion's group and this kind are judged by its expressions. */
export const HealthCheckSchema = z.object({
  apiVersion: z.string().max(253).regex(API_VERSION, 'must be an apiVersion: version or group/version'),
  kind: z.string().max(63).regex(KIND, 'must be a Kind: letters and digits, starting with a letter'),
  /** True when the object is healthy. Required, as in Flux. */
  current: ExpressionSchema,
  failed: ExpressionSchema.optional(),
  inProgress: ExpressionSchema.optional(),
});
export type HealthCheck = z.infer<typeof HealthCheckSchema>;

export const HealthChecksSchema = z.array(HealthCheckSchema).max(MAX_HEALTH_CHECKS);

/** Why a rule cannot be used, with where (1-based line and column) when the library says. */
export interface HealthCheckProblem {
  index: number;
  field: 'kind' | HealthExpressionField;
  message: string;
  line?: number;
  column?: number;
}

/** What the agent feeds expressions: the object with integers as CEL ints (JSON has only doubles). */
declare const celBrand: unique symbol;
export type CelActivation = Record<string, unknown> & { readonly [celBrand]: true };

export type ExpressionResult = { ok: true; value: boolean } | { ok: false; message: string };

export interface CompiledExpression {
  source: string;
  evaluate(activation: CelActivation): ExpressionResult;
}

export interface CompiledHealthCheck {
  /** Its position in the application's list: how messages name it (`healthChecks[2]`). */
  index: number;
  apiVersion: string;
  kind: string;
  expressions: Partial<Record<HealthExpressionField, CompiledExpression>>;
}

/** Compiled rules by {@link groupKindKey}: at most one per group and kind. */
export type CompiledHealthChecks = ReadonlyMap<string, CompiledHealthCheck>;

export type CompileHealthChecksResult =
  { ok: true; checks: CompiledHealthChecks } | { ok: false; problems: HealthCheckProblem[] };

// Flux's environment, as far as the library goes: optional field access (`status.?phase`) and
// homogeneous literals; any top-level name is a variable of dynamic type (a field of the object).
const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });

/**
 * A rule matches by group and kind, not version, as Flux does: the same resource read at another
 * version is judged by the same rule.
 */
export function groupKindKey(apiVersion: string, kind: string): string {
  const slash = apiVersion.indexOf('/');
  return `${slash < 0 ? '' : apiVersion.slice(0, slash)}/${kind}`;
}

/**
 * Parses and type-checks every expression. Refused: a syntax error, an expression that cannot be a
 * bool (`'a' + 1`, `status.phase`… is fine: its type is only known at run time), and a second rule
 * for a group and kind (Flux would silently ignore it).
 */
export function compileHealthChecks(checks: readonly HealthCheck[]): CompileHealthChecksResult {
  const problems: HealthCheckProblem[] = [];
  const compiled = new Map<string, CompiledHealthCheck>();
  checks.forEach((check, index) => {
    const expressions: CompiledHealthCheck['expressions'] = {};
    for (const field of HEALTH_EXPRESSION_FIELDS) {
      const source = check[field];
      if (source === undefined) continue;
      const result = compileExpression(source);
      if ('problem' in result) problems.push({ index, field, ...result.problem });
      else expressions[field] = result.expression;
    }
    const key = groupKindKey(check.apiVersion, check.kind);
    const earlier = compiled.get(key);
    if (earlier !== undefined) {
      problems.push({
        index,
        field: 'kind',
        message: `healthChecks[${earlier.index}] already judges ${describeGroupKind(check)}; one rule per group and kind`,
      });
      return;
    }
    compiled.set(key, { index, apiVersion: check.apiVersion, kind: check.kind, expressions });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, checks: compiled };
}

/** `healthChecks[0].current: line 1, column 5: Unexpected token: EOF`. */
export function describeHealthCheckProblem(problem: HealthCheckProblem): string {
  return `healthChecks[${problem.index}].${problem.field}: ${problemDetail(problem)}`;
}

/** The problem's position and message, without the rule and field. */
export function problemDetail(problem: Pick<HealthCheckProblem, 'message' | 'line' | 'column'>): string {
  return problem.line === undefined
    ? problem.message
    : `line ${problem.line}, column ${problem.column}: ${problem.message}`;
}

/** `example.com/Widget`, or `Widget` for the core group. */
export function describeGroupKind(check: { apiVersion: string; kind: string }): string {
  const key = groupKindKey(check.apiVersion, check.kind);
  return key.startsWith('/') ? key.slice(1) : key;
}

/**
 * The object as CEL sees it: integers become CEL ints (BigInt), so `status.replicas + 1` and
 * `string(status.replicas)` behave as with the Kubernetes API's int64 fields; other numbers stay doubles.
 * `metadata`, `spec` and `status` are empty maps when absent (our addition to Flux, where a resource
 * no controller has written a status for makes every expression an error): the API server omits an
 * empty status, and the guards the docs recommend (`has(status.x)`, `status.?x`) then just work.
 */
export function celActivation(object: Record<string, unknown>): CelActivation {
  const activation = toCel(object) as Record<string, unknown>;
  for (const field of ALWAYS_PRESENT) activation[field] ??= {};
  return activation as CelActivation;
}

const ALWAYS_PRESENT = ['metadata', 'spec', 'status'] as const;

function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) out[key] = toCel(entry);
    return out;
  }
  return value;
}

/**
 * One CEL condition outside a health rule (a verification check's body condition): the same
 * environment, parsed and type-checked now, evaluated later with {@link celActivation}-style values.
 */
export function compileCondition(
  source: string,
): { ok: true; expression: CompiledExpression } | { ok: false; message: string } {
  const result = compileExpression(source);
  if ('problem' in result) return { ok: false, message: problemDetail(result.problem) };
  return { ok: true, expression: result.expression };
}

/** A JSON value as CEL sees it (integers as CEL ints), for {@link compileCondition}'s expressions. */
export function celValues(values: Record<string, unknown>): CelActivation {
  return toCel(values) as CelActivation;
}

function compileExpression(
  source: string,
): { expression: CompiledExpression } | { problem: Omit<HealthCheckProblem, 'index' | 'field'> } {
  let program: ReturnType<Environment['parse']>;
  try {
    program = env.parse(source);
  } catch (error) {
    return { problem: celProblem(source, error) };
  }
  const checked = program.check();
  if (!checked.valid) return { problem: celProblem(source, checked.error) };
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    return { problem: { message: `must evaluate to a bool, not ${checked.type}` } };
  }
  return {
    expression: {
      source,
      evaluate(activation) {
        let value: unknown;
        try {
          value = program(activation);
        } catch (error) {
          return { ok: false, message: problemDetail(celProblem(source, error)) };
        }
        if (typeof value !== 'boolean')
          return { ok: false, message: `evaluated to ${typeName(value)}, not a bool` };
        return { ok: true, value };
      },
    },
  };
}

/** The library's summary and the 1-based line and column of where its range starts. */
function celProblem(source: string, error: unknown): Omit<HealthCheckProblem, 'index' | 'field'> {
  if (!(error instanceof Error)) return { message: String(error) };
  const detail = error as Error & { summary?: unknown; range?: { start?: unknown } };
  const message = typeof detail.summary === 'string' ? detail.summary : error.message;
  const start = detail.range?.start;
  if (typeof start !== 'number') return { message };
  return { message, ...lineAndColumn(source, start) };
}

function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'bigint') return 'an int';
  if (typeof value === 'number') return 'a double';
  if (typeof value === 'string') return 'a string';
  return typeof value === 'object' ? 'a map' : typeof value;
}
