import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  type BoundsViolation,
  bundleDigest,
  canonicalJson,
  describeViolation,
  type ObjectBounds,
} from '@fleetwave/contracts';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import {
  clusterValues,
  emptyBundleProblem,
  type HelmSettings,
  type RenderInput,
  type Renderer,
  rendererFor,
  type RenderResult,
  readValuesFiles,
  type RevisionSource,
  SandboxToolRunner,
  type ToolRunner,
  type Values,
  type ValuesRule,
} from '../git/index.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { bundleViolations } from './bundle-bounds.js';
import { BundlesRepository } from './bundles.repository.js';

/** What of an application decides how its clusters' bundles are rendered. */
export interface RenderSettings {
  name: string;
  renderer: string;
  defaultNamespace: string | null;
  allowEmpty: boolean;
  values: Values;
  valuesFiles: readonly string[];
  valuesRules: readonly ValuesRule[];
  helm: HelmSettings;
}

/** A cluster as rendering sees it. */
export interface RenderTarget {
  id: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  facts: { kubernetesVersion?: string };
}

export interface RenderedTargets {
  /** Per cluster id: the digest of its bundle. */
  digests: Map<string, string>;
  /** Per digest: the manifests (one entry per distinct bundle). */
  bundles: Map<string, string>;
  /** One line per cluster that cannot be rendered. */
  errors: string[];
  /** The same lines by cluster id. */
  failed: Map<string, string>;
  /** Ids of the clusters it renders no object for, the application not allowing that (in `failed` too). */
  empty: Set<string>;
  /** Per cluster id: the objects of its bundle outside the project's bounds (in `failed` too). */
  denied: Map<string, BoundsViolation[]>;
  /** Renders this call ran (the rest came from the render cache). */
  renders: number;
}

/** Optional provider of the renderer choice (default: the registry's `rendererFor`). */
export const RENDERER_PICKER = Symbol('RENDERER_PICKER');

/** Remembered in this replica; the table behind it serves other replicas and restarts. */
const MEMORY_ENTRIES = 2_000;

/**
 * Renders a revision for many clusters, once per distinct input: clusters are grouped by the
 * renderer's cache key — sha256 of (renderer kind, source artifact digest, what the renderer's
 * output depends on: merged values, kube version, settings) — and each key is rendered at most
 * once per call, and, for renderers worth remembering (tools: Helm, Kustomize), once ever: its
 * bundle digest is kept in memory and in `render_cache`, so rollouts, replicas and restarts reuse
 * it. Failures are not remembered (a timeout may pass). Tool renderers run in the sandbox
 * (git/sandbox).
 */
@Injectable()
export class BundleRenderer {
  private readonly tools: ToolRunner;
  private readonly memory = new Map<string, string>();

  constructor(
    @Inject(BundlesRepository) private readonly bundles: BundlesRepository,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(HUB_CONFIG) config: HubConfig,
    /** Which renderer renders a source; tests swap in their own. */
    @Optional()
    @Inject(RENDERER_PICKER)
    private readonly pick: (kind: string, source: RevisionSource) => Renderer = rendererFor,
  ) {
    this.tools = new SandboxToolRunner(config.render);
  }

