import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { type RenderProblem, type RevisionSource } from './renderer.js';

/** The names kustomize looks for in a directory, in its order. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/**
 * What the static check found. `policy` problems (the network, Helm, plugins, paths leaving the
 * repository) are refused before kustomize runs; `syntax` problems are left to kustomize at render
 * time, so a render reports the tool's own words.
 */
export interface KustomizeFinding {
  kind: 'policy' | 'syntax';
  problem: RenderProblem;
}

/** Fields whose entries may name a directory holding another kustomization (or a remote one). */
const DIRECTORY_FIELDS = [
  'resources',
  'bases',
  'components',
  'generators',
  'transformers',
  'validators',
] as const;
/** Fields whose entries are plugin configurations (a file, an inline YAML string, or a directory). */
const PLUGIN_FIELDS = new Set<string>(['generators', 'transformers', 'validators']);
/** Kustomize inflates Helm charts only with --enable-helm, which Fleetwave never passes. */
const HELM_FIELDS = ['helmCharts', 'helmChartInflationGenerator', 'helmGlobals'] as const;

/**
 * Walks the kustomizations reachable from the application's path (through resources, bases,
 * components and plugin directories) and reports, without running anything, what a render must
 * not do: reach the network (a URL, a git repository), inflate a Helm chart, run a non-builtin
 * plugin, or read outside the repository. Local files that are missing are left to kustomize.
 * Pure; messages name the file (repository-relative) and the offending entry.
 */
export function checkKustomizations(source: RevisionSource): KustomizeFinding[] {
  const tree = sourceTree(source);
  const findings: KustomizeFinding[] = [];
  const visited = new Set<string>();
  const visit = (dir: string): void => {
    if (visited.has(dir)) return;
    visited.add(dir);
    const found = KUSTOMIZATION_FILES.map((name) => join(dir, name)).filter((file) => tree.files.has(file));
    if (found.length > 1) {
      findings.push(
        syntax(`${dir || '.'}: more than one kustomization file (${found.join(', ')}); keep one`),
      );
    }
    const [file] = found;
    if (file === undefined) return;
    const parsed = parseKustomization(file, tree.text(file));
    if (!parsed.ok) {
      findings.push(syntax(parsed.message));
      return;
    }
    for (const field of HELM_FIELDS) {
      if (parsed.value[field] !== undefined) {
        findings.push(
          policy(
            `${file}: ${field}: Helm chart inflation is not run by the kustomize renderer (it would fetch the chart ` +
              'over the network); render the chart as a Helm application instead',
          ),
        );
      }
    }
    for (const ref of references(parsed.value)) {
      const problem = referenceProblem(file, dir, ref, tree, source);
      if (problem !== undefined) {
        findings.push(policy(problem));
        continue;
      }
      const target = join(dir, ref.value);
      if (PLUGIN_FIELDS.has(ref.field) && tree.files.has(target)) {
        findings.push(...pluginProblems(`${file}: ${ref.field}: ${target}`, tree.text(target)));
      }
      if (ref.directory && tree.dirs.has(target)) visit(target);
    }
    for (const ref of inlinePlugins(parsed.value)) {
      findings.push(...pluginProblems(`${file}: ${ref.field}[${ref.index}]`, ref.text));
    }
  };
  visit(source.root);
  return findings;
}

/**
 * Local paths the kustomizations reachable from the application's path reference outside that
 * path and the source does not hold yet (an overlay's `../../base`): what git sync reads too, so
 * the revision carries everything the build uses. Remote, absolute and repository-escaping entries
 * are left to {@link checkKustomizations}, which refuses them. Pure.
 */
export function externalReferences(source: RevisionSource): string[] {
  const tree = sourceTree(source);
  const wanted = new Set<string>();
  const visited = new Set<string>();
  const visit = (dir: string): void => {
    if (visited.has(dir)) return;
    visited.add(dir);
    const file = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((f) => tree.files.has(f));
    if (file === undefined) return;
    const parsed = parseKustomization(file, tree.text(file));
    if (!parsed.ok) return;
    for (const ref of references(parsed.value)) {
      const target = join(dir, ref.value);
      const remote = SCHEME.test(ref.value) || GETTER.test(ref.value) || SCP_LIKE.test(ref.value);
      if (remote || path.posix.isAbsolute(ref.value) || escapes(target)) continue;
      if (tree.files.has(target)) continue;
      if (tree.dirs.has(target)) {
        if (ref.directory) visit(target);
        continue;
      }
      if (outside(source.root, target)) wanted.add(target);
    }
  };
  visit(source.root);
  return [...wanted].sort();
}

/** The kustomization file at the application's path, if any. */
export function rootKustomization(source: RevisionSource): string | undefined {
  const tree = sourceTree(source);
  return KUSTOMIZATION_FILES.map((name) => join(source.root, name)).find((file) => tree.files.has(file));
}

// ---------------------------------------------------------------------------------------------
// References

interface Reference {
  field: string;
  value: string;
  /** The entry may be a directory (a kustomization) rather than a file. */
  directory: boolean;
}

type Kustomization = Record<string, unknown>;

function parseKustomization(
  file: string,
  text: string,
): { ok: true; value: Kustomization } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: false });
  } catch (error) {
    return { ok: false, message: `${file}: invalid YAML: ${(error as Error).message}` };
  }
  if (value === null || value === undefined) return { ok: true, value: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: `${file}: not a mapping (expected a Kustomization)` };
  }
  return { ok: true, value: value as Kustomization };
}

