import { Inject, Injectable } from '@nestjs/common';
import { type FleetCluster } from '../rollouts/engine/membership.js';
import { catchupNeeds, type CatchupWait } from '../rollouts/engine/index.js';
import { invalidArgument } from '../common/domain-error.js';
import { MAX_PAGE_SIZE, parseSelectorArgument } from '../clusters/clusters.service.js';
import {
  placementWait,
  type PlacementPhase,
  type PlacementWait,
  type SyncState,
  syncState,
} from './placement-status.js';
import { type MatrixApplication, type PlacementRow, PlacementsRepository } from './placements.repository.js';

export const DEFAULT_PLACEMENT_PAGE = 100;

export interface PlacementFilter {
  application?: string | undefined;
  clusterSelector?: string | undefined;
  phases?: readonly PlacementPhase[] | undefined;
  drifted?: boolean | undefined;
  behind?: boolean | undefined;
}

export type Placement = PlacementRow & { waiting: PlacementWait | null };

export interface PlacementPage {
  placements: Placement[];
  hasMore: boolean;
}

export interface ApplicationSync {
  state: SyncState;
  desiredCommit: string | null;
  clusters: number;
  clustersAtDesired: number;
  behind: number;
  drifted: number;
  failing: number;
}

/** The fleet status matrix: pages of placements with their waiting reasons, and applications' sync. */
@Injectable()
export class PlacementsService {
  constructor(@Inject(PlacementsRepository) private readonly repository: PlacementsRepository) {}

  async page(
    filter: PlacementFilter,
    first: number = DEFAULT_PLACEMENT_PAGE,
    after?: { application: string; cluster: string },
    now = new Date(),
  ): Promise<PlacementPage> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
      throw invalidArgument(`first must be between 0 and ${MAX_PAGE_SIZE}`);
    }
    const clusterSelector =
      filter.clusterSelector === undefined ? undefined : parseSelectorArgument(filter.clusterSelector);
    const applications = await this.repository.applications(
      filter.application === undefined ? undefined : [filter.application],
    );
    const rows = await this.repository.page({
      applications,
      clusterSelector,
      phases: filter.phases,
      drifted: filter.drifted,
      behind: filter.behind,
      after,
      limit: first + 1,
      now,
    });
    return { placements: withWaits(applications, rows.slice(0, first)), hasMore: rows.length > first };
  }

  /** Every placement of the given clusters (Cluster.placements), by cluster id. */
  async ofClusters(clusterIds: readonly string[], now = new Date()): Promise<Map<string, Placement[]>> {
    const applications = await this.repository.applications();
    const rows = await this.repository.page({ applications, clusterIds, now });
    const byCluster = new Map<string, Placement[]>(clusterIds.map((id) => [id, []]));
    for (const placement of withWaits(applications, rows))
      byCluster.get(placement.clusterId)?.push(placement);
    return byCluster;
  }

  /** Application.sync of the given applications, by id (two statements for all of them). */
  async sync(applicationIds: readonly string[], now = new Date()): Promise<Map<string, ApplicationSync>> {
    const applications = await this.repository.applicationsById(applicationIds);
    const counts = await this.repository.syncCounts(applications, now);
    return new Map(
      applications.map((app) => {
        const c = counts.get(app.id)!;
        return [
          app.id,
          {
            state: syncState({
              latestCommit: app.latestCommit,
              headVetoed: app.headVetoed,
              settledCommit: app.settledCommit,
              inProgress: app.anyInProgress,
              behind: c.behind,
            }),
            desiredCommit: app.inProgress?.commit ?? app.settledCommit,
            clusters: c.placed,
            clustersAtDesired: c.atDesired,
            behind: c.behind,
            drifted: c.drifted,
            failing: c.failing,
          },
        ];
      }),
    );
  }
}

/**
 * Each behind placement's waiting reason: the catch-up lane's pure `catchupNeeds` over just these
 * rows (its verdict for one cluster depends only on that cluster and the application), then
 * {@link placementWait}.
 */
function withWaits(applications: readonly MatrixApplication[], rows: readonly PlacementRow[]): Placement[] {
  const waits = new Map<string, CatchupWait>();
  for (const app of applications) {
    const mine = rows.filter((r) => r.applicationId === app.id && r.placed);
    if (mine.length === 0) continue;
    const needs = catchupNeeds({
      settledCommit: app.settledCommit,
      joinPolicy: app.joinPolicy,
      inProgress: app.inProgress && { ...app.inProgress, joinable: app.inProgress.kind === 'rollout' },
      placed: mine.map((r): FleetCluster => ({
        id: r.clusterId,
        name: r.clusterName,
        labels: {},
        cordoned: false,
        status: r.clusterStatus,
      })),
      assignedCommit: new Map(
        mine.flatMap((r) => (r.assignedCommit === null ? [] : [[r.clusterId, r.assignedCommit] as const])),
      ),
      inActiveRollout: new Set(mine.filter((r) => r.activeRolloutId !== null).map((r) => r.clusterId)),
      tried: new Set(mine.filter((r) => r.tried).map((r) => r.clusterId)),
    });
    for (const w of needs.waiting) waits.set(`${app.id}/${w.clusterId}`, w.reason);
  }
  return rows.map((row) => ({
    ...row,
    waiting: placementWait({
      behind: row.behind,
      maintenance: row.maintenance,
      activeRolloutId: row.activeRolloutId,
      catchup: waits.get(`${row.applicationId}/${row.clusterId}`) ?? null,
    }),
  }));
}
