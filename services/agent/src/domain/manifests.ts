import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { isRecord, type KubeObject } from './kube-object.js';
import { describeRef, objectId, refOf } from './object-id.js';

/** Kubernetes names are DNS subdomains at most; the API server applies the precise rules per kind. */
export const MAX_NAME_LENGTH = 253;
/** Namespaces are DNS labels. */
export const MAX_NAMESPACE_LENGTH = 63;

export interface ManifestError {
  /** 1-based position of the YAML document in the stream. */
  doc: number;
  /** 0-based index in `items` when the problem is inside a `List`. */
  item?: number;
  /** 1-based line (and column, for syntax errors) in the whole text. */
  line?: number;
  col?: number;
  /** The problem alone: `missing metadata.name`. */
  detail: string;
  /** For people: `doc 3 (line 41): missing metadata.name`. */
  message: string;
}

export interface ParsedManifests {
  objects: KubeObject[];
  errors: ManifestError[];
}

type Path = readonly (string | number)[];

interface Place {
  doc: number;
  item?: number;
  line?: number;
  col?: number;
}

function formatError(place: Place, detail: string): ManifestError {
  const where = [`doc ${place.doc}`];
  if (place.item !== undefined) where.push(`item ${place.item}`);
  const position =
    place.line === undefined
      ? ''
      : place.col === undefined
        ? ` (line ${place.line})`
        : ` (line ${place.line}, col ${place.col})`;
  const error: ManifestError = {
    doc: place.doc,
    detail,
    message: `${where.join(' ')}${position}: ${detail}`,
  };
  if (place.item !== undefined) error.item = place.item;
  if (place.line !== undefined) error.line = place.line;
  if (place.col !== undefined) error.col = place.col;
  return error;
}

/** Checks one decoded object; the first problem found, with the path it is at, or undefined. */
function checkObject(value: unknown): { path: Path; detail: string } | undefined {
  if (!isRecord(value)) return { path: [], detail: 'not a mapping (expected a Kubernetes object)' };
  const { apiVersion, kind, metadata } = value;
  if (apiVersion === undefined || apiVersion === null || apiVersion === '') {
    return { path: [], detail: 'missing apiVersion' };
  }
  if (typeof apiVersion !== 'string' || !/^([^/\s]+\/)?[^/\s]+$/.test(apiVersion)) {
    return {
      path: ['apiVersion'],
      detail: `apiVersion must be "version" or "group/version", got ${show(apiVersion)}`,
    };
  }
  if (kind === undefined || kind === null || kind === '') return { path: [], detail: 'missing kind' };
  if (typeof kind !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(kind)) {
    return { path: ['kind'], detail: `kind must be an identifier, got ${show(kind)}` };
  }
  if (metadata === undefined || metadata === null) return { path: [], detail: 'missing metadata.name' };
  if (!isRecord(metadata)) return { path: ['metadata'], detail: 'metadata must be a mapping' };

  const { name, namespace, labels, annotations } = metadata;
  if (name === undefined || name === null) return { path: ['metadata'], detail: 'missing metadata.name' };
  if (name === '') return { path: ['metadata', 'name'], detail: 'missing metadata.name' };
  if (typeof name !== 'string')
    return { path: ['metadata', 'name'], detail: 'metadata.name must be a string' };
  if (name.length > MAX_NAME_LENGTH) {
    return {
      path: ['metadata', 'name'],
      detail: `metadata.name is longer than ${MAX_NAME_LENGTH} characters`,
    };
  }
  if (namespace !== undefined && namespace !== null) {
    if (typeof namespace !== 'string') {
      return { path: ['metadata', 'namespace'], detail: 'metadata.namespace must be a string' };
    }
    if (namespace.length > MAX_NAMESPACE_LENGTH) {
      return {
        path: ['metadata', 'namespace'],
        detail: `metadata.namespace is longer than ${MAX_NAMESPACE_LENGTH} characters`,
      };
    }
  }
  for (const [field, map] of [
    ['labels', labels],
    ['annotations', annotations],
  ] as const) {
    if (map === undefined || map === null) continue;
    if (!isRecord(map)) return { path: ['metadata', field], detail: `metadata.${field} must be a mapping` };
    for (const [key, entry] of Object.entries(map)) {
      if (typeof entry !== 'string') {
        return {
          path: ['metadata', field, key],
          detail: `metadata.${field}.${key} must be a string, got ${show(entry)} (quote it)`,
        };
      }
    }
  }
  return undefined;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a sequence';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value) ?? String(value);
}