/** Every entry of the kustomization that names a file, a directory or a URL. */
function references(k: Kustomization): Reference[] {
  const refs: Reference[] = [];
  const add = (field: string, value: unknown, directory: boolean) => {
    // Multi-line strings are inline content (a patch, a plugin config), not paths.
    if (typeof value === 'string' && value.trim() !== '' && !value.includes('\n')) {
      refs.push({ field, value: value.trim(), directory });
    }
  };
  for (const field of DIRECTORY_FIELDS) for (const entry of list(k[field])) add(field, entry, true);
  for (const field of ['patchesStrategicMerge', 'configurations', 'crds'] as const) {
    for (const entry of list(k[field])) add(field, entry, false);
  }
  for (const field of ['patches', 'patchesJson6902', 'replacements'] as const) {
    for (const entry of list(k[field])) if (isRecord(entry)) add(`${field}.path`, entry.path, false);
  }
  for (const field of ['configMapGenerator', 'secretGenerator'] as const) {
    for (const generator of list(k[field])) {
      if (!isRecord(generator)) continue;
      // `files` entries are `path` or `key=path`.
      for (const entry of list(generator.files)) {
        add(`${field}.files`, typeof entry === 'string' ? entry.slice(entry.indexOf('=') + 1) : entry, false);
      }
      for (const entry of list(generator.envs)) add(`${field}.envs`, entry, false);
      add(`${field}.env`, generator.env, false);
    }
  }
  if (isRecord(k.openapi)) add('openapi.path', k.openapi.path, false);
  return refs;
}

/** Inline plugin configurations: a YAML string in generators / transformers / validators. */
function inlinePlugins(k: Kustomization): { field: string; index: number; text: string }[] {
  return [...PLUGIN_FIELDS].flatMap((field) =>
    list(k[field]).flatMap((entry, index) =>
      typeof entry === 'string' && entry.includes('\n') ? [{ field, index, text: entry }] : [],
    ),
  );
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//; // https://, ssh://, git://, file://, oci://
const GETTER = /^[A-Za-z0-9]+::/; // git::https://…
const SCP_LIKE = /^[\w.-]+@[\w.-]+:/; // git@github.com:org/repo
const REPO_QUERY = /\?(ref|version|timeout|submodules)=/;
const HOST_FIRST = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(:\d+)?\//; // github.com/org/repo

function referenceProblem(
  file: string,
  dir: string,
  ref: Reference,
  tree: SourceTree,
  source: RevisionSource,
): string | undefined {
  const entry = `${ref.field}: "${ref.value}"`;
  const target = join(dir, ref.value);
  const local =
    !path.posix.isAbsolute(ref.value) &&
    !escapes(target) &&
    (tree.files.has(target) || tree.dirs.has(target));
  // kustomize tries a missing local path as a remote repository, so anything URL-like that is not
  // in the repository would be fetched.
  if (
    SCHEME.test(ref.value) ||
    GETTER.test(ref.value) ||
    SCP_LIKE.test(ref.value) ||
    (!local && (REPO_QUERY.test(ref.value) || HOST_FIRST.test(ref.value)))
  ) {
    return (
      `${file}: ${entry} is a remote resource, which a render would fetch over the network: copy it into ` +
      'the repository and reference the copy (remote bases and resources are refused)'
    );
  }
  if (path.posix.isAbsolute(ref.value) || escapes(target)) {
    return `${file}: ${entry} points outside the repository`;
  }
  if (!local && !tree.holdsOutsideRoot && outside(source.root, target)) {
    return (
      `${file}: ${entry} (${target}) lies outside the application's path "${source.root || '.'}", and a ` +
      'revision holds only the files under that path: make the application path the directory that holds ' +
      'both the overlay and what it references'
    );
  }
  return undefined;
}

/** Non-builtin plugins need --enable-alpha-plugins (exec, Go, KRM functions), never passed. */
function pluginProblems(where: string, text: string): KustomizeFinding[] {
  const findings: KustomizeFinding[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) continue; // kustomize reports it
    const config: unknown = document.toJS();
    if (!isRecord(config) || config.apiVersion === 'builtin') continue;
    const kind = typeof config.kind === 'string' ? config.kind : '?';
    findings.push(
      policy(
        `${where}: plugin ${kind} (apiVersion ${String(config.apiVersion)}) is not builtin: exec, Go and ` +
          'KRM-function plugins are never run (kustomize runs without --enable-alpha-plugins)',
      ),
    );
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// The source as a tree of repository-relative paths

interface SourceTree {
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
  text(file: string): string;
  /** The revision holds files outside the application's path (a whole-repository artifact). */
  holdsOutsideRoot: boolean;
}

function sourceTree(source: RevisionSource): SourceTree {
  const byPath = new Map(source.files.map((file) => [file.path, file.content]));
  const dirs = new Set<string>(['']);
  for (const file of byPath.keys()) {
    for (let dir = path.posix.dirname(file); dir !== '.' && !dirs.has(dir); dir = path.posix.dirname(dir))
      dirs.add(dir);
  }
  const decoder = new TextDecoder('utf-8');
  return {
    files: new Set(byPath.keys()),
    dirs,
    text: (file) => decoder.decode(byPath.get(file)),
    holdsOutsideRoot: [...byPath.keys()].some((file) => outside(source.root, file)),
  };
}

/** `dir/ref` normalised, '' for the repository root, no trailing slash. */
function join(dir: string, ref: string): string {
  const joined = path.posix.normalize(path.posix.join(dir, ref)).replace(/\/+$/, '');
  return joined === '.' ? '' : joined;
}

function escapes(target: string): boolean {
  return target === '..' || target.startsWith('../');
}

function outside(root: string, target: string): boolean {
  return root !== '' && target !== root && !target.startsWith(`${root}/`);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function policy(message: string): KustomizeFinding {
  return { kind: 'policy', problem: { code: 'invalid-source', message } };
}

function syntax(message: string): KustomizeFinding {
  return { kind: 'syntax', problem: { code: 'invalid-source', message } };
}
