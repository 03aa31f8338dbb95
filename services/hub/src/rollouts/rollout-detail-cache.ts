import { Inject, Injectable } from '@nestjs/common';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { ReadCache } from '../common/read-cache.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { type RolloutView } from './rollouts.repository.js';

/** Rollouts whose detail is kept (a dashboard shows a few; a list page at most 200). */
const MAX_ROLLOUTS = 1_000;

/**
 * The engine's view of a rollout (waves, member clusters, blocking reasons: ~1,000 members read,
 * decoded and decided) kept per rollout in this process's memory, so dashboards polling the same
 * rollout cost one computation per change rather than one per read.
 *
 * A detail is reused only at the same version, for at most `HUB_READ_CACHE_MS` (common/read-cache.ts).
 * The version is the rollout's row as this request read it (state, wave, pause, `updated_at`, the
 * waves' start/approval/health times: what any replica's pass or mutation changes) plus a counter
 * this replica bumps whenever a pass over the rollout is asked for and when one ends (mutations,
 * member clusters' reports and status changes, timers, checks settling: see RolloutScheduler). So a
 * change made or signalled here shows on the next read; what changes with no signal here (a member's
 * heartbeat, the clock's soak time left, another replica's report ingestion) shows within the bound.
 *
 * Callers are not part of the key: the detail is the same for everyone allowed to see the rollout,
 * and every path to it (rollout(id), lists, Application.rollouts, subscriptions) authorizes the
 * caller on the rollout read fresh for the request before asking for it.
 */
@Injectable()
export class RolloutDetailCache {
  /** RolloutDetail values (rollouts.service.ts, which imports the scheduler, which imports this). */
  private readonly cache: ReadCache<string, unknown>;
  private readonly changes = new Map<string, number>();
  /** Bumped by a change that may concern any rollout (an application, the freeze, a deregistration). */
  private epoch = 0;
  private readonly announcements = new WeakSet<object>();

  constructor(@Inject(HUB_CONFIG) config: HubConfig, @Inject(HUB_CLOCK) clock: Clock) {
    this.cache = new ReadCache({ maxAgeMs: config.reads.cacheMs, maxEntries: MAX_ROLLOUTS, clock });
  }

  /** The detail of the rollout `view` shows, computed by `compute` unless one of the same version is servable. */
  detail<Detail>(
    view: Pick<RolloutView, 'rollout' | 'waves'>,
    compute: () => Promise<Detail>,
  ): Promise<Detail> {
    // One kind of value per key (the rollout's detail), so what is cached is what compute makes.
    return this.cache.get(view.rollout.id, this.versionOf(view), compute) as Promise<Detail>;
  }

  /** Something about these rollouts may have changed on this replica: their next read computes afresh. */
  changed(ids: Iterable<string>): void {
    for (const id of ids) {
      this.changes.set(id, (this.changes.get(id) ?? 0) + 1);
      this.cache.delete(id);
      // Counters only need to differ from the one a cached entry was made at; the map stays bounded.
      if (this.changes.size > MAX_ROLLOUTS * 4) this.changes.clear();
    }
  }

  /**
   * A change announced by the audit events (from any replica, through Kafka): what a subscriber
   * loads for it must not be the kept detail from before. Once per announcement, however many
   * subscribers share it (they are handed the same object).
   */
  announced(announcement: object, id: string): void {
    if (this.announcements.has(announcement)) return;
    this.announcements.add(announcement);
    this.changed([id]);
  }

  /** Something any rollout may depend on changed. */
  changedAll(): void {
    this.epoch++;
    this.cache.clear();
  }

  /**
   * The version of the rollout `view` shows: what a kept detail, or an answer computed from one
   * (graphql/response-caching.ts), is valid at.
   */
  versionOf({ rollout, waves }: Pick<RolloutView, 'rollout' | 'waves'>): string {
    const times = waves.map(
      (w) => `${w.startedAt?.getTime()},${w.approvedAt?.getTime()},${w.healthyAt?.getTime()}`,
    );
    return [
      this.epoch,
      this.changes.get(rollout.id) ?? 0,
      rollout.updatedAt.getTime(),
      rollout.state,
      rollout.currentWave,
      rollout.paused,
      times.join(';'),
    ].join('|');
  }
}
