import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { type ApplicationRecord, type RevisionInfo } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { type RolloutState } from '../rollouts/engine/index.js';
import { type RolloutClusterRecord, type RolloutView } from '../rollouts/rollouts.repository.js';
import {
  type RolloutDetail,
  type RolloutList,
  type RolloutReads,
  RolloutsService,
} from '../rollouts/rollouts.service.js';
import type { GraphqlContext } from './graphql-context.js';

export interface RevisionKey {
  applicationId: string;
  commit: string;
}

/** Application.rollouts of one application with its arguments (the batch groups equal arguments). */
export interface ApplicationRolloutsKey {
  applicationId: string;
  first?: number | undefined;
  afterId?: string | undefined;
  states?: RolloutState[] | undefined;
}

/**
 * Batching and caching for one request: whatever a response lists, each kind costs one query.
 * Rollouts come with their waves, application and commit metadata (one statement, which primes the
 * application and revision loaders), so a rollout, or a page of them, costs that statement plus one
 * for the member clusters of all of them (docs/operating.md: SQL budget).
 */
export interface RequestLoaders {
  /** Commit metadata by (application, commit); null when the hub has not fetched that commit. */
  revision: DataLoader<RevisionKey, RevisionInfo | null, string>;
  application: DataLoader<string, ApplicationRecord | null>;
  rollout: DataLoader<string, RolloutView | null>;
  /** Member clusters by rollout id. */
  members: DataLoader<string, RolloutClusterRecord[]>;
  /** The engine's view of a rollout (waves, clusters, blocking), computed once per rollout. */
  rolloutDetail: DataLoader<string, RolloutDetail>;
  /** null: the application no longer exists. */
  applicationRollouts: DataLoader<ApplicationRolloutsKey, RolloutList<RolloutView> | null, string>;
  /** Newest revisions by application, keyed with the page size. */
  revisions: DataLoader<{ applicationId: string; first: number }, RevisionInfo[], string>;
}

/**
 * Makes the per-request loaders. A request's context lives as long as the request, so its loaders
 * cache only within it. A subscription keeps one context for all its events: it calls
 * {@link GraphqlLoaders.renew} for each event, so no event is answered from an older one's cache.
 */
@Injectable()
export class GraphqlLoaders {
  constructor(
    @Inject(ApplicationsService) private readonly applications: ApplicationsService,
    @Inject(RolloutsService) private readonly rollouts: RolloutsService,
  ) {}

  of(context: GraphqlContext): RequestLoaders {
    context.loaders ??= this.create();
    return context.loaders;
  }

  renew(context: GraphqlContext): void {
    context.loaders = undefined;
  }

  /** Rollouts a resolver read itself (a list): their fields then cost no query of their own. */
  rememberRollouts(context: GraphqlContext, views: readonly RolloutView[]): void {
    remember(this.of(context), views);
  }

  /** The latest commits' metadata that came with a page of applications (`revisions[i]` is of `applications[i]`). */
  rememberLatestRevisions(
    context: GraphqlContext,
    applications: readonly ApplicationRecord[],
    revisions: readonly (RevisionInfo | null)[],
  ): void {
    const loader = this.of(context).revision;
    applications.forEach((app, i) => {
      if (app.latestCommit !== null)
        loader.prime({ applicationId: app.id, commit: app.latestCommit }, revisions[i] ?? null);
    });
  }

  private create(): RequestLoaders {
    const loaders: RequestLoaders = {
      revision: new DataLoader(
        async (keys) => {
          const found = byKey(await this.applications.revisionInfos(keys), revisionKey);
          return keys.map((key) => found.get(revisionKey(key)) ?? null);
        },
        { cacheKeyFn: revisionKey },
      ),
      application: new DataLoader(async (ids) => {
        const found = byKey(await this.applications.findByIds(ids), (a) => a.id);
        return ids.map((id) => found.get(id) ?? null);
      }),
      rollout: new DataLoader(async (ids) => {
        const views = await this.rollouts.views(ids);
        remember(loaders, views);
        const found = byKey(views, (v) => v.rollout.id);
        return ids.map((id) => found.get(id) ?? null);
      }),
      members: new DataLoader(async (ids) => {
        const found = await this.rollouts.members(ids);
        return ids.map((id) => found.get(id) ?? []);
      }),
      rolloutDetail: new DataLoader((ids) => {
        const reads: RolloutReads = {
          rollout: (id) => loaders.rollout.load(id),
          members: (rollout) => loaders.members.load(rollout.id),
        };
        // One detail per rollout, each reading through the batched loaders above.
        return Promise.all(ids.map((id) => this.rollouts.detail(id, new Date(), reads).catch(asError)));
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
              for (const list of lists.values()) remember(loaders, list.rollouts);
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
      revisions: new DataLoader(
        async (keys) => {
          const answers = new Map<string, RevisionInfo[]>();
          for (const group of groupBy(keys, (key) => String(key.first)).values()) {
            const lists = await this.applications.revisions(
              group.map((key) => key.applicationId),
              group[0]!.first,
            );
            for (const key of group) answers.set(revisionsKey(key), lists.get(key.applicationId) ?? []);
          }
          return keys.map((key) => answers.get(revisionsKey(key))!);
        },
        { cacheKeyFn: revisionsKey },
      ),
    };
    return loaders;
  }
}

function remember(loaders: RequestLoaders, views: readonly RolloutView[]): void {
  for (const view of views) {
    loaders.rollout.prime(view.rollout.id, view);
    loaders.application.prime(view.application.id, view.application);
    loaders.revision.prime(
      { applicationId: view.rollout.applicationId, commit: view.rollout.commit },
      view.revision,
    );
  }
}

function revisionKey(key: RevisionKey): string {
  return `${key.applicationId}/${key.commit}`;
}

function revisionsKey(key: { applicationId: string; first: number }): string {
  return `${key.applicationId}/${key.first}`;
}

function argumentsKey(key: ApplicationRolloutsKey): string {
  return JSON.stringify([key.first ?? null, key.afterId ?? null, key.states ?? null]);
}

function applicationRolloutsKey(key: ApplicationRolloutsKey): string {
  return `${key.applicationId}/${argumentsKey(key)}`;
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item] as const));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
