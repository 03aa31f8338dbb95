import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import {
  type ApplicationRequestLoaders,
  ApplicationLoaders,
} from '../../applications/graphql/application.loaders.js';
import { asError, byKey, groupBy } from '../../graphql/batching.js';
import { type GraphqlContext } from '../../graphql/graphql-context.js';
import { type RequestLoaderFactory, requestLoaders } from '../../graphql/request-loaders.js';
import { type RolloutEta, type RolloutState } from '../engine/index.js';
import { RolloutDetailCache } from '../rollout-detail-cache.js';
import { type RolloutClusterRecord, type RolloutView } from '../rollouts.repository.js';
import {
  type VerificationRunRecord,
  VerificationRepository,
} from '../verification/verification.repository.js';
import {
  type RolloutDetail,
  type RolloutList,
  type RolloutReads,
  RolloutsService,
} from '../rollouts.service.js';

/** Application.rollouts of one application with its arguments (the batch groups equal arguments). */
export interface ApplicationRolloutsKey {
  applicationId: string;
  first?: number | undefined;
  afterId?: string | undefined;
  states?: RolloutState[] | undefined;
}

/**
 * Batching and caching of rollouts for one request: whatever a response lists, each kind costs one
 * query. Rollouts come with their waves, application and commit metadata (one statement, which
 * primes the applications feature's application and revision loaders), so a rollout, or a page of
 * them, costs that statement plus one for the member clusters of all of them (docs/operating.md:
 * SQL budget).
 */
export interface RolloutRequestLoaders {
  rollout: DataLoader<string, RolloutView | null>;
  /** Member clusters by rollout id. */
  members: DataLoader<string, RolloutClusterRecord[]>;
  /** Verification runs by rollout id (read only for rollouts whose plans have checks). */
  verificationRuns: DataLoader<string, VerificationRunRecord[]>;
  /**
   * The engine's view of a rollout (waves, clusters, blocking): computed once per rollout and
   * request, or served from this process's RolloutDetailCache while of the same version and fresh.
   */
  rolloutDetail: DataLoader<string, RolloutDetail>;
  /** null: the application no longer exists. */
  applicationRollouts: DataLoader<ApplicationRolloutsKey, RolloutList<RolloutView> | null, string>;
  /** By application id: the commit of its newest Succeeded rollout, null when none. */
  settledCommit: DataLoader<string, string | null>;
  /** By application id: its earlier rollouts' per-cluster pace (read only for an ETA that needs it). */
  previousPace: DataLoader<string, number | null>;
  /** The ETA of a rollout (its own and its waves'), computed once per rollout. */
  rolloutEta: DataLoader<string, RolloutEta>;
}

/** Makes this feature's per-request loaders (registered in the request's loader registry). */
@Injectable()
export class RolloutLoaders implements RequestLoaderFactory<RolloutRequestLoaders> {
  constructor(
    @Inject(RolloutsService) private readonly rollouts: RolloutsService,
    @Inject(ApplicationLoaders) private readonly applications: ApplicationLoaders,
    @Inject(VerificationRepository) private readonly verification: VerificationRepository,
    @Inject(RolloutDetailCache) private readonly details: RolloutDetailCache,
  ) {}

  of(context: GraphqlContext): RolloutRequestLoaders {
    return requestLoaders(context, this);
  }

  /** Rollouts a resolver read itself (a list): their fields then cost no query of their own. */
  rememberRollouts(context: GraphqlContext, views: readonly RolloutView[]): void {
    remember(this.of(context), this.applications.of(context), views);
  }

  create(context: GraphqlContext): RolloutRequestLoaders {
    const applications = this.applications.of(context);
    const loaders: RolloutRequestLoaders = {
      rollout: new DataLoader(async (ids) => {
        const views = await this.rollouts.views(ids);
        remember(loaders, applications, views);
        const found = byKey(views, (v) => v.rollout.id);
        return ids.map((id) => found.get(id) ?? null);
      }),
      members: new DataLoader(async (ids) => {
        const found = await this.rollouts.members(ids);
        return ids.map((id) => found.get(id) ?? []);
      }),
      verificationRuns: new DataLoader(async (ids) => {
        const found = await this.verification.runsOf(ids);
        return ids.map((id) => found.get(id) ?? []);
      }),
      rolloutDetail: new DataLoader((ids) => {
        const reads: RolloutReads = {
          rollout: (id) => loaders.rollout.load(id),
          members: (rollout) => loaders.members.load(rollout.id),
          verificationRuns: (rollout) => loaders.verificationRuns.load(rollout.id),
        };
        const compute = (id: string) => this.rollouts.detail(id, undefined, reads);
        // One detail per rollout, each reading through the batched loaders above, unless this
        // process holds one of the same version still within the staleness bound (rollout-detail-cache.ts).
        return Promise.all(
          ids.map(async (id) => {
            try {
              const view = await loaders.rollout.load(id);
              return await (view === null ? compute(id) : this.details.detail(view, () => compute(id)));
            } catch (error) {
              return asError(error);
            }
          }),
        );
      }),
      applicationRollouts: new DataLoader(
        async (keys) => {
          const answers = new Map<string, RolloutList<RolloutView> | null | Error>();
          // One query per distinct set of arguments: normally one for the whole page of applications.
          for (const group of groupBy(keys, argumentsKey).values()) {
            const { first, afterId, states } = group[0]!;
            const ids = group.map((key) => key.applicationId);
            try {
              const lists = await this.rollouts.listOfApplications(ids, { first, afterId, states });
              for (const list of lists.values()) remember(loaders, applications, list.rollouts);
              for (const key of group) {
                answers.set(applicationRolloutsKey(key), lists.get(key.applicationId) ?? null);
              }
            } catch (error) {
              for (const key of group) answers.set(applicationRolloutsKey(key), asError(error));
            }
          }
          return keys.map((key) => answers.get(applicationRolloutsKey(key)) ?? null);
        },
        { cacheKeyFn: applicationRolloutsKey },
      ),
      settledCommit: new DataLoader(async (ids) => {
        const found = await this.rollouts.settledCommits(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      previousPace: new DataLoader(async (ids) => {
        const found = await this.rollouts.previousPaces(ids);
        return ids.map((id) => found.get(id) ?? null);
      }),
      rolloutEta: new DataLoader((ids) =>
        Promise.all(
          ids.map(async (id) => {
            try {
              const detail = await loaders.rolloutDetail.load(id);
              return await this.rollouts.eta(detail, (applicationId) =>
                loaders.previousPace.load(applicationId),
              );
            } catch (error) {
              return asError(error);
            }
          }),
        ),
      ),
    };
    return loaders;
  }
}

function remember(
  loaders: RolloutRequestLoaders,
  applications: ApplicationRequestLoaders,
  views: readonly RolloutView[],
): void {
  for (const view of views) {
    loaders.rollout.prime(view.rollout.id, view);
    applications.application.prime(view.application.id, view.application);
    applications.revision.prime(
      { applicationId: view.rollout.applicationId, commit: view.rollout.commit },
      view.revision,
    );
  }
}

function argumentsKey(key: ApplicationRolloutsKey): string {
  return JSON.stringify([key.first ?? null, key.afterId ?? null, key.states ?? null]);
}

function applicationRolloutsKey(key: ApplicationRolloutsKey): string {
  return `${key.applicationId}/${argumentsKey(key)}`;
}
