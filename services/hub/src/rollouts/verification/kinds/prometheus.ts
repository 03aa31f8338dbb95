import { type CohortComparison, isRecord, type PrometheusCheck, type ThresholdOp } from '../checks.js';
import { comparisonVerdict, type Sample, thresholdVerdict } from '../evaluate.js';
import { COHORT_CLUSTERS, maskUrl, promQuery, templateProblems, WAVE_CLUSTERS } from '../template.js';
import { type CheckKindDefinition, errorMessage, type RunContext } from './kind.js';

const OPS = new Set<ThresholdOp>(['<', '<=', '>', '>=', '==']);
const DIRECTIONS = new Set(['lowerIsBetter', 'higherIsBetter']);
const PERCENT_RE = /^(\d+(\.\d+)?)%$/;
const MAX_QUERY_LENGTH = 4096;

/**
 * `prometheus`: an instant query against HUB_PROMETHEUS_URL, once per wave. With `threshold`, every
 * sample must satisfy it; with `compare`, the query runs for the updated and the not-yet-updated
 * clusters (`${cohort.clusters}`) and the updated cohort may be worse by at most the margin.
 */
export const prometheusKind: CheckKindDefinition<PrometheusCheck> = {
  kind: 'prometheus',
  fields: ['query', 'threshold', 'compare'],
  parse(raw, base, path, errors) {
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
        errors.push(
          `${path}.query: a comparison needs \${cohort.clusters} in the query to select each cohort`,
        );
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
  },
  targets: (check) => [{ name: check.compare === undefined ? 'wave' : 'updated-vs-baseline' }],
  async run(check, _target, context, signal) {
    if (context.prometheusUrl === null) {
      return { result: 'error', message: 'no Prometheus configured (HUB_PROMETHEUS_URL)' };
    }
    const waveNames = context.waveClusters.map((c) => c.name);
    try {
      if (check.compare === undefined) {
        const samples = await instantQuery(context, promQuery(check.query, { wave: waveNames }), signal);
        return thresholdVerdict(samples, check.threshold!.op, check.threshold!.value);
      }
      if (context.baseline.length === 0) {
        return { result: 'passed', message: 'no clusters left to compare with: every cluster is updated' };
      }
      const updated = await instantQuery(
        context,
        promQuery(check.query, { wave: waveNames, cohort: context.updated }),
        signal,
      );
      const baseline = await instantQuery(
        context,
        promQuery(check.query, { wave: waveNames, cohort: context.baseline }),
        signal,
      );
      return comparisonVerdict(updated, baseline, check.compare);
    } catch (error) {
      return { result: 'error', message: errorMessage(error, signal, check.timeoutSeconds) };
    }
  },
};

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

/** GET /api/v1/query; a scalar or an instant vector as samples, anything else an error. */
async function instantQuery(context: RunContext, query: string, signal: AbortSignal): Promise<Sample[]> {
  const base = context.prometheusUrl!.replace(/\/+$/, '');
  const response = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query })}`, { signal });
  const text = await response.text();
  return parseQueryResponse(response.status, text, maskUrl(base));
}

/** Prometheus's query API answer as samples; throws with Prometheus's own error. Pure. */
export function parseQueryResponse(status: number, text: string, where: string): Sample[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${where}: status ${status}, not a Prometheus API answer`);
  }
  if (!isRecord(body) || body['status'] !== 'success') {
    const error = isRecord(body) && typeof body['error'] === 'string' ? body['error'] : `status ${status}`;
    throw new Error(`Prometheus: ${error}`);
  }
  const data = body['data'];
  if (!isRecord(data)) throw new Error('Prometheus: answer without data');
  const value = (pair: unknown): number => Number(Array.isArray(pair) ? pair[1] : NaN);
  switch (data['resultType']) {
    case 'scalar':
      return [{ labels: {}, value: value(data['result']) }];
    case 'vector':
      return (Array.isArray(data['result']) ? data['result'] : []).map((entry: unknown) => ({
        labels:
          isRecord(entry) && isRecord(entry['metric']) ? (entry['metric'] as Record<string, string>) : {},
        value: value(isRecord(entry) ? entry['value'] : undefined),
      }));
    default:
      throw new Error(
        `Prometheus: a ${String(data['resultType'])} result; use an instant vector or a scalar`,
      );
  }
}
