import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type EntityManager } from 'typeorm';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { FleetService } from '../fleet/fleet.service.js';
import { LOGGER } from '../logging/logging.module.js';
import {
  type FairShare,
  fairShareMap,
  fairShareOf,
  type FleetFreeze,
  type FleetShares,
  fleetShares,
  type FleetState,
  OPEN_FLEET,
  resolveCount,
  shareSlots,
} from './engine/index.js';
import { RolloutsRepository } from './rollouts.repository.js';

/** Every replica takes this transaction lock before a pass assigns under the fleet budget. */
const FLEET_BUDGET_LOCK_KEY = 7_242_031_314;

/** The change budgets a pass that assigns decides with. */
export type FleetBudgets = Pick<
  FleetState,
  'changing' | 'changeLimit' | 'clusterChanging' | 'clusterChangeLimit' | 'fairShare'
>;

/**
 * Fleet-wide state without the per-rollout override; with a fleet budget, read views also get the
 * active rollouts' shares of it (for the ETA; refreshed with the rest, never read per rollout).
 */
export type FleetGateState = Omit<FleetState, 'freezeOverridden' | 'fairShare'> & {
  shares?: FleetShares;
  /** Each rollout contending for the fleet budget: its fair share and what it holds (read views). */
  fairShares?: ReadonlyMap<string, FairShare>;
};

/** The window the fleet's pace (slot-seconds per cluster) is read over, for the ETA. */
export const FLEET_PACE_WINDOW_SECONDS = 60;

/**
 * What the engine's fleet-wide gates (freeze, fleet and per-cluster change budgets) see. A pass reads the freeze in
 * its own transaction; only when its decision would assign does it take the fleet budget lock and
 * count the clusters changing, so those passes serialise across replicas and the budget holds
 * exactly (passes that assign nothing never wait for it). Read views (rollout(id) and friends)
 * use a copy refreshed every pass interval, so reading a rollout costs no extra statement; it may
 * be that much behind a freeze set on another replica.
 */
@Injectable()
export class FleetGates implements OnApplicationBootstrap, OnApplicationShutdown {
  private latest: FleetGateState = OPEN_FLEET;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | null = null;
  private again: Promise<void> | null = null;
  private readonly log: Logger;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(FleetService) private readonly fleet: FleetService,
    @Inject(RolloutsRepository) private readonly rollouts: RolloutsRepository,
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'fleet-gates' });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.refresh(), this.config.rollouts.passIntervalSeconds * 1000);
    this.timer.unref();
    void this.refresh();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** True when HUB_FLEET_MAX_CHANGING or HUB_CLUSTER_MAX_CHANGING_APPS is set. */
  get budgeted(): boolean {
    const { fleetMaxChanging, clusterMaxChangingApps } = this.config.rollouts;
    return fleetMaxChanging !== null || clusterMaxChangingApps !== null;
  }

  /** For read views: the state as of the last refresh (a freeze that ended since reads as lifted). */
  view(): FleetGateState {
    return this.latest;
  }

  /** The freeze, in the pass's transaction; the budget is looked at by {@link lockBudget}. */
  async forPass(tx: EntityManager): Promise<FleetGateState> {
    const freeze = await this.fleet.freeze(tx);
    this.latest = { ...this.latest, freeze };
    return { ...OPEN_FLEET, freeze };
  }

  /**
   * Takes the fleet budget lock (held until the pass commits, so the next pass that assigns counts
   * this one's assignments) and counts what is changing now: fleet-wide, and on each of `clusterIds`
   * (the clusters the pass may assign); with a fleet budget also the fair share of the pass's
   * rollout (`self`, wanting `wants` more clusters), from every rollout's load read under the same
   * lock, so the shares the passes decide on agree across replicas.
   */
  async lockBudget(
    tx: EntityManager,
    clusterIds: readonly string[],
    self: { id: string; wants: number; now: Date; freeze: FleetFreeze | null },
  ): Promise<FleetBudgets> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FLEET_BUDGET_LOCK_KEY]);
    const budget = await this.budget(tx);
    let fairShare: FairShare | null = null;
    if (budget.changeLimit !== null) {
      const loads = await this.rollouts.budgetLoads(tx);
      const slots = shareSlots(budget.changeLimit, budget.changing, loads);
      fairShare = fairShareOf(self, loads, slots, self.now, self.freeze);
    }
    return { ...budget, fairShare, ...(await this.clusterBudget(clusterIds, tx)) };
  }

  /**
   * Reads the freeze and the budget again (the timer, and after a fleet change on this replica).
   * Calls while one runs share a single further read, so a burst of changes costs two at most.
   */
  refresh(): Promise<void> {
    if (this.refreshing !== null) {
      this.again ??= this.refreshing.then(() => {
        this.again = null;
        return this.refresh();
      });
      return this.again;
    }
    this.refreshing = this.read().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async read(): Promise<void> {
    try {
      const freeze = await this.fleet.freeze();
      const budget = await this.budget();
      let shares: FleetShares | undefined;
      let fairShares: Map<string, FairShare> | undefined;
      if (budget.changeLimit !== null) {
        shares = fleetShares(
          await this.rollouts.fleetLoads(FLEET_PACE_WINDOW_SECONDS),
          budget.changeLimit,
          FLEET_PACE_WINDOW_SECONDS,
        );
        const loads = await this.rollouts.budgetLoads();
        const slots = shareSlots(budget.changeLimit, budget.changing, loads);
        fairShares = fairShareMap(loads, slots, this.clock.now(), freeze);
      }
      this.latest = { freeze, ...budget, ...(await this.clusterBudget(null)), shares, fairShares };
    } catch (error) {
      this.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'cannot read the fleet state',
      );
    }
  }

  /** Applications changing per cluster, for `clusterIds` (null: every cluster changing any). */
  private async clusterBudget(
    clusterIds: readonly string[] | null,
    tx?: EntityManager,
  ): Promise<Pick<FleetState, 'clusterChanging' | 'clusterChangeLimit'>> {
    const limit = this.config.rollouts.clusterMaxChangingApps;
    if (limit === null) return { clusterChanging: {}, clusterChangeLimit: null };
    return {
      clusterChanging: await this.rollouts.clusterChanging(clusterIds, tx),
      clusterChangeLimit: limit,
    };
  }

  private async budget(tx?: EntityManager): Promise<Pick<FleetState, 'changing' | 'changeLimit'>> {
    const setting = this.config.rollouts.fleetMaxChanging;
    if (setting === null) return { changing: 0, changeLimit: null };
    const changing = await this.rollouts.fleetChanging(tx);
    const changeLimit =
      typeof setting === 'number' ? setting : resolveCount(setting, await this.clusters.count(tx));
    return { changing, changeLimit };
  }
}
