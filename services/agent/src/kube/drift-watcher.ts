import { isRecord, MANAGED_BY_LABEL, MANAGED_BY_VALUE, objectId, type KubeObject } from '../domain/index.js';
import type { KubeClients } from './clients.js';
import type { WatchHandle } from './http.js';
import { comparable, deepEqual, forApply, project } from './compare.js';
import { asKubeObject, type CollectionKey } from './resources.js';

export type DriftType = 'MODIFIED' | 'DELETED';

export interface DriftEvent {
  application: string;
  /** `namespace_name_group_kind`. */
  id: string;
  type: DriftType;
}

export interface DriftWatcherOptions {
  onDrift: (event: DriftEvent) => void;
  /** A watch failed or went silent (it is restarted on its own); for logs and metrics. */
  onError?: (error: unknown, scope: string) => void;
  /** Default `fleetwave.io/managed-by=fleetwave`. */
  labelSelector?: string;
  /** The API server ends every watch after this long and it is resumed; default 300. */
  watchTimeoutSeconds?: number;
  /**
   * A watch with no event for this long is taken for dead (a watch can hang without an error
   * when a connection silently dies), then re-listed and restarted. Default
   * `watchTimeoutSeconds` + 60 s: a healthy watch always ends within `watchTimeoutSeconds`.
   */
  silenceTimeoutMs?: number;
  /**
   * How long after an event the object is compared with its baseline; later events for it within
   * the window are folded in. It lets the baseline of the agent's own apply (see
   * {@link DriftWatcher.observe}) arrive before its watch event is judged. Default 500 ms.
   */
  settleMs?: number;
  /** Restart backoff after an error: doubling from `backoffInitialMs` to `backoffMaxMs`, jittered. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

type ResolvedOptions = Required<Omit<DriftWatcherOptions, 'onError'>> & Pick<DriftWatcherOptions, 'onError'>;

interface Tracked {
  application: string;
  scope: string;
  key: CollectionKey;
  /** The manifest without status and server metadata: which fields drift is judged on. */
  shape: Record<string, unknown>;
  /** The projection last reported as drifted, so one change is reported once. */
  reported?: unknown;
  deletedReported: boolean;
}

export interface DriftWatcherStats {
  scopes: number;
  /** Watches started again after an error, a silence, a 410 Gone. */
  restarts: number;
  /** Watches the server ended (after `watchTimeoutSeconds`) and that went on from where they were. */
  resumes: number;
  /** Scopes whose first list is done and whose watch is running. */
  synced: number;
}

/**
 * Watches what the agent applied and reports out-of-band changes (an accelerator: the agent's
 * periodic full resync catches anything missed). One watch per apiVersion/kind and namespace (or
 * cluster scope) of the tracked objects, selected by the owner label.
 *
 * An object drifted when a field its manifest sets no longer has the value the server stored after
 * the agent's apply (its baseline): status, server defaults and fields other controllers own do not
 * count. The baseline comes from {@link observe} (wire it to the applier's `onApplied`), or else is
 * the object as first seen. Deleted, or no longer carrying the owner label, is `DELETED`.
 *
 * The caller {@link track}s the new set of an application before pruning, so its own prune is not
 * reported.
 */
export class DriftWatcher {
  private readonly options: ResolvedOptions;
  private readonly tracked = new Map<string, Tracked>();
  private readonly baselines = new Map<string, KubeObject>();
  private readonly untrackedBaselines = new Map<string, { live: KubeObject; at: number }>();
  private readonly latest = new Map<string, KubeObject>();
  private readonly seen = new Map<string, string>();
  private readonly settleTimers = new Map<string, NodeJS.Timeout>();
  private readonly watches = new Map<string, ScopeWatch>();
  private restartCount = 0;
  private resumeCount = 0;
  private stopped = false;

  constructor(
    private readonly clients: KubeClients,
    options: DriftWatcherOptions,
  ) {
    const watchTimeoutSeconds = options.watchTimeoutSeconds ?? 300;
    this.options = {
      onDrift: options.onDrift,
      onError: options.onError,
      labelSelector: options.labelSelector ?? `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`,
      watchTimeoutSeconds,
      silenceTimeoutMs: options.silenceTimeoutMs ?? (watchTimeoutSeconds + 60) * 1000,
      settleMs: options.settleMs ?? 500,
      backoffInitialMs: options.backoffInitialMs ?? 1_000,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
    };
  }

