import { type ArtifactFile } from '../artifact.js';
import { type ToolRunner } from '../sandbox/index.js';

/** What a renderer reads: every file under the application's path at one commit. */
export interface RevisionSource {
  /** The application's path ('' is the repository root); file paths include it. */
  root: string;
  files: readonly ArtifactFile[];
}

/** A structured value, as YAML or JSON can write it. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
export type Values = { [key: string]: Value };

/** Everything one cluster's render may depend on. */
export interface RenderInput {
  cluster: { name: string; labels: Readonly<Record<string, string>> };
  /** The merged values for this cluster (`values.ts`), `${cluster.*}` already substituted in strings. */
  values: Readonly<Values>;
  /** The cluster's reported Kubernetes version (`v1.31.2`), null when it reported none. */
  kubeVersion: string | null;
  /** The application's name (Helm's release name unless set) and default namespace. */
  application: { name: string; namespace: string | null };
  /** The application's Helm settings (`helm` renderer only). */
  helm: HelmSettings;
}

/** How a chart is rendered; stored on the application. */
export interface HelmSettings {
  /** Defaults to the application's name. */
  releaseName: string | null;
  /** CRDs from the chart's `crds/` folder go into the bundle (`--include-crds`); default true. */
  includeCRDs: boolean;
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
  /** The source does not render for this cluster (a missing label or value, a failing tool, an invalid object). */
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
 * Turns a revision's source into one cluster's manifests. The output depends only on the source and
 * on what {@link cacheInputs} returns (no clock, no network beyond the tool's declared inputs), so a
 * bundle's digest is a content address and one render serves every cluster with equal inputs: the
 * rollout factory renders once per distinct `(source, kind, cacheInputs)` and remembers the result
 * across rollouts, replicas and restarts. Adding a kind is one file beside this one and one line in
 * the registry (`index.ts`).
 */
export interface Renderer {
  /** What an application's `renderer` setting names. */
  readonly kind: string;
  /**
   * Whether a render is worth remembering beyond one call (a child process: yes; a pure in-memory
   * substitution: no, storing it would cost more than doing it again).
   */
  readonly remembered: boolean;
  /** Whether the source looks like this renderer's (`renderer: auto` picks the first that does). */
  detects(source: RevisionSource): boolean;
  /** Problems found before any cluster is known; recorded on the revision, which never rolls out if any. */
  check(source: RevisionSource): RenderProblem[];
  /** The part of the input the output depends on: equal inputs, equal manifests. JSON-serialisable. */
  cacheInputs(input: RenderInput): unknown;
  /** One multi-document YAML stream. Child processes run only through `tools` (the render sandbox). */
  render(source: RevisionSource, input: RenderInput, tools: ToolRunner): Promise<RenderResult>;
  /**
   * A pure per-cluster pass over a (shared, cached) render, for what {@link cacheInputs} leaves out:
   * Kustomize builds once and substitutes `${cluster.*}` per cluster here.
   */
  finish?(manifests: string, input: RenderInput): RenderResult;
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
