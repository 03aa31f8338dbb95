/** The shapes the dashboard's documents (documents.ts) select from the hub's schema. */

export type Role = 'viewer' | 'operator' | 'admin';

export type ClusterStatus = 'Pending' | 'Ready' | 'NotReady' | 'Unknown' | 'Offline';
export const CLUSTER_STATUSES: readonly ClusterStatus[] = [
  'Pending',
  'Ready',
  'NotReady',
  'Unknown',
  'Offline',
];

export interface Cluster {
  id: string;
  name: string;
  labels: Record<string, string>;
  status: ClusterStatus;
  cordoned: boolean;
  agentVersion: string | null;
  lastHeartbeatAt: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { node: T }[];
}

export interface ClusterChange {
  action: string;
  cluster: Cluster;
}

export type RolloutState =
  | 'Pending'
  | 'Progressing'
  | 'Soaking'
  | 'AwaitingApproval'
  | 'Paused'
  | 'Succeeded'
  | 'Failed'
  | 'Aborted'
  | 'RolledBack'
  | 'Superseded';

export const ACTIVE_STATES: readonly RolloutState[] = [
  'Pending',
  'Progressing',
  'Soaking',
  'AwaitingApproval',
  'Paused',
];

export type Phase =
  | 'Pending'
  | 'Assigned'
  | 'Applying'
  | 'Progressing'
  | 'Healthy'
  | 'Degraded'
  | 'Failed'
  | 'TimedOut'
  | 'Skipped';

export interface Blocking {
  kind: string;
  message: string;
}

export interface Revision {
  commit: string;
  author: string;
  message: string;
  committedAt: string;
  error: string | null;
}

export interface WaveCounts {
  pending: number;
  assigned: number;
  applying: number;
  progressing: number;
  healthy: number;
  degraded: number;
  failed: number;
  timedOut: number;
  skipped: number;
}

export interface RolloutWave {
  index: number;
  name: string;
  selector: string;
  size: number;
  counts: WaveCounts;
  failed: number;
  failureLimit: number;
  concurrencyLimit: number;
  soakSeconds: number;
  requireApproval: boolean;
  startedAt: string | null;
  healthyAt: string | null;
  approvedBy: string | null;
  blocking: Blocking | null;
}

export interface RolloutCluster {
  name: string;
  wave: string;
  phase: Phase;
  assignedAt: string | null;
  reportedAt: string | null;
  failing: { id: string; reason: string; message: string }[];
  blocking: Blocking | null;
}

export interface RolloutSummary {
  id: string;
  applicationName: string;
  kind: 'rollout' | 'rollback';
  state: RolloutState;
  paused: boolean;
  commit: string;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  message: string | null;
  revision: Pick<Revision, 'author' | 'message'> | null;
  blocking: Blocking | null;
}

export interface Rollout extends RolloutSummary {
  rollbackOf: string | null;
  rolledBackBy: string | null;
  currentWave: number;
  updatedAt: string;
  revision: Revision | null;
  waves: RolloutWave[];
  clusters: RolloutCluster[];
}

export interface ApplicationSummary {
  name: string;
  repoUrl: string;
  ref: string;
  path: string;
  syncPolicy: 'auto' | 'manual';
  latestCommit: string | null;
  lastSyncedAt: string | null;
  lastSyncError: string | null;
}

export interface Application extends ApplicationSummary {
  id: string;
  targetSelector: string;
  credentialsRef: string | null;
  pollIntervalSeconds: number;
  defaultNamespace: string | null;
  prune: boolean;
  plan: unknown;
  valuesRules: { selector: string; values: unknown }[];
  latestRevision: Revision | null;
  rollouts: Connection<RolloutSummary>;
}

export interface SyncResult {
  commit: string | null;
  rolloutId: string | null;
  error: string | null;
}
