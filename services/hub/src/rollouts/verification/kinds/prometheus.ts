import { isRecord, type PrometheusCheck } from '../../engine/verification/checks.js';
import { parsePrometheusCheck } from '../../engine/verification/kind-fields.js';
import { comparisonVerdict, type Sample, thresholdVerdict } from '../evaluate.js';
import { maskUrl, promQuery } from '../template.js';
import { type CheckKindDefinition, errorMessage, type RunContext } from './kind.js';

/**
 * `prometheus`: an instant query against HUB_PROMETHEUS_URL, once per wave. With `threshold`, every
 * sample must satisfy it; with `compare`, the query runs for the updated and the not-yet-updated
 * clusters (`${cohort.clusters}`) and the updated cohort may be worse by at most the margin.
 */
export const prometheusKind: CheckKindDefinition<PrometheusCheck> = {
  kind: 'prometheus',
  parse: parsePrometheusCheck,
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