/** A checked object with an empty or null namespace, labels or annotations normalised away. */
function normalise(value: Record<string, unknown>): KubeObject {
  const obj = value as KubeObject;
  const metadata = { ...obj.metadata };
  for (const key of ['namespace', 'labels', 'annotations'] as const) {
    if (metadata[key] === null || metadata[key] === '') delete metadata[key];
  }
  return { ...obj, metadata };
}

/** Kubernetes' `meta.IsListType`: kind `List`, or `…List` with an `items` sequence. */
function isList(value: Record<string, unknown>): boolean {
  if (typeof value.kind !== 'string') return false;
  return value.kind === 'List' || (value.kind.endsWith('List') && Array.isArray(value.items));
}

/**
 * Parses a multi-document YAML stream into Kubernetes objects.
 *
 * - Empty documents (`---` alone, comments only, `~`) are skipped.
 * - `List` objects are expanded into their items.
 * - Every object needs apiVersion, kind and metadata.name; labels and annotations must be strings.
 *   Empty `metadata.namespace` is removed (the API server treats it as absent).
 * - Ids must be unique (`namespace_name_group_kind`); a repeated object is an error and only the
 *   first one is kept.
 *
 * Problems do not stop the parse: every document is checked and all problems are returned, each
 * with the document number and line. A document with a YAML syntax error contributes no objects.
 * The caller decides whether a bundle with errors is applied (it should not be).
 *
 * YAML is read as 1.2 (core schema) with `<<` merge keys, which kubectl also accepts.
 */
export function parseManifests(yamlText: string): ParsedManifests {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(yamlText, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
  });
  const objects: KubeObject[] = [];
  const errors: ManifestError[] = [];
  const firstSeen = new Map<string, number>();

  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;

  documents.forEach((document, index) => {
    const docNumber = index + 1;
    const contents = document.contents;

    if (document.errors.length > 0) {
      for (const yamlError of document.errors) {
        const pos = lineCounter.linePos(yamlError.pos[0]);
        errors.push(formatError({ doc: docNumber, line: pos.line, col: pos.col }, yamlError.message));
      }
      return;
    }
    if (contents === null || (isScalar(contents) && contents.value === null)) return;

    /** The line of the deepest node that exists along `path` (under `base`). */
    const lineOf = (base: Path, path: Path): number | undefined => {
      const full = [...base, ...path];
      for (let depth = full.length; depth >= 0; depth--) {
        const offset = offsetOf(document, full.slice(0, depth));
        if (offset !== undefined) return lineAt(offset);
      }
      return undefined;
    };

    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      errors.push(formatError({ doc: docNumber, line: lineOf([], []) }, detail));
      return;
    }

    const accept = (candidate: unknown, base: Path, item: number | undefined): void => {
      const place = (path: Path): Place => {
        const p: Place = { doc: docNumber };
        if (item !== undefined) p.item = item;
        const line = lineOf(base, path);
        if (line !== undefined) p.line = line;
        return p;
      };
      const problem = checkObject(candidate);
      if (problem !== undefined) {
        errors.push(formatError(place(problem.path), problem.detail));
        return;
      }
      const obj = normalise(candidate as Record<string, unknown>);
      const id = objectId(obj);
      const first = firstSeen.get(id);
      if (first !== undefined) {
        errors.push(
          formatError(place([]), `duplicate object ${describeRef(refOf(obj))} (first in doc ${first})`),
        );
        return;
      }
      firstSeen.set(id, docNumber);
      objects.push(obj);
    };

    if (isRecord(value) && isList(value)) {
      const items = value.items;
      if (items === undefined || items === null) return;
      if (!Array.isArray(items)) {
        errors.push(
          formatError(
            { doc: docNumber, line: lineOf(['items'], []) },
            `${String(value.kind)}.items must be a sequence`,
          ),
        );
        return;
      }
      items.forEach((item, i) => {
        if (isRecord(item) && isList(item)) {
          errors.push(
            formatError(
              { doc: docNumber, item: i, line: lineOf(['items', i], []) },
              'nested lists are not supported',
            ),
          );
          return;
        }
        accept(item, ['items', i], i);
      });
      return;
    }
    accept(value, [], undefined);
  });

  return { objects, errors };
}

/**
 * Where the node at `path` starts: for a mapping entry, its key (`metadata:` rather than the block
 * under it); for a sequence item, the item; for the empty path, the document's contents.
 */
function offsetOf(document: Document.Parsed, path: Path): number | undefined {
  if (path.length === 0) return isNode(document.contents) ? document.contents.range?.[0] : undefined;
  const parent: unknown = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
    if (pair === undefined) return undefined;
    if (isNode(pair.key)) return pair.key.range?.[0];
    return isNode(pair.value) ? pair.value.range?.[0] : undefined;
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item: unknown = parent.items[last];
    return isNode(item) ? item.range?.[0] : undefined;
  }
  return undefined;
}
