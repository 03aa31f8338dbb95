import { celValues, compileCondition } from '@fleetwave/contracts';
import { type HttpCheck } from '../../engine/verification/checks.js';
import { parseHttpCheck } from '../../engine/verification/kind-fields.js';
import { type Verdict } from '../evaluate.js';
import { clusterUrl, maskUrl, MissingLabel } from '../template.js';
import { type CheckKindDefinition, errorMessage } from './kind.js';

/** Enough of a body for a condition; a larger one is cut (and then is not JSON). */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * `http`: a request per wave cluster to a URL templated with the cluster's name and labels; passes
 * on the expected status and, when set, a CEL condition over `status` and `body`.
 */
export const httpKind: CheckKindDefinition<HttpCheck> = {
  kind: 'http',
  parse: parseHttpCheck,
  targets: (_check, context) => context.waveClusters.map((cluster) => ({ name: cluster.name, cluster })),
  async run(check, target, _context, signal) {
    let url: string;
    try {
      url = clusterUrl(check.url, target.cluster ?? { name: target.name, labels: {} });
    } catch (error) {
      if (error instanceof MissingLabel) return { result: 'error', message: error.message };
      throw error;
    }
    const shown = maskUrl(url);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: check.method, signal, redirect: 'manual' });
      text = check.condition === undefined ? '' : await readBody(response);
      if (check.condition === undefined) await response.body?.cancel();
    } catch (error) {
      return {
        result: 'error',
        message: `${check.method} ${shown}: ${errorMessage(error, signal, check.timeoutSeconds)}`,
      };
    }
    if (response.status !== check.expectedStatus) {
      return {
        result: 'failed',
        message: `${check.method} ${shown}: status ${response.status}, expected ${check.expectedStatus}`,
      };
    }
    if (check.condition === undefined) {
      return { result: 'passed', message: `${check.method} ${shown}: status ${response.status}` };
    }
    return conditionVerdict(check.condition, response.status, text, `${check.method} ${shown}`);
  },
};

/** The CEL condition over the response; a body that is not JSON is seen as its text. Pure. */
export function conditionVerdict(condition: string, status: number, text: string, what: string): Verdict {
  const compiled = compileCondition(condition);
  if (!compiled.ok) return { result: 'error', message: `condition: ${compiled.message}` };
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the condition sees the text.
  }
  const outcome = compiled.expression.evaluate(celValues({ status, body }));
  if (!outcome.ok)
    return { result: 'failed', message: `${what}: condition ${condition}: ${outcome.message}` };
  return outcome.value
    ? { result: 'passed', message: `${what}: status ${status}, ${condition}` }
    : { result: 'failed', message: `${what}: status ${status}, condition false: ${condition}` };
}

async function readBody(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
