import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { type ToolOutput, type ToolRunner } from '../sandbox/index.js';
import { substituteClusterInStream } from './cluster-placeholders.js';
import { checkKustomizations, rootKustomization } from './kustomize-check.js';
import {
  type Renderer,
  type RenderInput,
  type RenderProblem,
  type RenderResult,
  type RevisionSource,
} from './renderer.js';
import { writeSource } from './source-files.js';

/**
 * A Kustomize overlay (`kustomization.yaml`, `kustomization.yml` or `Kustomization` at the
 * application's path) built with the real `kustomize build`: bases, overlays, components, patches,
 * generators. The build does not depend on the cluster, so it runs once per source and
 * `${cluster.name}` / `${cluster.labels.<key>}` are substituted per cluster afterwards
 * ({@link Renderer.finish}). What would reach the network (remote bases and resources), inflate a
 * Helm chart or run a non-builtin plugin is refused before the build (`kustomize-check.ts`), and the
 * build itself runs offline.
 */
export const kustomizeRenderer: Renderer = {
  kind: 'kustomize',
  remembered: true,

  detects(source: RevisionSource): boolean {
    return rootKustomization(source) !== undefined;
  },

  check(source: RevisionSource): RenderProblem[] {
    if (rootKustomization(source) === undefined) return [noKustomization(source)];
    return checkKustomizations(source).map((finding) => finding.problem);
  },

  /** The build reads nothing of the cluster: one build serves every cluster. */
  cacheInputs(): unknown {
    return {};
  },

  async render(source: RevisionSource, _input: RenderInput, tools: ToolRunner): Promise<RenderResult> {
    if (rootKustomization(source) === undefined) return { ok: false, problem: noKustomization(source) };
    const findings = checkKustomizations(source);
    const refused = findings.find((finding) => finding.kind === 'policy');
    if (refused !== undefined) return { ok: false, problem: refused.problem };
    return tools.inWorkdir(async (dir) => {
      const out = await buildFromRepository(source, dir, tools);
      if (!out.ok)
        return { ok: false, problem: { code: 'render-failed', message: `kustomize build: ${out.message}` } };
      // Kustomize read a kustomization this check could not parse, so could not vet: refused.
      const unchecked = findings.find((finding) => finding.kind === 'syntax');
      if (unchecked !== undefined) return { ok: false, problem: unchecked.problem };
      return { ok: true, manifests: out.stdout };
    });
  },

  finish(manifests: string, input: RenderInput): RenderResult {
    return substituteClusterInStream(manifests, input.cluster);
  },
};

/**
 * Writes every file of the source at its repository path under `dir` and builds the application's
 * path, so an overlay reaches `../base` as in a checkout. Messages name repository paths.
 */
export async function buildFromRepository(
  source: RevisionSource,
  dir: string,
  tools: ToolRunner,
): Promise<ToolOutput> {
  // kustomize resolves symbolic links in paths (and so in its messages): work with the real path.
  const repo = path.join(await realpath(dir), 'repo');
  await writeSource({ root: '', files: source.files }, repo);
  const out = await kustomizeBuild(tools, dir, source.root === '' ? repo : path.join(repo, source.root));
  return out.ok ? out : { ...out, message: out.message.split(`${repo}/`).join('').split(repo).join('.') };
}

/**
 * `kustomize build` with what the CLI offers to stay local: files only from each kustomization's
 * own directory tree (LoadRestrictionsRootOnly, the default, named so a changed default cannot
 * widen it) and no Helm, plugin or exec flags. Kustomize has no offline switch, so the environment
 * takes the network away too: no `git` on PATH (remote bases are cloned with it) and an HTTP(S)
 * proxy that refuses every connection (remote files are fetched with Go's client, which honours it).
 */
export function kustomizeBuild(tools: ToolRunner, cwd: string, target: string): Promise<ToolOutput> {
  const noProxy = 'http://127.0.0.1:0';
  return tools.run('kustomize', ['build', target, '--load-restrictor', 'LoadRestrictionsRootOnly'], {
    cwd,
    env: {
      PATH: path.join(cwd, '.no-tools'),
      HTTP_PROXY: noProxy,
      HTTPS_PROXY: noProxy,
      http_proxy: noProxy,
      https_proxy: noProxy,
      NO_PROXY: '',
      no_proxy: '',
    },
  });
}

function noKustomization(source: RevisionSource): RenderProblem {
  return {
    code: 'no-manifests',
    message: `no kustomization.yaml, kustomization.yml or Kustomization under "${source.root || '.'}"`,
  };
}
