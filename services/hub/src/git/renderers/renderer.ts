import { type ArtifactFile } from '../artifact.js';
import { type RenderContext } from '../render.js';

/** What a renderer reads: every file under the application's path at one commit. */
export interface RevisionSource {
  /** The application's path ('' is the repository root); file paths include it. */
  root: string;
  files: readonly ArtifactFile[];
}

/**
 * Stable, machine-readable reasons a source cannot be used. Messages are for people and may change;
 * codes are what callers and tests branch on.
 */
export type RenderErrorCode =
  /** Nothing under the path that this renderer renders. */
  | 'no-manifests'
  /** The source is wrong whatever the cluster (syntax, unknown placeholders). */
  | 'invalid-source'
  /** The source does not render for this cluster (a missing label or value, an invalid object). */
  | 'render-failed'
  /** It renders no object for this cluster, and the application does not allow an empty bundle. */
  | 'empty-bundle';

export interface RenderProblem {
  code: RenderErrorCode;
  /** For the person who wrote the source: `file:line: what` where a line is known. */
  message: string;
}

export type RenderResult = { ok: true; manifests: string } | { ok: false; problem: RenderProblem };

/**
 * Turns a revision's source into one cluster's manifests. Implementations are pure (no I/O, no
 * clock): the same source, cluster and values give the same manifests, so a bundle's digest is a
 * content address. Adding a kind (Helm, Kustomize) is one file beside this one and one line in the
 * registry (`index.ts`).
 */
export interface Renderer {
  /** What an application's `renderer` column names. */
  readonly kind: string;
  /** Problems found before any cluster is known; recorded on the revision, which never rolls out if any. */
  check(source: RevisionSource): RenderProblem[];
  /** One multi-document YAML stream for this cluster and its values. */
  render(source: RevisionSource, context: RenderContext): RenderResult;
}

/**
 * A rendered bundle with no object would delete everything the application runs on the cluster:
 * refused unless the application allows it (`allowEmpty`), whatever the renderer. Pure.
 */
export function emptyBundleProblem(manifests: string, allowEmpty: boolean): RenderProblem | null {
  if (allowEmpty || !isEmptyStream(manifests)) return null;
  return {
    code: 'empty-bundle',
    message:
      'renders no object (an empty bundle would remove the application from the cluster; set allowEmpty on the application to allow it)',
  };
}

/** No YAML document with content: only blank lines, comments and `---` / `...` markers. */
function isEmptyStream(manifests: string): boolean {
  return manifests
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('#') || line === '---' || line === '...');
}
