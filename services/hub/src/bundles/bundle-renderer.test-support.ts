import { type Renderer, type RenderInput, type RenderResult } from '../git/index.js';

/**
 * A stand-in for a tool renderer (remembered, like helm): it writes the values it was given into a
 * ConfigMap and records each call, so tests count renders without running a binary.
 */
export function helmRendererForTests(options: { fail?: string; manifests?: string } = {}): {
  renderer: Renderer;
  calls: () => RenderInput[];
} {
  const calls: RenderInput[] = [];
  const renderer: Renderer = {
    kind: 'helm',
    remembered: true,
    detects: () => true,
    check: () => [],
    cacheInputs: (input) => ({ values: input.values, kubeVersion: input.kubeVersion }),
    render(_source, input): Promise<RenderResult> {
      calls.push(input);
      if (options.fail !== undefined) {
        return Promise.resolve({ ok: false, problem: { code: 'render-failed', message: options.fail } });
      }
      const manifests =
        options.manifests ??
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  replicas: ${String(input.values.replicas)}\n`;
      return Promise.resolve({ ok: true, manifests });
    },
  };
  return { renderer, calls: () => calls };
}