  /**
   * The objects of `application` to watch from now on (its bundle, after `checkNamespaces`),
   * replacing the previous set: objects no longer in it are forgotten. Watches start and stop to
   * match.
   */
  track(application: string, objects: readonly KubeObject[]): void {
    if (this.stopped) return;
    const next = new Map<string, Tracked>();
    for (const obj of objects) {
      const id = objectId(obj);
      const key: CollectionKey = { apiVersion: obj.apiVersion, kind: obj.kind };
      if (obj.metadata.namespace) key.namespace = obj.metadata.namespace;
      const previous = this.tracked.get(id);
      const same = previous?.application === application;
      next.set(id, {
        application,
        scope: scopeOf(key),
        key,
        shape: comparable(forApply(obj)),
        reported: same ? previous.reported : undefined,
        deletedReported: same ? previous.deletedReported : false,
      });
    }
    for (const [id, tracked] of this.tracked) {
      if (tracked.application === application && !next.has(id)) this.forget(id);
    }
    for (const [id, tracked] of next) {
      this.tracked.set(id, tracked);
      const pending = this.untrackedBaselines.get(id);
      if (pending !== undefined) {
        this.baselines.set(id, pending.live);
        this.untrackedBaselines.delete(id);
      }
    }
    this.syncWatches();
  }

  /** Stop watching everything of `application`. */
  untrack(application: string): void {
    this.track(application, []);
  }

  /**
   * The object as the server stored it after the agent applied it (or found it unchanged): the
   * baseline drift is judged against. Takes the applier's `AppliedObject`.
   */
  observe(applied: { id: string; live: KubeObject }): void {
    if (this.stopped) return;
    const tracked = this.tracked.get(applied.id);
    if (tracked === undefined) {
      // Applied before its first track(): kept for it a while.
      const now = Date.now();
      for (const [id, pending] of this.untrackedBaselines) {
        if (now - pending.at > UNTRACKED_BASELINE_TTL_MS) this.untrackedBaselines.delete(id);
      }
      this.untrackedBaselines.set(applied.id, { live: applied.live, at: now });
      return;
    }
    this.baselines.set(applied.id, applied.live);
    tracked.reported = undefined;
    tracked.deletedReported = false;
  }

  /** Closes every watch and timer. The watcher cannot be used again. */
  stop(): Promise<void> {
    this.stopped = true;
    this.untrackedBaselines.clear();
    for (const watch of this.watches.values()) watch.stop();
    this.watches.clear();
    for (const timer of this.settleTimers.values()) clearTimeout(timer);
    this.settleTimers.clear();
    return Promise.resolve();
  }

  /** `apps/v1 Deployment shop`, `v1 Namespace *`: the watches running. */
  scopes(): string[] {
    return [...this.watches.keys()].sort();
  }

  stats(): DriftWatcherStats {
    let synced = 0;
    for (const watch of this.watches.values()) if (watch.synced) synced += 1;
    return { scopes: this.watches.size, restarts: this.restartCount, resumes: this.resumeCount, synced };
  }

  /** True when every watch has listed and is watching, and no event waits to be judged. */
  isIdle(): boolean {
    const { scopes, synced } = this.stats();
    return synced === scopes && this.settleTimers.size === 0;
  }

  /** The resourceVersion of the last event or list seen for a tracked object (diagnostics, tests). */
  lastSeenResourceVersion(id: string): string | undefined {
    return this.seen.get(id);
  }

  // ------------------------------------------------------------------ sink for the scope watches

  private readonly sink: ScopeSink = {
    listed: (scope, items) => this.onListed(scope, items),
    changed: (obj) => this.onChanged(obj),
    deleted: (id, resourceVersion) => this.onDeleted(id, resourceVersion),
    error: (err, scope) => this.onWatchError(err, scope),
    resumed: () => {
      this.resumeCount += 1;
    },
  };

  /** A fresh list of one scope: every object is judged, and tracked objects missing from it are gone. */
  private onListed(scope: string, items: readonly KubeObject[]): void {
    const present = new Set<string>();
    for (const item of items) {
      present.add(objectId(item));
      this.onChanged(item);
    }
    for (const [id, tracked] of this.tracked) {
      // Only what was seen before: an object not created yet is not a deletion.
      if (tracked.scope === scope && !present.has(id) && this.baselines.has(id)) this.onDeleted(id);
    }
  }

