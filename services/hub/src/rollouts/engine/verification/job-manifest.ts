import { type CheckJobManifest, CheckJobManifestSchema } from '@fleetwave/contracts';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import { CLUSTER_PLACEHOLDERS, CLUSTER_PLACEHOLDERS_SPELLED, templateProblems } from './placeholders.js';

/** A Job manifest larger than this is not a check (and would not fit the agent's poll answer). */
export const JOB_MANIFEST_MAX_BYTES = 64 * 1024;

/**
 * Reads a `job` check's manifest file: one YAML document, a `batch/v1` `Job` with a pod template,
 * whose string values use only the cluster placeholders (`${cluster.name}`,
 * `${cluster.labels.<key>}`). Returns the object, or one line saying what is wrong with it (the
 * caller names the file). Pure.
 */
export function readJobManifest(
  content: Uint8Array | string,
): { manifest: CheckJobManifest } | { problem: string } {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
  if (size > JOB_MANIFEST_MAX_BYTES) return { problem: `larger than ${JOB_MANIFEST_MAX_BYTES} bytes` };
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  // Empty documents (only comments, a trailing `---`) are no documents, as kubectl reads them.
  const documents = parseAllDocuments(text).filter(
    (doc) =>
      doc.errors.length > 0 ||
      !(doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)),
  );
  const broken = documents.find((doc) => doc.errors.length > 0);
  if (broken !== undefined) {
    return { problem: `not valid YAML: ${firstLine(broken.errors[0]?.message ?? 'parse error')}` };
  }
  if (documents.length !== 1) {
    return { problem: `must hold one YAML document (a Job), found ${documents.length}` };
  }
  const doc = documents[0]!;
  if (!isMap(doc.contents)) return { problem: 'must be a Kubernetes object (a YAML mapping)' };
  const object = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  if (object['apiVersion'] !== 'batch/v1') {
    return { problem: `apiVersion must be batch/v1, not ${JSON.stringify(object['apiVersion'] ?? null)}` };
  }
  if (object['kind'] !== 'Job')
    return { problem: `kind must be Job, not ${JSON.stringify(object['kind'] ?? null)}` };
  const parsed = CheckJobManifestSchema.safeParse(object);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    return { problem: `${at}${issue?.message ?? 'not a Job'} (a Job needs spec.template, a pod template)` };
  }
  const placeholders = placeholderProblem(parsed.data);
  return placeholders === undefined ? { manifest: parsed.data } : { problem: placeholders };
}

/**
 * The first bad `${…}` in the manifest's string values (where the hub fills in the cluster's name
 * and labels per cluster, as in an http check's URL), with where it is; `$${` is a literal `${`.
 */
function placeholderProblem(value: unknown, at = ''): string | undefined {
  if (typeof value === 'string') {
    const [problem] = templateProblems(value, CLUSTER_PLACEHOLDERS, CLUSTER_PLACEHOLDERS_SPELLED);
    return problem === undefined ? undefined : `${at === '' ? '' : `${at}: `}${problem}`;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const problem = placeholderProblem(item, `${at}[${i}]`);
      if (problem !== undefined) return problem;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const problem = placeholderProblem(item, at === '' ? key : `${at}.${key}`);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
