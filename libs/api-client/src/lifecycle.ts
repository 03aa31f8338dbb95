import { ClusterStatus, RolloutState } from './generated/graphql.js';
import { inOrder } from './enum-order.js';

/** Rollout states in lifecycle order, as help texts, errors and filters list them. */
export const ROLLOUT_STATES = inOrder(RolloutState)([
  'Pending',
  'Progressing',
  'Soaking',
  'AwaitingApproval',
  'Paused',
  'Succeeded',
  'Failed',
  'Aborted',
  'RolledBack',
  'Superseded',
]);

/** Cluster statuses in lifecycle order, as help texts and filters list them. */
export const CLUSTER_STATUSES = inOrder(ClusterStatus)([
  'Pending',
  'Ready',
  'NotReady',
  'Unknown',
  'Offline',
]);