  private onChanged(obj: KubeObject): void {
    const id = objectId(obj);
    if (!this.tracked.has(id)) return;
    if (obj.metadata.resourceVersion !== undefined) this.seen.set(id, String(obj.metadata.resourceVersion));
    this.latest.set(id, obj);
    if (this.settleTimers.has(id)) return;
    const timer = setTimeout(() => {
      this.settleTimers.delete(id);
      this.evaluate(id);
    }, this.options.settleMs);
    this.settleTimers.set(id, timer);
  }

  private onDeleted(id: string, resourceVersion?: string): void {
    const tracked = this.tracked.get(id);
    if (tracked === undefined) return;
    if (resourceVersion !== undefined) this.seen.set(id, resourceVersion);
    const timer = this.settleTimers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.settleTimers.delete(id);
    this.latest.delete(id);
    this.baselines.delete(id);
    tracked.reported = undefined;
    if (tracked.deletedReported) return;
    tracked.deletedReported = true;
    this.emit({ application: tracked.application, id, type: 'DELETED' });
  }

  private onWatchError(err: unknown, scope: string): void {
    this.restartCount += 1;
    try {
      this.options.onError?.(err, scope);
    } catch {
      // A listener's failure must not stop the watch.
    }
  }

  // ------------------------------------------------------------------------------------ internals

  private evaluate(id: string): void {
    const tracked = this.tracked.get(id);
    const live = this.latest.get(id);
    if (tracked === undefined || live === undefined || this.stopped) return;
    if (live.metadata.deletionTimestamp !== undefined) return; // DELETED follows
    tracked.deletedReported = false;
    const baseline = this.baselines.get(id);
    if (baseline === undefined) {
      this.baselines.set(id, live);
      return;
    }
    const current = project(comparable(live), tracked.shape);
    if (deepEqual(current, project(comparable(baseline), tracked.shape))) {
      tracked.reported = undefined;
      return;
    }
    if (tracked.reported !== undefined && deepEqual(current, tracked.reported)) return;
    tracked.reported = current;
    this.emit({ application: tracked.application, id, type: 'MODIFIED' });
  }

  private emit(event: DriftEvent): void {
    try {
      this.options.onDrift(event);
    } catch {
      // A listener's failure must not stop the watch.
    }
  }

  private forget(id: string): void {
    this.tracked.delete(id);
    this.baselines.delete(id);
    this.latest.delete(id);
    this.seen.delete(id);
    const timer = this.settleTimers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.settleTimers.delete(id);
  }

  private syncWatches(): void {
    const wanted = new Map<string, CollectionKey>();
    for (const tracked of this.tracked.values()) wanted.set(tracked.scope, tracked.key);
    for (const [scope, watch] of this.watches) {
      if (!wanted.has(scope)) {
        watch.stop();
        this.watches.delete(scope);
      }
    }
    for (const [scope, key] of wanted) {
      if (!this.watches.has(scope)) {
        const watch = new ScopeWatch(scope, key, this.sink, this.clients, this.options);
        this.watches.set(scope, watch);
        watch.start();
      }
    }
  }
}

/** How a scope watch reports to its {@link DriftWatcher}. */
interface ScopeSink {
  listed(scope: string, items: readonly KubeObject[]): void;
  changed(obj: KubeObject): void;
  deleted(id: string, resourceVersion?: string): void;
  /** The watch failed and restarts (after a backoff, or at once for a silence or 410). */
  error(err: unknown, scope: string): void;
  resumed(): void;
}

/** How long a baseline observed for an object not tracked (yet) is kept for its track(). */
const UNTRACKED_BASELINE_TTL_MS = 10 * 60_000;

function scopeOf(key: CollectionKey): string {
  return `${key.apiVersion} ${key.kind} ${key.namespace ?? '*'}`;
}

/** The minimum a watch must last to be resumed at once when the server ends it. */
const MIN_HEALTHY_WATCH_MS = 1_000;

/**
 * List, then watch from the list's resourceVersion, for one scope. Every (re)start bumps
 * `generation`; callbacks of an older generation are ignored, so an aborted or abandoned watch can
 * never act. A watch the server ends normally is resumed from the last resourceVersion; an error
 * (or 410 Gone) re-lists after a backoff; a silent watch is abandoned and re-listed.
 */
