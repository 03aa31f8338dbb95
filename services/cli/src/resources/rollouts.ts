import {
  FleetctlAbortRolloutDocument,
  FleetctlOverrideFreezeDocument,
  FleetctlApproveWaveDocument,
  FleetctlPauseRolloutDocument,
  FleetctlPreviewDiffDocument,
  type FleetctlPreviewDiffQuery,
  FleetctlPreviewDocument,
  type FleetctlPreviewQuery,
  FleetctlResumeRolloutDocument,
  FleetctlRetryClusterDocument,
  FleetctlRollbackRolloutDocument,
  FleetctlRolloutChangedDocument,
  FleetctlRolloutDocument,
  type FleetctlRolloutFieldsFragment,
  FleetctlRolloutsDocument,
  type FleetctlRolloutSummaryFieldsFragment,
  FleetctlRolloutWithClustersDocument,
  type FleetctlRolloutWithClustersQuery,
  FleetctlSkipClusterDocument,
  FleetctlStartDocument,
  type RolloutState,
} from '@fleetwave/api-client';

import { CliError, CLI_CODES } from '../errors.js';
import { type GraphqlClient, type SubscriptionHooks } from '../graphql/client.js';
import { readAllPages } from './paging.js';

export { ROLLOUT_STATES } from '@fleetwave/api-client';

export const FINAL_STATES: ReadonlySet<string> = new Set<RolloutState>([
  'Succeeded',
  'Failed',
  'Aborted',
  'RolledBack',
  'Superseded',
]);

/** A rollout as list shows it. */
export type RolloutSummary = FleetctlRolloutSummaryFieldsFragment;
/** A rollout as get, watch and wait show it (with its clusters when asked for). */
export type Rollout = FleetctlRolloutFieldsFragment & { clusters?: RolloutCluster[] };
export type RolloutWave = Rollout['waves'][number];
export type PhaseCounts = RolloutWave['counts'];
export type RolloutCluster = NonNullable<FleetctlRolloutWithClustersQuery['rollout']>['clusters'][number];
export type Preview = FleetctlPreviewQuery['previewRollout'];

export async function listRollouts(
  client: GraphqlClient,
  filter: { application?: string; states?: RolloutState[]; limit: number },
): Promise<RolloutSummary[]> {
  return readAllPages(
    async (after, first) =>
      (
        await client.request(FleetctlRolloutsDocument, {
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
  return withClusters
    ? (await client.request(FleetctlRolloutWithClustersDocument, { id })).rollout
    : (await client.request(FleetctlRolloutDocument, { id })).rollout;
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
  const changes = client.subscribe(FleetctlRolloutChangedDocument, { id }, signal, hooks);
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
    await client.request(FleetctlPreviewDocument, {
      application,
      revision: options.revision ?? null,
      plan: options.plan ?? null,
    })
  ).previewRollout;
}

export type PreviewDiff = FleetctlPreviewDiffQuery['previewRollout'];

/** The pre-flight diff of a rollout: object by object, identical diffs grouped. */
export async function previewRolloutDiff(
  client: GraphqlClient,
  application: string,
  options: { revision?: string; plan?: unknown },
): Promise<PreviewDiff> {
  return (
    await client.request(FleetctlPreviewDiffDocument, {
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
  force = false,
): Promise<Rollout> {
  return (await client.request(FleetctlStartDocument, { application, revision: revision ?? null, force }))
    .startRollout;
}

/** The steering mutations that take the rollout id (and sometimes one more argument). */
export type SteerAction =
  | { mutation: 'approveWave'; wave?: string }
  | { mutation: 'pauseRollout' | 'resumeRollout' | 'abortRollout' | 'overrideFreeze' }
  | { mutation: 'retryCluster' | 'skipCluster'; cluster: string }
  | { mutation: 'rollbackRollout'; commit?: string };

export async function steerRollout(client: GraphqlClient, id: string, action: SteerAction): Promise<Rollout> {
  switch (action.mutation) {
    case 'approveWave':
      return (await client.request(FleetctlApproveWaveDocument, { id, wave: action.wave ?? null }))
        .approveWave;
    case 'pauseRollout':
      return (await client.request(FleetctlPauseRolloutDocument, { id })).pauseRollout;
    case 'resumeRollout':
      return (await client.request(FleetctlResumeRolloutDocument, { id })).resumeRollout;
    case 'abortRollout':
      return (await client.request(FleetctlAbortRolloutDocument, { id })).abortRollout;
    case 'overrideFreeze':
      return (await client.request(FleetctlOverrideFreezeDocument, { id })).overrideFreeze;
    case 'retryCluster':
      return (await client.request(FleetctlRetryClusterDocument, { id, cluster: action.cluster }))
        .retryCluster;
    case 'skipCluster':
      return (await client.request(FleetctlSkipClusterDocument, { id, cluster: action.cluster })).skipCluster;
    case 'rollbackRollout':
      return (await client.request(FleetctlRollbackRolloutDocument, { id, commit: action.commit ?? null }))
        .rollbackRollout;
  }
}
