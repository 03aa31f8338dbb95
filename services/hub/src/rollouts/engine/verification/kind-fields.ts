import { compileCondition } from '@fleetwave/contracts';
import {
  type CheckBase,
  type CohortComparison,
  type HttpCheck,
  intField,
  type JobCheck,
  isRecord,
  type PrometheusCheck,
  type ThresholdOp,
} from './checks.js';
import {
  CLUSTER_PLACEHOLDERS,
  CLUSTER_PLACEHOLDERS_SPELLED,
  COHORT_CLUSTERS,
  templateProblems,
  WAVE_CLUSTERS,
} from './placeholders.js';

/** The plan fields of each check kind, read when the plan is saved (the kinds run in rollouts/verification/kinds/). Pure. */

const METHODS = new Set(['GET', 'HEAD', 'POST']);
const OPS = new Set<ThresholdOp>(['<', '<=', '>', '>=', '==']);
const DIRECTIONS = new Set(['lowerIsBetter', 'higherIsBetter']);
const PERCENT_RE = /^(\d+(\.\d+)?)%$/;
const MAX_QUERY_LENGTH = 4096;

export function parseHttpCheck(
  raw: Record<string, unknown>,
  base: CheckBase,
  path: string,
  errors: string[],
): HttpCheck | undefined {
  const before = errors.length;
  const method = raw['method'] ?? 'GET';
  if (typeof method !== 'string' || !METHODS.has(method)) {
    errors.push(`${path}.method: must be one of ${[...METHODS].join(', ')}`);
  }
  const url = raw['url'];
  if (typeof url !== 'string' || url.trim() === '') {
    errors.push(
      `${path}.url: must be an http(s) URL such as "https://\${cluster.name}.example.test/healthz"`,
    );
  } else {
    urlProblems(url).forEach((problem) => errors.push(`${path}.url: ${problem}`));
  }
  const expectedStatus = intField(raw, 'expectedStatus', 200, 100, 599, path, errors);
  const condition = raw['condition'];
  if (condition !== undefined) {
    if (typeof condition !== 'string' || condition.trim() === '') {
      errors.push(
        `${path}.condition: must be a CEL expression over status and body, such as "body.ready == true"`,
      );
    } else {
      const compiled = compileCondition(condition);
      if (!compiled.ok) errors.push(`${path}.condition: ${compiled.message}`);
    }
  }
  if (errors.length > before) return undefined;
  const check: HttpCheck = {
    ...base,
    kind: 'http',
    method: method as HttpCheck['method'],
    url: url as string,
    expectedStatus,
  };
  if (typeof condition === 'string') check.condition = condition;
  return check;
}

/** The URL's placeholders and shape, checked with a sample cluster standing in. */
export function urlProblems(url: string): string[] {
  const problems = templateProblems(url, CLUSTER_PLACEHOLDERS, CLUSTER_PLACEHOLDERS_SPELLED);
  if (problems.length > 0) return problems;
  const sample = url.replace(/\$\{[^}]*\}/g, 'x');
  let parsed: URL;
  try {
    parsed = new URL(sample);
  } catch {
    return ['is not a valid URL'];
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return ['must be an http or https URL'];
  return [];
}

export function parsePrometheusCheck(
  raw: Record<string, unknown>,
  base: CheckBase,
  path: string,
  errors: string[],
): PrometheusCheck | undefined {
  const before = errors.length;
  const query = raw['query'];
  const compare = parseCompare(raw['compare'], `${path}.compare`, errors);
  if (typeof query !== 'string' || query.trim() === '') {
    errors.push(`${path}.query: must be a non-empty PromQL query`);
  } else if (query.length > MAX_QUERY_LENGTH) {
    errors.push(`${path}.query: at most ${MAX_QUERY_LENGTH} characters`);
  } else {
    const allowed = raw['compare'] === undefined ? [WAVE_CLUSTERS] : [WAVE_CLUSTERS, COHORT_CLUSTERS];
    const spelled =
      raw['compare'] === undefined ? '${wave.clusters}' : '${wave.clusters} or ${cohort.clusters}';
    templateProblems(query, allowed, spelled).forEach((p) => errors.push(`${path}.query: ${p}`));
    if (compare !== undefined && !/\$\{\s*cohort\.clusters\s*\}/.test(query)) {
      errors.push(`${path}.query: a comparison needs \${cohort.clusters} in the query to select each cohort`);
    }
  }
  const threshold = parseThreshold(raw['threshold'], `${path}.threshold`, errors);
  if (raw['threshold'] === undefined && raw['compare'] === undefined) {
    errors.push(`${path}: needs a threshold ({ op: "<", value: 0.05 }) or a compare`);
  } else if (raw['threshold'] !== undefined && raw['compare'] !== undefined) {
    errors.push(`${path}: threshold and compare are exclusive`);
  }
  if (errors.length > before) return undefined;
  const check: PrometheusCheck = { ...base, kind: 'prometheus', query: query as string };
  if (threshold !== undefined) check.threshold = threshold;
  if (compare !== undefined) check.compare = compare;
  return check;
}

function parseThreshold(raw: unknown, path: string, errors: string[]): PrometheusCheck['threshold'] {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    errors.push(`${path}: must be an object such as { op: "<", value: 0.05 }`);
    return undefined;
  }
  const op = raw['op'];
  const value = raw['value'];
  const before = errors.length;
  if (typeof op !== 'string' || !OPS.has(op as ThresholdOp))
    errors.push(`${path}.op: must be one of < <= > >= ==`);
  if (typeof value !== 'number' || !Number.isFinite(value)) errors.push(`${path}.value: must be a number`);
  for (const key of Object.keys(raw))
    if (key !== 'op' && key !== 'value') errors.push(`${path}: unknown field "${key}"`);
  return errors.length > before ? undefined : { op: op as ThresholdOp, value: value as number };
}

