import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import pg from 'pg';
import { type Logger } from 'pino';
import { type EntityManager } from 'typeorm';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { LOGGER } from '../logging/logging.module.js';

const CHANNEL = 'fleetwave_assignments';
/** Postgres limits a NOTIFY payload to 8000 bytes; ids are 36 bytes plus a comma. */
const IDS_PER_NOTIFY = 200;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;
/** Wake-ups are kept at least this long (pruned every RETAIN_WAKEUPS_MS, older ones only). */
const RETAIN_WAKEUPS_MS = 300_000;

type Waiter = () => void;

/**
 * Queues a wake-up for the clusters' long-polls in `tx` (delivered when, and if, it commits). Every
 * change of a cluster's assignment generation sends one (AssignmentsRepository.bumpGenerations):
 * a poll that timed out with LISTEN up answers 304 without a re-read, and the agent guard may serve
 * the cluster's row from its cache, so a bump without a wake-up would reach the agent only when
 * that cached row expires.
 */
export async function queueWakeups(tx: EntityManager, clusterIds: readonly string[]): Promise<void> {
  for (let i = 0; i < clusterIds.length; i += IDS_PER_NOTIFY) {
    await tx.query(`SELECT pg_notify($1, $2)`, [CHANNEL, clusterIds.slice(i, i + IDS_PER_NOTIFY).join(',')]);
  }
}

/** How a held poll ended: a notification (or a reconnect) woke it, its time ran out, or it was aborted. */
export type WaitOutcome = 'woken' | 'timeout' | 'aborted';

/**
 * Wakes long-polling agents on every hub replica when their assignments change. The writer sends
 * `NOTIFY` inside its transaction, so Postgres delivers it only after the commit (never before the
 * data is visible) and to every replica's LISTEN connection. If that connection is down, polls
 * still end at their timeout and the agent compares generations: a lost wake-up costs latency, not
 * correctness.
 */
@Injectable()
export class AssignmentNotifier
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly waiters = new Map<string, Set<Waiter>>();
  private client: pg.Client | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;
  private isDraining = false;
  private markListening!: () => void;
  private readonly listening = new Promise<void>((resolve) => (this.markListening = resolve));
  private readonly log: Logger;
  /** Moves every time LISTEN is (re-)established or lost: an unchanged epoch means no gap. */
  private epoch = 0;
  private epochChangedAt = 0;
  /** performance.now() of each cluster's latest wake-up (pruned: only recent ones matter). */
  private readonly notifiedAt = new Map<string, number>();
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'assignment-notifier' });
  }

  onApplicationBootstrap(): void {
    void this.connect();
    this.pruneTimer = setInterval(() => {
      const before = performance.now() - RETAIN_WAKEUPS_MS;
      for (const [id, at] of this.notifiedAt) if (at < before) this.notifiedAt.delete(id);
    }, RETAIN_WAKEUPS_MS);
    this.pruneTimer.unref();
  }

  /**
   * Whether the cluster's assignments may have changed since `mark` (a performance.now() taken
   * before its generation was read): it was notified since, or LISTEN is down or was re-established
   * since (a notification may have been missed). When false, the generation read after `mark` is
   * still current: anything committed later would have notified by now or will wake the waiter
   * registered before this call.
   */
  changedSince(clusterId: string, mark: number): boolean {
    if (this.client === undefined || this.epochChangedAt >= mark) return true;
    // Older than the wake-ups kept (the agent guard's cached row may be that old): cannot tell.
    if (performance.now() - mark >= RETAIN_WAKEUPS_MS) return true;
    return (this.notifiedAt.get(clusterId) ?? -Infinity) >= mark;
  }

  /** Resolves once LISTEN is active (tests, diagnostics). */
  whenListening(): Promise<void> {
    return this.listening;
  }

  /** Queues the wake-up in the writer's transaction; it is delivered when (and if) that commits. */
  notify(tx: EntityManager, clusterIds: readonly string[]): Promise<void> {
    return queueWakeups(tx, clusterIds);
  }

  /**
   * Resolves when the cluster's assignments may have changed, or after `timeoutMs`, or when
   * `cancel` is called (the agent hung up, or the poll was answered). Register before reading the generation, so a change in between is not missed.
   * `unbroken` tells, after the wait, whether LISTEN was up the whole time: a poll that timed out
   * unbroken saw no change of its cluster committed since it started waiting, and needs no re-read.
   */
  wait(
    clusterId: string,
    timeoutMs: number,
  ): { done: Promise<WaitOutcome>; cancel: () => void; unbroken: () => boolean } {
    let cancel!: () => void;
    const epoch = this.client === undefined ? -1 : this.epoch;
    const done = new Promise<WaitOutcome>((resolve) => {
      const set = this.waiters.get(clusterId) ?? new Set<Waiter>();
      this.waiters.set(clusterId, set);
      const finishWith = (outcome: WaitOutcome) => () => {
        clearTimeout(timer);
        set.delete(woken);
        if (set.size === 0 && this.waiters.get(clusterId) === set) this.waiters.delete(clusterId);
        resolve(outcome);
      };
      const woken = finishWith('woken');
      const timer = setTimeout(finishWith('timeout'), timeoutMs);
      set.add(woken);
      cancel = finishWith('aborted');
      if (this.isDraining) woken();
    });
    return {
      done,
      cancel,
      unbroken: () => epoch !== -1 && this.client !== undefined && this.epoch === epoch,
    };
  }

  /** Shutting down: polls are not held any more (the HTTP server waits for every open request). */
  get draining(): boolean {
    return this.isDraining;
  }

  /** Number of polls held right now (metrics). */
  get waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  /**
   * Nest closes the HTTP server before `onApplicationShutdown`, and the server waits for open
   * requests: a held poll would hold the shutdown for up to the poll timeout. Release them first
   * (and hold no new one); agents poll again, another replica or this one restarted.
   */
  beforeApplicationShutdown(): void {
    this.isDraining = true;
    for (const set of [...this.waiters.values()]) for (const finish of [...set]) finish();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.beforeApplicationShutdown();
    clearTimeout(this.retryTimer);
    clearInterval(this.pruneTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private wake(payload: string | undefined): void {
    const now = performance.now();
    for (const id of (payload ?? '').split(',')) {
      this.notifiedAt.set(id, now);
      const set = this.waiters.get(id);
      if (set) for (const finish of [...set]) finish();
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.config.database.url });
    client.on('notification', (message) => {
      if (message.channel === CHANNEL) this.wake(message.payload);
    });
    client.on('error', (error) => this.reconnect(client, error));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.epoch++;
      this.epochChangedAt = performance.now();
      this.attempts = 0;
      this.markListening();
      // Whatever changed while not listening: wake every held poll so it re-reads its generation.
      for (const set of [...this.waiters.values()]) for (const finish of [...set]) finish();
    } catch (error) {
      this.reconnect(client, error);
    }
  }

  private reconnect(client: pg.Client, error: unknown): void {
    if (this.client === client) {
      this.client = undefined;
      this.epoch++;
      this.epochChangedAt = performance.now();
    }
    void client.end().catch(() => undefined);
    if (this.stopped || this.retryTimer !== undefined) return;
    this.log.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'assignment LISTEN lost; reconnecting',
    );
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.attempts);
    this.attempts = Math.min(this.attempts + 1, 10);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}
