import { isMap, isNode, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { type Value, type Values } from './renderers/renderer.js';
/** A file read from the repository: path relative to its root with '/' separators, UTF-8 text. */
export interface SourceFile {
  path: string;
  content: string;
}

export interface RenderContext {
  cluster: { name: string; labels: Readonly<Record<string, string>> };
  values: Readonly<Values>;
}

/** A template that cannot be rendered; the message starts with `file:line:`. */
export class RenderError extends Error {
  override readonly name = 'RenderError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

/**
 * Renders one cluster's manifests: placeholders substituted, every document parsed and checked,
 * then written out as one multi-document stream:
 *
 *     # Source: apps/web/deployment.yaml
 *     apiVersion: apps/v1
 *     ...
 *     ---
 *     # Source: apps/web/service.yaml
 *     ...
 *
 * Each document is re-serialised from its parsed form (yaml's round-trip `Document#toString`, which
 * keeps comments, quoting, anchors and key order) rather than sliced out of the substituted text:
 * every document then stands on its own whatever markers, directives or `...` the file used, and
 * the stream is well-formed by construction. The output depends only on the input (no clock, no
 * map iteration order), so its sha256 is a content address; an upgrade of the yaml library may
 * change formatting, and so the address, of unchanged content, never its meaning.
 * Throws RenderError on the first problem.
 */
export function renderManifests(files: readonly SourceFile[], context: RenderContext): string {
  const documents: string[] = [];
  for (const file of files) {
    const text = substitute(file, context);
    const lineCounter = new LineCounter();
    const parsed = parseAllDocuments(text, yamlOptions(lineCounter));
    const lineAt = (offset: number | undefined) =>
      offset === undefined ? 1 : lineCounter.linePos(offset).line;
    for (const [index, document] of parsed.entries()) {
      const [syntaxError] = document.errors;
      if (syntaxError) {
        throw new RenderError(file.path, lineAt(syntaxError.pos[0]), `invalid YAML: ${syntaxError.message}`);
      }
      if (isEmpty(document)) continue;
      const problem = versionProblem(document) ?? checkDocument(document);
      if (problem) {
        throw new RenderError(file.path, lineAt(problem.offset), `document ${index + 1}: ${problem.detail}`);
      }
      documents.push(`# Source: ${sourceLabel(file.path)}\n${document.toString(TO_STRING)}`);
    }
  }
  return documents.join('---\n');
}

/**
 * Checks the templates before any cluster is known: placeholder syntax (unknown namespaces such as
 * `${foo.bar}` and unterminated placeholders) and YAML syntax, with every placeholder standing in
 * for a plain word. Returns every problem as `file:line: what`; empty means fine.
 */
export function checkTemplates(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const scan = scanTemplate(file.content);
    for (const p of scan.problems) problems.push(`${file.path}:${p.line}: ${p.detail}`);
    const neutral = scan.segments
      .map((s) => (s.kind === 'text' ? s.text : 'x'.repeat(Math.max(1, s.raw.length))))
      .join('');
    const lineCounter = new LineCounter();
    for (const document of parseAllDocuments(neutral, yamlOptions(lineCounter))) {
      for (const error of document.errors) {
        problems.push(
          `${file.path}:${lineCounter.linePos(error.pos[0]).line}: invalid YAML: ${error.message}`,
        );
      }
      const version = versionProblem(document);
      if (version)
        problems.push(`${file.path}:${lineCounter.linePos(version.offset).line}: ${version.detail}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Placeholders

type Reference = { kind: 'cluster-name' } | { kind: 'label'; key: string } | { kind: 'value'; key: string };

type Segment =
  { kind: 'text'; text: string } | { kind: 'placeholder'; raw: string; line: number; ref: Reference };

interface Problem {
  line: number;
  detail: string;
}

const LABEL_KEY = /^cluster\.labels\.([A-Za-z0-9][A-Za-z0-9_./-]*)$/;
const VALUE_KEY = /^values\.([A-Za-z0-9_][A-Za-z0-9_.-]*)$/;
const SYNTAX_HINT =
  'expected ${cluster.name}, ${cluster.labels.<key>} or ${values.<key>} (write $${ for a literal ${)';

/**
 * Splits a template into text and placeholders. `$${` is a literal `${`; a placeholder is
 * `${expression}` on one line, spaces inside the braces allowed. A `$` not followed by `{` is text.
 */
function scanTemplate(content: string): { segments: Segment[]; problems: Problem[] } {
  const segments: Segment[] = [];
  const problems: Problem[] = [];
  const opener = /\$\$?\{/g;
  let textStart = 0;
  // Placeholders come in offset order, so lines are counted incrementally.
  let line = 1;
  let counted = 0;
  const lineOf = (offset: number) => {
    for (; counted < offset; counted++) if (content.charCodeAt(counted) === 10) line++;
    return line;
  };
  const text = (end: number) => {
    if (end > textStart) segments.push({ kind: 'text', text: content.slice(textStart, end) });
  };

  for (let match = opener.exec(content); match; match = opener.exec(content)) {
    const start = match.index;
    if (match[0] === '$${') {
      text(start);
      segments.push({ kind: 'text', text: '${' });
      textStart = opener.lastIndex;
      continue;
    }
    const close = content.indexOf('}', start + 2);
    const newline = content.indexOf('\n', start + 2);
    if (close === -1 || (newline !== -1 && newline < close)) {
      problems.push({
        line: lineOf(start),
        detail: "unterminated placeholder: the '}' of '${' is missing on this line",
      });
      continue;
    }
    const raw = content.slice(start, close + 1);
    const ref = parseReference(raw.slice(2, -1).trim());
    if (ref === undefined) {
      problems.push({ line: lineOf(start), detail: `unknown placeholder ${raw}: ${SYNTAX_HINT}` });
    } else {
      text(start);
      segments.push({ kind: 'placeholder', raw, line: lineOf(start), ref });
      textStart = close + 1;
    }
    opener.lastIndex = close + 1;
  }
  text(content.length);
  return { segments, problems };
}

function parseReference(expression: string): Reference | undefined {
  if (expression === 'cluster.name') return { kind: 'cluster-name' };
  const label = LABEL_KEY.exec(expression);
  if (label) return { kind: 'label', key: label[1]! };
  const value = VALUE_KEY.exec(expression);
  if (value) return { kind: 'value', key: value[1]! };
  return undefined;
}

/** The template with every placeholder replaced; a problem or a missing label/value throws. */
function substitute(file: SourceFile, context: RenderContext): string {
  const { segments, problems } = scanTemplate(file.content);
  const [problem] = problems;
  if (problem) throw new RenderError(file.path, problem.line, problem.detail);
  return segments
    .map((segment) => {
      if (segment.kind === 'text') return segment.text;
      const fail = (detail: string): never => {
        throw new RenderError(file.path, segment.line, detail);
      };
      const { ref } = segment;
      let value: Value | undefined;
      if (ref.kind === 'cluster-name') value = context.cluster.name;
      else if (ref.kind === 'label') {
        value = own(context.cluster.labels, ref.key);
        if (value === undefined)
          fail(`${segment.raw}: cluster ${context.cluster.name} has no label ${ref.key}`);
      } else {
        value = valueAt(context.values, ref.key);
        if (value === undefined) {
          fail(
            `${segment.raw}: no value ${ref.key} for cluster ${context.cluster.name} (check the values rules)`,
          );
        }
      }
      return scalarText(value!, segment.raw, fail);
    })
    .join('');
}

/**
 * Substitution is textual, so a value may not span lines: that would change the document's shape
 * (and every line number after it). Multi-line content belongs in the repository.
 */
function scalarText(value: Value, raw: string, fail: (detail: string) => never): string {
  if (value === null || typeof value === 'object') {
    fail(
      `${raw}: the value is ${value === null ? 'null' : Array.isArray(value) ? 'a list' : 'a map'}; substitution takes a string, number or boolean`,
    );
  }
  if (typeof value === 'number' && !Number.isFinite(value)) fail(`${raw}: ${value} is not a finite number`);
  const text = String(value);
  if (/[\r\n]/.test(text)) fail(`${raw}: the value contains a line break, which substitution does not allow`);
  return text;
}

/** `key` as one name first (`a.b` may be a flat name), else as a dotted path into nested maps. */
function valueAt(values: Readonly<Values>, key: string): Value | undefined {
  const flat = own(values, key);
  if (flat !== undefined) return flat;
  let at: Value | undefined = values as Values;
  for (const part of key.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = own(at, part);
  }
  return at;
}

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Documents

/** The agent parses bundles with the same options (YAML 1.2 core schema, `<<` merge keys). */
const yamlOptions = (lineCounter: LineCounter) =>
  ({ lineCounter, prettyErrors: false, uniqueKeys: true, merge: true }) as const;
/** No directives or `---` per document (the renderer writes the separators); never fold lines. */
const TO_STRING = { directives: false, lineWidth: 0 } as const;

function isEmpty(document: Document.Parsed): boolean {
  const { contents } = document;
  return contents === null || (isScalar(contents) && contents.value === null);
}

/**
 * A `%YAML 1.1` document would be read with 1.1 rules here (`yes` is true, `0755` octal) but written
 * without its directive into a bundle the agent reads as YAML 1.2, changing its meaning: refused.
 */
function versionProblem(document: Document.Parsed): { offset: number; detail: string } | undefined {
  if (document.directives.yaml.version === '1.2') return undefined;
  return {
    offset: document.range[0],
    detail: `%YAML ${document.directives.yaml.version} is not supported: templates are YAML 1.2`,
  };
}

/**
 * apiVersion, kind and metadata.name must be non-empty strings. A `List` (kind List, or *List with
 * an items sequence) is checked item by item, as the agent expands it.
 */
function checkDocument(
  document: Document.Parsed,
): { offset: number | undefined; detail: string } | undefined {
  const start = isNode(document.contents) ? document.contents.range?.[0] : undefined;
  /** Where a top-level key starts, so the error points at `kind:` rather than the document. */
  const offsetOf = (key: string | undefined) => {
    const contents = document.contents;
    const pair = isMap(contents)
      ? contents.items.find((p) => isScalar(p.key) && p.key.value === key)
      : undefined;
    return isNode(pair?.key) ? pair.key.range?.[0] : start;
  };
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { offset: start, detail: error instanceof Error ? error.message : String(error) };
  }
  if (isRecord(value) && isList(value)) {
    if (value.items === undefined || value.items === null) return undefined;
    if (!Array.isArray(value.items)) return { offset: offsetOf('items'), detail: 'items must be a sequence' };
    for (const [i, item] of value.items.entries()) {
      const problem = objectProblem(item);
      if (problem) return { offset: offsetOf('items'), detail: `items[${i}]: ${problem.detail}` };
    }
    return undefined;
  }
  const problem = objectProblem(value);
  return problem && { offset: offsetOf(problem.key), detail: problem.detail };
}

function objectProblem(value: unknown): { key?: string; detail: string } | undefined {
  if (!isRecord(value)) return { detail: 'not a mapping (expected a Kubernetes object)' };
  for (const key of ['apiVersion', 'kind'] as const) {
    const field = value[key];
    if (field === undefined || field === null || field === '') return { detail: `missing ${key}` };
    if (typeof field !== 'string') return { key, detail: `${key} must be a string` };
  }
  const { metadata } = value;
  if (metadata === undefined || metadata === null) return { detail: 'missing metadata.name' };
  if (!isRecord(metadata)) return { key: 'metadata', detail: 'metadata must be a mapping' };
  const { name } = metadata;
  if (name === undefined || name === null || name === '')
    return { key: 'metadata', detail: 'missing metadata.name' };
  if (typeof name !== 'string') return { key: 'metadata', detail: 'metadata.name must be a string' };
  return undefined;
}

/** Kubernetes' meta.IsListType, as the agent applies it. */
function isList(value: Record<string, unknown>): boolean {
  const { kind } = value;
  return (
    typeof kind === 'string' && (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items)))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A path that could break the comment line (control characters, edge spaces) is quoted. */
function sourceLabel(path: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]|^\s|\s$/.test(path) ? JSON.stringify(path) : path;
}
