import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { type ToolRunner } from '../sandbox/index.js';
import {
  type Renderer,
  type RenderInput,
  type RenderProblem,
  type RenderResult,
  type RevisionSource,
} from './renderer.js';
import { fileAt, relativePath, writeSource } from './source-files.js';
import { PULLED_CHART_PATH } from '../charts/chart-source.js';

const CHART_FILE = 'Chart.yaml';

/**
 * A Helm chart in the repository (`Chart.yaml` at the application's path), rendered with the real
 * `helm template`: release name (the application's unless set), namespace, CRDs from `crds/`
 * (`includeCRDs`), `--kube-version` from the cluster's reported version, the merged values as one
 * values file, and `test` hooks left out. Dependencies must be in the repository (`charts/` or a
 * `file://` repository): one reached over the network at render time is refused.
 */
export const helmRenderer: Renderer = {
  kind: 'helm',
  remembered: true,

  detects(source: RevisionSource): boolean {
    return fileAt(source, CHART_FILE) !== undefined || fileAt(source, PULLED_CHART_PATH) !== undefined;
  },

  check(source: RevisionSource): RenderProblem[] {
    // A chart pulled from a repository or registry is a packaged chart: its dependencies are inside it.
    if (fileAt(source, PULLED_CHART_PATH) !== undefined) return [];
    const chart = readChart(source);
    if (!chart.ok) return [chart.problem];
    return remoteDependencies(source, chart.value).map((dep) => ({
      code: 'invalid-source',
      message:
        `${CHART_FILE}: dependency "${dep.name}" comes from ${dep.repository}, which a render would reach over ` +
        'the network: vendor it into charts/ (helm dependency update, then commit charts/) or use a file:// repository',
    }));
  },

  cacheInputs(input: RenderInput): unknown {
    return {
      release: releaseName(input),
      namespace: namespace(input),
      includeCRDs: input.helm.includeCRDs,
      kubeVersion: kubeVersionFlag(input.kubeVersion),
      values: input.values,
    };
  },

  async render(source: RevisionSource, input: RenderInput, tools: ToolRunner): Promise<RenderResult> {
    const pulled = fileAt(source, PULLED_CHART_PATH);
    if (pulled !== undefined) {
      // Git sync put the application's chart (from a Helm repository or OCI registry) here: helm
      // renders the archive as it is; the rest of the source only serves values files.
      return tools.inWorkdir(async (dir) => {
        const archive = path.join(dir, 'chart.tgz');
        await writeFile(archive, pulled);
        return template(input, archive, dir, tools, 'the pulled chart');
      });
    }
    const chart = readChart(source);
    if (!chart.ok) return { ok: false, problem: chart.problem };
    return tools.inWorkdir(async (dir) => {
      const chartDir = path.join(dir, 'chart');
      await writeSource(source, chartDir);
      if (needsDependencyBuild(source, chart.value)) {
        const built = await tools.run('helm', ['dependency', 'build', chartDir, '--skip-refresh'], {
          cwd: dir,
        });
        if (!built.ok) return failed(`helm dependency build: ${built.message}`);
      }
      return template(input, chartDir, dir, tools, source.root || '.');
    });
  },
};

/** `helm template` of the chart at `chart` (a folder or an archive), its path shown as `shownAs`. */
async function template(
  input: RenderInput,
  chart: string,
  dir: string,
  tools: ToolRunner,
  shownAs: string,
): Promise<RenderResult> {
  const valuesFile = path.join(dir, 'fleetwave-values.json');
  await writeFile(valuesFile, JSON.stringify(input.values));
  const kubeVersion = kubeVersionFlag(input.kubeVersion);
  const args = [
    'template',
    releaseName(input),
    chart,
    '--namespace',
    namespace(input),
    '--values',
    valuesFile,
    '--skip-tests',
    ...(input.helm.includeCRDs ? ['--include-crds'] : []),
    ...(kubeVersion === null ? [] : ['--kube-version', kubeVersion]),
  ];
  const out = await tools.run('helm', args, { cwd: dir });
  if (!out.ok) return failed(`helm template: ${out.message.split(chart).join(shownAs)}`);
  return { ok: true, manifests: out.stdout };
}

interface ChartFile {
  name?: unknown;
  dependencies?: unknown;
}

interface Dependency {
  name: string;
  repository: string;
}

function failed(message: string): RenderResult {
  return { ok: false, problem: { code: 'render-failed', message } };
}

function readChart(
  source: RevisionSource,
): { ok: true; value: ChartFile } | { ok: false; problem: RenderProblem } {
  const bytes = fileAt(source, CHART_FILE);
  if (bytes === undefined) {
    return {
      ok: false,
      problem: { code: 'no-manifests', message: `no ${CHART_FILE} under "${source.root || '.'}"` },
    };
  }
  let value: unknown;
  try {
    value = parse(bytes.toString('utf8'));
  } catch (error) {
    return {
      ok: false,
      problem: {
        code: 'invalid-source',
        message: `${CHART_FILE}: invalid YAML: ${(error as Error).message}`,
      },
    };
  }
  if (typeof value !== 'object' || value === null || typeof (value as ChartFile).name !== 'string') {
    return { ok: false, problem: { code: 'invalid-source', message: `${CHART_FILE}: missing name` } };
  }
  return { ok: true, value: value as ChartFile };
}

function dependencies(chart: ChartFile): Dependency[] {
  if (!Array.isArray(chart.dependencies)) return [];
  return chart.dependencies
    .filter((d): d is Record<string, unknown> => typeof d === 'object' && d !== null)
    .map((d) => ({
      name: String(d.name ?? ''),
      repository: typeof d.repository === 'string' ? d.repository : '',
    }));
}

/** The dependency is vendored when `charts/` holds a folder or archive named after it. */
function isVendored(source: RevisionSource, name: string): boolean {
  return source.files.some((file) => {
    const relative = relativePath(source, file.path);
    return (
      relative !== undefined &&
      (relative.startsWith(`charts/${name}/`) ||
        new RegExp(`^charts/${escape(name)}-[^/]*\\.tgz$`).test(relative))
    );
  });
}

function remoteDependencies(source: RevisionSource, chart: ChartFile): Dependency[] {
  return dependencies(chart).filter(
    (dep) => dep.repository !== '' && !dep.repository.startsWith('file://') && !isVendored(source, dep.name),
  );
}

/** `file://` dependencies not yet vendored are packaged into charts/ by `helm dependency build`. */
function needsDependencyBuild(source: RevisionSource, chart: ChartFile): boolean {
  return dependencies(chart).some(
    (dep) => dep.repository.startsWith('file://') && !isVendored(source, dep.name),
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function releaseName(input: RenderInput): string {
  return input.helm.releaseName ?? input.application.name;
}

function namespace(input: RenderInput): string {
  return input.application.namespace ?? 'default';
}

/** `v1.31.2` from what a cluster reports (`v1.31.2-eks-4f4795d`, `1.31`), or null if it is not a version. */
export function kubeVersionFlag(reported: string | null): string | null {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(reported ?? '');
  return match === null ? null : `v${match[1]}.${match[2]}.${match[3] ?? '0'}`;
}
