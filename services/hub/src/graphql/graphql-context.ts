import { createParamDecorator, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { type ApplicationRecord, type RevisionRecord } from '../applications/applications.repository.js';
import { ApplicationsService } from '../applications/applications.service.js';
import { type AuthState, requireRole } from '../auth/roles.js';
import { type Actor, type Role } from '../common/actor.js';
import { type RolloutDetail, RolloutsService } from '../rollouts/rollouts.service.js';

/** Mercurius' per-subscription pubsub (the part of it resolvers use). */
export interface SubscriptionPubSub {
  subscribe(topic: string): Promise<AsyncIterable<unknown>>;
}

/** What every resolver finds in its GraphQL context (HTTP requests and WebSocket subscriptions alike). */
export interface GraphqlContext {
  auth?: AuthState;
  pubsub?: SubscriptionPubSub;
  /** This request's DataLoaders, made on first use by {@link GraphqlLoaders}. */
  loaders?: RequestLoaders;
}

/**
 * Injects the calling Actor after checking it holds `role` (UNAUTHENTICATED without a valid token,
 * FORBIDDEN with too small a role). The check runs before the resolver body, so a resolver that
 * takes `@CurrentActor('operator')` cannot forget it.
 */
export const CurrentActor = createParamDecorator((role: Role, context: ExecutionContext): Actor => {
  const gql = GqlExecutionContext.create(context).getContext<GraphqlContext>();
  return requireRole(gql.auth, role);
});

export type RevisionInfo = Omit<RevisionRecord, 'sources'>;
export interface RevisionKey {
  applicationId: string;
  commit: string;
}

/** Batching and caching for one request: whatever a response lists, each costs one query per kind. */
export interface RequestLoaders {
  /** Commit metadata by (application, commit); null when the hub has not fetched that commit. */
  revision: DataLoader<RevisionKey, RevisionInfo | null, string>;
  application: DataLoader<string, ApplicationRecord | null>;
  /** The engine's view of a rollout (waves, clusters, blocking), computed once per rollout. */
  rolloutDetail: DataLoader<string, RolloutDetail>;
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

  private create(): RequestLoaders {
    return {
      revision: new DataLoader(
        async (keys) => {
          const found = new Map(
            (await this.applications.revisionInfos(keys)).map((r) => [revisionKey(r), r] as const),
          );
          return keys.map((key) => found.get(revisionKey(key)) ?? null);
        },
        { cacheKeyFn: revisionKey },
      ),
      application: new DataLoader(async (ids) => {
        const found = new Map((await this.applications.findByIds(ids)).map((a) => [a.id, a] as const));
        return ids.map((id) => found.get(id) ?? null);
      }),
      rolloutDetail: new DataLoader((ids) =>
        Promise.all(
          ids.map((id) =>
            this.rollouts
              .detail(id)
              .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
          ),
        ),
      ),
    };
  }
}

function revisionKey(key: RevisionKey): string {
  return `${key.applicationId}/${key.commit}`;
}