  async render(
    app: RenderSettings,
    source: RevisionSource,
    artifactDigest: string,
    clusters: readonly RenderTarget[],
    /** The project's object bounds: a bundle with an object outside them is failed, not stored. */
    bounds: ObjectBounds | null = null,
  ): Promise<RenderedTargets> {
    const out: RenderedTargets = {
      digests: new Map(),
      bundles: new Map(),
      errors: [],
      failed: new Map(),
      empty: new Set(),
      denied: new Map(),
      renders: 0,
    };
    // By bundle digest: clusters sharing a bundle share its verdict.
    const verdicts = new Map<string, BoundsViolation[]>();
    const renderer = this.pick(app.renderer, source);
    // Where the agent puts objects naming no namespace: a chart's go to its release namespace, as
    // helm install does (assignments.repository.ts sends the same).
    const defaultNamespace = app.defaultNamespace ?? (renderer.kind === 'helm' ? 'default' : null);
    const fail = (cluster: RenderTarget, message: string, empty = false) => {
      out.failed.set(cluster.id, `${cluster.name}: ${message}`);
      if (empty) out.empty.add(cluster.id);
    };
    const files = readValuesFiles(source, app.valuesFiles);
    const groups = new Map<
      string,
      { input: RenderInput; clusters: { cluster: RenderTarget; input: RenderInput }[] }
    >();
    for (const cluster of clusters) {
      if (!files.ok) {
        fail(cluster, files.message);
        continue;
      }
      const values = clusterValues(
        { application: app.values, files: files.values, rules: app.valuesRules },
        cluster,
      );
      if (!values.ok) {
        fail(cluster, values.message);
        continue;
      }
      const input: RenderInput = {
        cluster: { name: cluster.name, labels: cluster.labels },
        values: values.values,
        kubeVersion: cluster.facts.kubernetesVersion ?? null,
        application: { name: app.name, namespace: app.defaultNamespace },
        helm: app.helm,
      };
      const key = renderKey(renderer, artifactDigest, input);
      const group = groups.get(key) ?? { input, clusters: [] };
      group.clusters.push({ cluster, input });
      groups.set(key, group);
    }

    // Every distinct input at once: the sandbox's concurrency limit decides how many tools run.
    const entries = [...groups];
    const renders = await Promise.all(
      entries.map(([key, group]) => this.renderOnce(renderer, key, source, group.input)),
    );
    for (const [index, [, group]] of entries.entries()) {
      const { result, rendered } = renders[index]!;
      if (rendered) out.renders++;
      for (const { cluster, input } of group.clusters) {
        const final = result.ok && renderer.finish ? renderer.finish(result.manifests, input) : result;
        const problem = final.ok ? emptyBundleProblem(final.manifests, app.allowEmpty) : final.problem;
        if (!final.ok || problem !== null) {
          fail(cluster, problem!.message, problem!.code === 'empty-bundle');
          continue;
        }
        const digest = bundleDigest(final.manifests);
        if (bounds !== null) {
          const found = verdicts.get(digest) ?? bundleViolations(final.manifests, bounds, defaultNamespace);
          verdicts.set(digest, found);
          if (found.length > 0) {
            out.denied.set(cluster.id, found);
            const more = found.length > 5 ? ` (and ${found.length - 5} more)` : '';
            fail(
              cluster,
              `outside the project's bounds: ${found.slice(0, 5).map(describeViolation).join('; ')}${more}`,
            );
            continue;
          }
        }
        out.digests.set(cluster.id, digest);
        out.bundles.set(digest, final.manifests);
      }
    }
    out.errors = [...out.failed.values()];
    return out;
  }

  /** The shared render of one key: memory, then the table, then the renderer. */
  private async renderOnce(
    renderer: Renderer,
    key: string,
    source: RevisionSource,
    input: RenderInput,
  ): Promise<{ result: RenderResult; rendered: boolean }> {
    if (!renderer.remembered)
      return { result: await renderer.render(source, input, this.tools), rendered: true };
    const known = this.memory.get(key) ?? (await this.bundles.findRenderedDigest(key));
    if (known !== null && known !== undefined) {
      const manifests = await this.bundles.find(known);
      if (manifests !== null) {
        this.remember(key, known);
        this.metrics.renders.inc({ renderer: renderer.kind, result: 'cached' });
        return { result: { ok: true, manifests }, rendered: false };
      }
    }
    const started = process.hrtime.bigint();
    const result = await renderer.render(source, input, this.tools);
    this.metrics.renderSeconds.observe(
      { renderer: renderer.kind },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    this.metrics.renders.inc({ renderer: renderer.kind, result: result.ok ? 'rendered' : 'failed' });
    if (result.ok) {
      const digest = bundleDigest(result.manifests);
      await this.bundles.storeRendered(key, renderer.kind, digest, result.manifests);
      this.remember(key, digest);
    }
    return { result, rendered: true };
  }

  private remember(key: string, digest: string): void {
    this.memory.delete(key);
    this.memory.set(key, digest);
    if (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
  }
}

/** sha256 of what decides a render's output. */
export function renderKey(renderer: Renderer, artifactDigest: string, input: RenderInput): string {
  const inputs = canonicalJson({
    kind: renderer.kind,
    artifact: artifactDigest,
    inputs: renderer.cacheInputs(input),
  });
  return createHash('sha256').update(inputs).digest('hex');
}