class ScopeWatch {
  synced = false;
  private generation = 0;
  private resourceVersion: string | undefined;
  private lastActivity = Date.now();
  private watchStartedAt = 0;
  private controller: WatchHandle | undefined;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly watchdog: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly scope: string,
    private readonly key: CollectionKey,
    private readonly sink: ScopeSink,
    private readonly clients: KubeClients,
    private readonly options: ResolvedOptions,
  ) {
    const every = Math.max(200, Math.min(options.silenceTimeoutMs / 4, 30_000));
    this.watchdog = setInterval(() => this.checkSilence(), every);
  }

  start(): void {
    void this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.generation += 1;
    clearInterval(this.watchdog);
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.abort();
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    this.generation += 1;
    const generation = this.generation;
    this.abort();
    this.synced = false;
    this.lastActivity = Date.now();
    try {
      const list = await this.clients.resources.list(this.key, { labelSelector: this.options.labelSelector });
      if (!this.current(generation)) return;
      this.resourceVersion = list.resourceVersion;
      this.sink.listed(this.scope, list.items);
      await this.watch(generation);
    } catch (err) {
      if (this.current(generation)) this.fail(err);
    }
  }

  private async watch(generation: number): Promise<void> {
    const path = await this.clients.resources.collectionPath(this.key);
    if (!this.current(generation)) return;
    this.lastActivity = Date.now();
    this.watchStartedAt = Date.now();
    const controller = await this.clients.http.watch(
      path,
      {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: this.options.watchTimeoutSeconds,
        labelSelector: this.options.labelSelector,
      },
      (type: string, obj: unknown) => this.onEvent(generation, type, obj),
      (err: unknown) => this.onDone(generation, err),
    );
    if (!this.current(generation)) {
      controller.abort();
      return;
    }
    this.controller = controller;
    this.synced = true;
  }

  private onEvent(generation: number, type: string, raw: unknown): void {
    if (!this.current(generation)) return;
    this.lastActivity = Date.now();
    if (type === 'ERROR') {
      // Usually 410 Gone (the resourceVersion is too old): list again.
      const code = isRecord(raw) ? raw.code : undefined;
      this.resourceVersion = undefined;
      this.sink.error(
        new Error(`watch error event${typeof code === 'number' ? ` (${code})` : ''}`),
        this.scope,
      );
      void this.relist();
      return;
    }
    const metadata = isRecord(raw) && isRecord(raw.metadata) ? raw.metadata : undefined;
    if (typeof metadata?.resourceVersion === 'string') this.resourceVersion = metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const obj = asKubeObject(raw);
    if (obj === undefined) return;
    this.failures = 0;
    if (type === 'DELETED') this.sink.deleted(objectId(obj), this.resourceVersion);
    else if (type === 'ADDED' || type === 'MODIFIED') this.sink.changed(obj);
  }

  private onDone(generation: number, err: unknown): void {
    if (!this.current(generation)) return;
    this.controller = undefined;
    this.synced = false;
    if (err !== null && err !== undefined) {
      this.fail(err);
      return;
    }
    // The server ended the watch (timeoutSeconds): resume where it stopped.
    if (Date.now() - this.watchStartedAt < MIN_HEALTHY_WATCH_MS) {
      this.fail(new Error('watch ended at once'));
      return;
    }
    if (this.resourceVersion === undefined) {
      void this.relist();
      return;
    }
    this.generation += 1;
    const next = this.generation;
    this.sink.resumed();
    this.watch(next).catch((watchErr: unknown) => {
      if (this.current(next)) this.fail(watchErr);
    });
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    this.generation += 1; // whatever is still running is abandoned
    this.abort();
    this.synced = false;
    this.failures += 1;
    this.sink.error(err, this.scope);
    const base = Math.min(
      this.options.backoffMaxMs,
      this.options.backoffInitialMs * 2 ** Math.min(this.failures - 1, 16),
    );
    const wait = base / 2 + Math.random() * (base / 2);
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.relist();
    }, wait);
  }

  private checkSilence(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const silentMs = Date.now() - this.lastActivity;
    if (silentMs <= this.options.silenceTimeoutMs) return;
    this.sink.error(new Error(`watch silent for ${Math.round(silentMs / 1000)}s; re-listing`), this.scope);
    void this.relist();
  }

  private abort(): void {
    const controller = this.controller;
    this.controller = undefined;
    controller?.abort();
  }

  private current(generation: number): boolean {
    return !this.stopped && generation === this.generation;
  }
}