function parseCompare(raw: unknown, path: string, errors: string[]): CohortComparison | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw)) {
    errors.push(`${path}: must be an object such as { maxWorseBy: "10%", direction: "lowerIsBetter" }`);
    return undefined;
  }
  const before = errors.length;
  const maxWorseBy = raw['maxWorseBy'];
  const percent = typeof maxWorseBy === 'string' ? PERCENT_RE.exec(maxWorseBy.trim()) : null;
  if (!(
    (typeof maxWorseBy === 'number' && Number.isFinite(maxWorseBy) && maxWorseBy >= 0) ||
    percent !== null
  )) {
    errors.push(`${path}.maxWorseBy: must be a number of at least 0 or a percentage such as "10%"`);
  }
  const direction = raw['direction'];
  if (typeof direction !== 'string' || !DIRECTIONS.has(direction)) {
    errors.push(`${path}.direction: must be lowerIsBetter or higherIsBetter`);
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'maxWorseBy' && key !== 'direction') errors.push(`${path}: unknown field "${key}"`);
  }
  if (errors.length > before) return undefined;
  return {
    maxWorseBy: percent !== null ? (`${Number(percent[1])}%` as const) : (maxWorseBy as number),
    direction: direction as CohortComparison['direction'],
  };
}

const MAX_JOB_ARGUMENTS = 64;
const MAX_JOB_ARGUMENT_LENGTH = 4096;
/** A Job check's default per-attempt limit: a pod must be scheduled, pull its image and run. */
export const JOB_DEFAULT_TIMEOUT_SECONDS = 120;

export function parseJobCheck(
  raw: Record<string, unknown>,
  base: CheckBase,
  path: string,
  errors: string[],
): JobCheck | undefined {
  const before = errors.length;
  // The base default (10 s) suits a request; a Job needs longer unless the plan says otherwise.
  const timeoutSeconds =
    raw['timeoutSeconds'] === undefined ? JOB_DEFAULT_TIMEOUT_SECONDS : base.timeoutSeconds;
  if (raw['manifest'] !== undefined) {
    const given = ['image', 'command', 'args'].filter((key) => raw[key] !== undefined);
    if (given.length > 0) {
      errors.push(`${path}: give either manifest or image (with command, args), not ${given.join(', ')} too`);
    }
    const problem = manifestPathProblem(raw['manifest']);
    if (problem !== undefined) errors.push(`${path}.manifest: ${problem}`);
    if (errors.length > before) return undefined;
    return { ...base, timeoutSeconds, kind: 'job', manifest: raw['manifest'] as string };
  }
  const image = raw['image'];
  if (typeof image !== 'string' || image.trim() === '' || image.length > 512) {
    errors.push(
      `${path}.image: must be a container image such as "busybox:1.36" (at most 512 characters), ` +
        'unless manifest names a Job manifest in the repository',
    );
  } else {
    templateProblems(image, CLUSTER_PLACEHOLDERS, CLUSTER_PLACEHOLDERS_SPELLED).forEach((p) =>
      errors.push(`${path}.image: ${p}`),
    );
  }
  const command = stringList(raw['command'], `${path}.command`, errors);
  const args = stringList(raw['args'], `${path}.args`, errors);
  if (errors.length > before) return undefined;
  return { ...base, timeoutSeconds, kind: 'job', image: image as string, command, args };
}

const MAX_MANIFEST_PATH = 512;
const MANIFEST_EXTENSION = /\.ya?ml$/;

/**
 * What is wrong with a Job manifest's path (relative to the repository's root, read at the
 * rollout's commit), or undefined. Pure.
 */
export function manifestPathProblem(raw: unknown): string | undefined {
  const usage = 'must be the path of a YAML file in the repository such as "checks/smoke.yaml"';
  if (typeof raw !== 'string' || raw === '' || raw.length > MAX_MANIFEST_PATH) {
    return `${usage} (at most ${MAX_MANIFEST_PATH} characters)`;
  }
  if (raw.startsWith('/') || raw.includes('\\')) return `${usage}, relative to its root with '/'`;
  if (raw.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return `${usage}, without empty, . or .. segments`;
  }
  if (!MANIFEST_EXTENSION.test(raw)) return `${usage} (.yaml or .yml)`;
  return undefined;
}

function stringList(raw: unknown, path: string, errors: string[]): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) {
    errors.push(`${path}: must be a list of strings such as ["sh", "-c", "wget -qO- http://web/healthz"]`);
    return [];
  }
  const list = raw as string[];
  if (list.length > MAX_JOB_ARGUMENTS) errors.push(`${path}: at most ${MAX_JOB_ARGUMENTS} entries`);
  list.forEach((value, index) => {
    if (value.length > MAX_JOB_ARGUMENT_LENGTH)
      errors.push(`${path}[${index}]: at most ${MAX_JOB_ARGUMENT_LENGTH} characters`);
    templateProblems(value, CLUSTER_PLACEHOLDERS, CLUSTER_PLACEHOLDERS_SPELLED).forEach((p) =>
      errors.push(`${path}[${index}]: ${p}`),
    );
  });
  return list;
}
