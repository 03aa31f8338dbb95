import { CliError, CLI_CODES } from '../errors.js';
import { type GraphqlClient, type SubscriptionHooks } from '../graphql/client.js';
import { type Connection, readAllPages } from './paging.js';

export const ROLLOUT_STATES = [
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
] as const;
export type RolloutState = (typeof ROLLOUT_STATES)[number];

export const FINAL_STATES: ReadonlySet<string> = new Set([
  'Succeeded',
  'Failed',
  'Aborted',
  'RolledBack',
  'Superseded',
]);

export interface Blocking {
  kind: string;
  message: string;
}

export interface PhaseCounts {
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
  counts: PhaseCounts;
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
  phase: string;
  targetCommit: string | null;
  targetDigest: string | null;
  assignedAt: string | null;
  reportedDigest: string | null;
  reportedAt: string | null;
  failing: { id: string; reason: string; message: string }[];
  blocking: Blocking | null;
}

/** A rollout as list shows it. */
export interface RolloutSummary {
  id: string;
  applicationName: string;
  commit: string;
  kind: string;
  rollbackOf: string | null;
  rolledBackBy: string | null;
  state: string;
  paused: boolean;
  currentWave: number;
  createdBy: string;
  message: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  revision: { author: string; message: string } | null;
  blocking: Blocking | null;
}

/** A rollout as get, watch and wait show it. */
export interface Rollout extends RolloutSummary {
  waves: RolloutWave[];
  clusters?: RolloutCluster[];
}

const SUMMARY_FIELDS = `id applicationName commit kind rollbackOf rolledBackBy state paused currentWave createdBy
  message createdAt updatedAt finishedAt revision { author message } blocking { kind message }`;
const WAVE_FIELDS = `waves { index name selector size failed failureLimit concurrencyLimit soakSeconds requireApproval
  startedAt healthyAt approvedBy blocking { kind message }
  counts { pending assigned applying progressing healthy degraded failed timedOut skipped } }`;
const CLUSTER_FIELDS = `clusters { name wave phase targetCommit targetDigest assignedAt reportedDigest reportedAt
  failing { id reason message } blocking { kind message } }`;

function rolloutFields(withClusters: boolean): string {
  return `${SUMMARY_FIELDS} ${WAVE_FIELDS}${withClusters ? ` ${CLUSTER_FIELDS}` : ''}`;
}

const LIST = `query Rollouts($application: String, $state: [RolloutState!], $first: Int, $after: String) {
  rollouts(application: $application, state: $state, first: $first, after: $after) {
    edges { node { ${SUMMARY_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const PREVIEW = `query Preview($application: String!, $revision: String, $plan: JSON) {
  previewRollout(application: $application, revision: $revision, plan: $plan) {
    application commit plan
    waves { index name selector clusters { name digest } }
    excluded { name wave reason }
    renderErrors
  }
}`;

export interface Preview {
  application: string;
  commit: string | null;
  plan: unknown;
  waves: {
    index: number;
    name: string;
    selector: string;
    clusters: { name: string; digest: string | null }[];
  }[];
  excluded: { name: string; wave: string; reason: string }[];
  renderErrors: string[];
}

export async function listRollouts(
  client: GraphqlClient,
  filter: { application?: string; states?: string[]; limit: number },
): Promise<RolloutSummary[]> {
  return readAllPages(
    async (after, first) =>
      (
        await client.request<{ rollouts: Connection<RolloutSummary> }>(LIST, {
          application: filter.application ?? null,
          state: filter.states && filter.states.length > 0 ? filter.states : null,
          first,
          after,
        })
      ).rollouts,
    200,
    filter.limit,
  );
}

/** The rollout, or null when there is none (deleted with its application). */
export async function findRollout(
  client: GraphqlClient,
  id: string,
  withClusters = false,
): Promise<Rollout | null> {
  return (
    await client.request<{ rollout: Rollout | null }>(
      `query Rollout($id: ID!) { rollout(id: $id) { ${rolloutFields(withClusters)} } }`,
      { id },
    )
  ).rollout;
}

export async function getRollout(client: GraphqlClient, id: string, withClusters = false): Promise<Rollout> {
  const rollout = await findRollout(client, id, withClusters);
  if (rollout === null) throw rolloutNotFound(id);
  return rollout;
}

export function rolloutNotFound(id: string): CliError {
  return new CliError(`rollout ${id} not found`, CLI_CODES.notFound);
}

/** `rolloutChanged`: the rollout read afresh at each change (null once it no longer exists). */
export function rolloutChanges(
  client: GraphqlClient,
  id: string,
  signal: AbortSignal,
  hooks: SubscriptionHooks = {},
): AsyncIterable<Rollout | null> {
  const changes = client.subscribe<{ rolloutChanged: Rollout | null }>(
    `subscription RolloutChanged($id: ID!) { rolloutChanged(id: $id) { ${rolloutFields(false)} } }`,
    { id },
    signal,
    hooks,
  );
  return {
    async *[Symbol.asyncIterator]() {
      for await (const change of changes) yield change.rolloutChanged;
    },
  };
}

export async function previewRollout(
  client: GraphqlClient,
  application: string,
  options: { revision?: string; plan?: unknown },
): Promise<Preview> {
  return (
    await client.request<{ previewRollout: Preview }>(PREVIEW, {
      application,
      revision: options.revision ?? null,
      plan: options.plan ?? null,
    })
  ).previewRollout;
}

export async function startRollout(
  client: GraphqlClient,
  application: string,
  revision?: string,
): Promise<Rollout> {
  return (
    await client.request<{ startRollout: Rollout }>(
      `mutation Start($application: String!, $revision: String) {
        startRollout(application: $application, revision: $revision) { ${rolloutFields(false)} } }`,
      { application, revision: revision ?? null },
    )
  ).startRollout;
}

/** The steering mutations that take the rollout id (and sometimes one more argument). */
export type SteerAction =
  | { mutation: 'approveWave'; wave?: string }
  | { mutation: 'pauseRollout' | 'resumeRollout' | 'abortRollout' }
  | { mutation: 'retryCluster' | 'skipCluster'; cluster: string }
  | { mutation: 'rollbackRollout'; commit?: string };

export async function steerRollout(client: GraphqlClient, id: string, action: SteerAction): Promise<Rollout> {
  const extra: Record<string, unknown> = {};
  const declarations = ['$id: ID!'];
  const args = ['id: $id'];
  if (action.mutation === 'approveWave') {
    declarations.push('$wave: String');
    args.push('wave: $wave');
    extra['wave'] = action.wave ?? null;
  } else if (action.mutation === 'retryCluster' || action.mutation === 'skipCluster') {
    declarations.push('$cluster: String!');
    args.push('cluster: $cluster');
    extra['cluster'] = action.cluster;
  } else if (action.mutation === 'rollbackRollout') {
    declarations.push('$commit: String');
    args.push('commit: $commit');
    extra['commit'] = action.commit ?? null;
  }
  const data = await client.request<Record<string, Rollout>>(
    `mutation Steer(${declarations.join(', ')}) { ${action.mutation}(${args.join(', ')}) { ${rolloutFields(false)} } }`,
    { id, ...extra },
  );
  return data[action.mutation]!;
}
