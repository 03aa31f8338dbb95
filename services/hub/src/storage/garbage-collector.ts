import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { ApplicationsRepository } from '../applications/applications.repository.js';
import { BundlesRepository } from '../bundles/bundles.repository.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type Collected } from '../database/unreferenced.js';
import { type HubConfig } from '../config/hub-config.js';
import { LOGGER } from '../logging/logging.module.js';
import { MetricsService } from '../metrics/metrics.service.js';

/** Every replica asks for this session lock: one collects at a time, the others skip their turn. */
export const GC_LOCK_KEY = 7_242_031_314;
/** Batches of one kind per run at most; a backlog larger than this goes over several runs. */
const MAX_BATCHES_PER_RUN = 100;
const DAY_MS = 86_400_000;

export type CollectedKind = 'bundle' | 'artifact';

/** What one run removed, by kind; `null` from {@link GarbageCollector.collect}: it did not run. */
export type CollectionResult = Record<CollectedKind, Collected>;

/** Older than this, an unreferenced bundle or artifact (or a finished rollout's references) goes. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/**
 * Bounded storage: deletes bundles and revision artifacts that nothing references any more and that
 * are older than `HUB_GC_RETENTION_DAYS` (what "referenced" means is spelled once per table, next
 * to the table's other queries: `BundlesRepository.collect`, `ApplicationsRepository.collectArtifacts`).
 * Runs every `HUB_GC_INTERVAL_SECONDS` on one replica at a time (a session advisory lock), in
 * transactions of at most `HUB_GC_BATCH_SIZE` rows; logged and metered. `HUB_GC_ENABLED=false`
 * collects nothing.
 */
@Injectable()
export class GarbageCollector implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private readonly log: Logger;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(BundlesRepository) private readonly bundles: BundlesRepository,
    @Inject(ApplicationsRepository) private readonly applications: ApplicationsRepository,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'garbage-collector' });
  }

  onApplicationBootstrap(): void {
    if (!this.config.gc.enabled) {
      this.log.info('garbage collection is off (HUB_GC_ENABLED=false): bundles and artifacts are kept');
      return;
    }
    this.timer = setInterval(() => {
      this.collect().catch((error: unknown) =>
        this.log.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'garbage collection failed; will retry',
        ),
      );
    }, this.config.gc.intervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  /**
   * One run at `now` (the hub's clock; tests pass their own). Null when it did not run: collection
   * is off, or another replica is collecting.
   */
  collect(now = new Date()): Promise<CollectionResult | null> {
    const run = this.running.catch(() => undefined).then(() => this.collectOnce(now));
    this.running = run;
    return run;
  }

  private async collectOnce(now: Date): Promise<CollectionResult | null> {
    if (!this.config.gc.enabled) return null;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [GC_LOCK_KEY])) as {
        locked: boolean;
      }[];
      if (!lock?.locked) return null;
      try {
        const cutoff = retentionCutoff(now, this.config.gc.retentionDays);
        const { batchSize } = this.config.gc;
        const result: CollectionResult = {
          bundle: await this.batches('bundle', (tx) => this.bundles.collect(tx, cutoff, batchSize), runner),
          artifact: await this.batches(
            'artifact',
            (tx) => this.applications.collectArtifacts(tx, cutoff, now, batchSize),
            runner,
          ),
        };
        if (result.bundle.rows + result.artifact.rows > 0) {
          this.log.info({ cutoff: cutoff.toISOString(), ...flatten(result) }, 'garbage collected');
        }
        return result;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [GC_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Batch after batch, each its own transaction, until one finds nothing (or the run's cap). */
  private async batches(
    kind: CollectedKind,
    batch: (tx: EntityManager) => Promise<Collected>,
    runner: QueryRunner,
  ): Promise<Collected> {
    const total: Collected = { rows: 0, bytes: 0 };
    for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      await runner.startTransaction();
      let collected: Collected;
      try {
        collected = await batch(runner.manager);
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      }
      if (collected.rows === 0) break;
      total.rows += collected.rows;
      total.bytes += collected.bytes;
      this.metrics.gcCollected.inc({ kind }, collected.rows);
      this.metrics.gcCollectedBytes.inc({ kind }, collected.bytes);
    }
    return total;
  }
}

function flatten(result: CollectionResult): Record<string, number> {
  return {
    bundles: result.bundle.rows,
    bundleBytes: result.bundle.bytes,
    artifacts: result.artifact.rows,
    artifactBytes: result.artifact.bytes,
  };
}
