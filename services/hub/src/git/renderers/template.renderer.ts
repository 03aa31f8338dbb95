import {
  checkTemplates,
  type RenderContext,
  RenderError,
  renderManifests,
  type SourceFile,
} from '../render.js';
import {
  type Renderer,
  type RenderInput,
  type RenderProblem,
  type RenderResult,
  type RevisionSource,
} from './renderer.js';

const YAML_FILE = /\.ya?ml$/i;

/**
 * `${cluster.name}`, `${cluster.labels.<key>}` and `${values.<key>}` substituted into every
 * `*.yaml` / `*.yml` file under the path (`render.ts` does the work); other files are ignored.
 */
export const templateRenderer: Renderer = {
  kind: 'template',
  remembered: false,

  /** Plain YAML is the fallback: it claims any source the other renderers do not. */
  detects(): boolean {
    return true;
  },

  check(source: RevisionSource): RenderProblem[] {
    const templates = yamlTemplates(source);
    const problems: RenderProblem[] = checkTemplates(templates).map((message) => ({
      code: 'invalid-source',
      message,
    }));
    if (templates.length === 0) {
      problems.push({
        code: 'no-manifests',
        message: `no *.yaml or *.yml files under "${source.root || '.'}"`,
      });
    }
    return problems;
  },

  cacheInputs(input: RenderInput): unknown {
    return { cluster: input.cluster, values: input.values };
  },

  render(source: RevisionSource, input: RenderInput): Promise<RenderResult> {
    return Promise.resolve(renderTemplates(source, { cluster: input.cluster, values: input.values }));
  },
};

/** Synchronous, pure: the template renderer needs no tool. */
export function renderTemplates(source: RevisionSource, context: RenderContext): RenderResult {
  try {
    return { ok: true, manifests: renderManifests(yamlTemplates(source), context) };
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    return { ok: false, problem: { code: 'render-failed', message: error.message } };
  }
}

/**
 * The YAML files as UTF-8 text (invalid bytes become U+FFFD, as the mirror decoded them before),
 * ordered by path as JavaScript compares strings: the order documents appear in a bundle, and so
 * part of its digest.
 */
function yamlTemplates(source: RevisionSource): SourceFile[] {
  const decoder = new TextDecoder('utf-8');
  return source.files
    .filter((file) => YAML_FILE.test(file.path))
    .map((file) => ({ path: file.path, content: decoder.decode(file.content) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
