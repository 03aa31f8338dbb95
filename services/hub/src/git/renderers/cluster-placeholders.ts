import { type Document, isScalar, parseAllDocuments, visit } from 'yaml';
import { MissingLabel, substituteCluster } from '../values.js';
import { type RenderInput, type RenderResult } from './renderer.js';

/** Separators are written between documents; never fold long lines. */
const TO_STRING = { directives: false, lineWidth: 0 } as const;

/**
 * `${cluster.name}` and `${cluster.labels.<key>}` (and `$${` for a literal `${`) substituted in
 * every string of a rendered stream, for a tool's output that is shared by all clusters and
 * finished per cluster. Substitution is on parsed scalars, not on text, so a label value can never
 * change a document's shape: a value that would read as another type (`"123"`, `"true"`) or needs
 * quoting is quoted. A stream without `${` is returned as it is. A missing label is `render-failed`
 * naming the object and the label. Pure.
 */
export function substituteClusterInStream(manifests: string, cluster: RenderInput['cluster']): RenderResult {
  if (!manifests.includes('${')) return { ok: true, manifests };
  const documents: string[] = [];
  for (const document of parseAllDocuments(manifests, { prettyErrors: false })) {
    const [syntaxError] = document.errors;
    if (syntaxError) return failed(`the rendered output is not YAML: ${syntaxError.message}`);
    if (document.contents === null) continue;
    try {
      visit(document, {
        Scalar(_key, node) {
          if (typeof node.value === 'string' && node.value.includes('${')) {
            node.value = substituteCluster(node.value, cluster);
          }
        },
      });
    } catch (error) {
      if (!(error instanceof MissingLabel)) throw error;
      return failed(`${objectName(document)}: ${error.message}`);
    }
    documents.push(document.toString(TO_STRING));
  }
  return { ok: true, manifests: documents.join('---\n') };
}

function failed(message: string): RenderResult {
  return { ok: false, problem: { code: 'render-failed', message } };
}

/** `Kind/name` of a rendered object, for messages. */
function objectName(document: Document.Parsed): string {
  const text = (node: unknown) => (isScalar(node) ? String(node.value) : '?');
  return `${text(document.get('kind', true))}/${text(document.getIn(['metadata', 'name'], true))}`;
}
