import { helmRenderer } from './helm.renderer.js';
import { kustomizeRenderer } from './kustomize.renderer.js';
import { type Renderer, type RevisionSource } from './renderer.js';
import { templateRenderer } from './template.renderer.js';

export type {
  HelmSettings,
  Renderer,
  RenderErrorCode,
  RenderInput,
  RenderProblem,
  RenderResult,
  RevisionSource,
  Value,
  Values,
} from './renderer.js';
export { emptyBundleProblem } from './renderer.js';
export { kubeVersionFlag } from './helm.renderer.js';
export { externalReferences } from './kustomize-check.js';

/**
 * Every renderer by kind, in the order `auto` tries them (the template renderer, which takes any
 * source, last). A new kind is one file in this folder and one line here.
 */
const RENDERERS: readonly Renderer[] = [helmRenderer, kustomizeRenderer, templateRenderer];
const BY_KIND: ReadonlyMap<string, Renderer> = new Map(
  RENDERERS.map((renderer) => [renderer.kind, renderer]),
);

/** `auto`: the renderer is chosen by what the source holds (Chart.yaml, kustomization.yaml, plain YAML). */
export const AUTO_RENDERER = 'auto';

/** What an application gets unless it names a kind. */
export const DEFAULT_RENDERER_KIND = AUTO_RENDERER;

/** Every value an application's `renderer` setting may take. */
export const RENDERER_KINDS: readonly string[] = [AUTO_RENDERER, ...BY_KIND.keys()];

/**
 * The renderer of `kind` for this source (`auto`: the first that recognises it). Settings are
 * validated on save, so an unknown kind here is a bug.
 */
export function rendererFor(kind: string, source: RevisionSource): Renderer {
  if (kind === AUTO_RENDERER) return RENDERERS.find((renderer) => renderer.detects(source))!;
  const renderer = BY_KIND.get(kind);
  if (renderer === undefined) throw new Error(`no renderer of kind "${kind}"`);
  return renderer;
}
