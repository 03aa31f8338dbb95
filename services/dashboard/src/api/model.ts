import {
  type DashboardApplicationQuery,
  type DashboardApplicationSummaryFieldsFragment,
  type DashboardClusterFieldsFragment,
  type DashboardRolloutFieldsFragment,
  type DashboardRolloutSummaryFieldsFragment,
  RolloutState,
} from '@fleetwave/api-client';

/**
 * Names for the generated types the pages pass around (`@fleetwave/api-client`, from the operations
 * in libs/api-client/src/operations/dashboard), and the enums in the order people read them.
 */

/** What a token may do, as the role probes found out (session.graphql). */
export type Role = 'viewer' | 'operator' | 'admin';

export type Cluster = DashboardClusterFieldsFragment;
export type RolloutSummary = DashboardRolloutSummaryFieldsFragment;
export type Rollout = DashboardRolloutFieldsFragment;
export type RolloutWave = Rollout['waves'][number];
export type RolloutCluster = Rollout['clusters'][number];
export type ApplicationSummary = DashboardApplicationSummaryFieldsFragment;
export type Application = NonNullable<DashboardApplicationQuery['application']>;

export { CLUSTER_STATUSES } from '@fleetwave/api-client';

/** The states of a rollout that still moves (or may, once resumed). */
export const ACTIVE_STATES: readonly RolloutState[] = [
  RolloutState.Pending,
  RolloutState.Progressing,
  RolloutState.Soaking,
  RolloutState.AwaitingApproval,
  RolloutState.Paused,
];
