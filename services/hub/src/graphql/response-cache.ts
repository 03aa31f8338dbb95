import {
  type DocumentNode,
  type FieldNode,
  Kind,
  type OperationDefinitionNode,
  valueFromASTUntyped,
} from 'graphql';
import { type Actor } from '../common/actor.js';
import { type ReadStamp, servable } from '../common/read-cache.js';

/** The one root field of an operation that may be answered from memory, with its arguments' nodes. */
export interface CacheableRoot {
  name: string;
  field: FieldNode;
  operation: OperationDefinitionNode;
}

/**
 * Pure: the root field of the operation a request executes, if the operation is a query of exactly
 * one root field with no directives (an `@include`/`@skip` or a fragment at the root would make
 * what executes depend on more than the field). Anything else goes the normal path.
 */
export function cacheableRoot(
  document: DocumentNode,
  operationName: string | undefined,
): CacheableRoot | null {
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const operation =
    operationName === undefined
      ? operations.length === 1
        ? operations[0]
        : undefined
      : operations.find((o) => o.name?.value === operationName);
  if (operation === undefined || operation.operation !== 'query') return null;
  if ((operation.directives?.length ?? 0) > 0) return null;
  const selections = operation.selectionSet.selections;
  if (selections.length !== 1 || selections[0]!.kind !== Kind.FIELD) return null;
  const field = selections[0]!;
  if ((field.directives?.length ?? 0) > 0 || field.name.value.startsWith('__')) return null;
  return { name: field.name.value, field, operation };
}

/** Pure: the root field's arguments as JSON values (variables substituted; an absent variable is undefined). */
export function rootArguments(
  root: CacheableRoot,
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  return Object.fromEntries(
    (root.field.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]),
  );
}

/**
 * Pure: everything that makes one answer differ from another for the same version of what it
 * shows: the document, the operation and variables chosen, and the caller — its name and
 * everything that decides what it may see (role, bound project, groups, projects it is a member
 * of). Two callers never share an entry, so no caller is ever served an answer computed for another.
 */
export function responseKey(request: {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  caller: Actor;
}): string {
  const { caller } = request;
  return JSON.stringify([
    request.query,
    request.operationName ?? null,
    request.variables ?? null,
    caller.name,
    caller.role,
    caller.project ?? null,
    caller.membersOnly ?? false,
    caller.memberOf ?? null,
    caller.groups ?? null,
  ]);
}

/** A serialised answer as sent (UTF-8 bytes: not encoded again for every write), with its entity tag (the hash of the body). */
export interface StoredResponse {
  body: Buffer;
  etag: string;
}

export interface ResponseStoreOptions {
  /** The staleness bound (HUB_READ_CACHE_MS); 0: nothing is stored. */
  maxAgeMs: number;
  /** Bytes of bodies kept at most, all scopes together (least recently used go first). */
  maxBytes: number;
  /** Answers kept per scope (e.g. a rollout) at most: callers × queries × variables. */
  maxPerScope: number;
}

interface Entry {
  scope: string;
  stamp: ReadStamp;
  response: StoredResponse;
}

/**
 * Serialised answers by scope and key, each stamped with the version of its scope it was computed
 * at: served only while {@link servable} (the same version, within the bound by both clocks).
 * Bounded: entries per scope and total bytes, least recently used evicted first; an answer
 * larger than a quarter of the total is not kept. Pure data structure (the stamps come in).
 */
export class ResponseStore {
  /** By scope + key, in least-recently-used order (a hit moves its entry to the end). */
  private readonly entries = new Map<string, Entry>();
  /** Each scope's entry keys, in least-recently-used order. */
  private readonly scopes = new Map<string, Set<string>>();
  private bytes = 0;

  constructor(private readonly options: ResponseStoreOptions) {}

  /** The answer kept for `key` in `scope`, if servable at `now` (a stale one is dropped). */
  get(scope: string, key: string, now: ReadStamp): StoredResponse | undefined {
    const id = entryId(scope, key);
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (!servable(entry.stamp, now, this.options.maxAgeMs)) {
      this.drop(id);
      return undefined;
    }
    this.touch(id, entry);
    return entry.response;
  }

  /** Keeps an answer computed at `made`; the scope's answers of another version go. */
  put(scope: string, key: string, made: ReadStamp, response: StoredResponse): void {
    if (this.options.maxAgeMs <= 0 || response.body.length > this.options.maxBytes / 4) return;
    const id = entryId(scope, key);
    const keys = this.scopes.get(scope);
    for (const other of keys ?? []) {
      if (other === id || this.entries.get(other)!.stamp.version !== made.version) this.drop(other);
    }
    const left = this.scopes.get(scope);
    if (left !== undefined && left.size >= this.options.maxPerScope) {
      this.drop(left.values().next().value as string);
    }
    const entry = { scope, stamp: made, response };
    this.touch(id, entry);
    this.bytes += response.body.length;
    while (this.bytes > this.options.maxBytes) this.drop(this.entries.keys().next().value as string);
  }

  /** Entries and bytes kept (for tests and metrics). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private touch(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.entries.set(id, entry);
    let keys = this.scopes.get(entry.scope);
    if (keys === undefined) this.scopes.set(entry.scope, (keys = new Set()));
    keys.delete(id);
    keys.add(id);
  }

  private drop(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    this.entries.delete(id);
    this.bytes -= entry.response.body.length;
    const keys = this.scopes.get(entry.scope)!;
    keys.delete(id);
    if (keys.size === 0) this.scopes.delete(entry.scope);
  }
}

function entryId(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}
