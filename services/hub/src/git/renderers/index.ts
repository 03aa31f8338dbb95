import { type Renderer } from './renderer.js';
import { templateRenderer } from './template.renderer.js';

export type { Renderer, RenderErrorCode, RenderProblem, RenderResult, RevisionSource } from './renderer.js';
export { emptyBundleProblem } from './renderer.js';

/** Every renderer by kind. A new kind is one file in this folder and one line here. */
const RENDERERS: ReadonlyMap<string, Renderer> = new Map(
  [templateRenderer].map((renderer) => [renderer.kind, renderer]),
);

/** The kind an application gets unless it names another: today's template substitution. */
export const DEFAULT_RENDERER_KIND = templateRenderer.kind;

export const RENDERER_KINDS: readonly string[] = [...RENDERERS.keys()];

/** The renderer of `kind`. The column defaults to a known kind and nothing else writes it yet: an unknown one is a bug. */
export function rendererFor(kind: string): Renderer {
  const renderer = RENDERERS.get(kind);
  if (renderer === undefined) throw new Error(`no renderer of kind "${kind}"`);
  return renderer;
}
