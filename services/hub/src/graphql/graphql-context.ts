import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type Actor, type Role } from '../common/actor.js';
import { type AuthState, requireCaller, requireRole } from '../common/roles.js';

/** Mercurius' per-subscription pubsub (the part of it resolvers use). */
export interface SubscriptionPubSub {
  subscribe(topic: string): Promise<AsyncIterable<unknown>>;
}

/**
 * This request's loaders, one entry per feature, keyed by the feature's loader factory
 * (request-loaders.ts). Opaque here so that graphql/ needs to know no feature's loaders.
 */
export type RequestLoaderRegistry = Map<object, unknown>;

/** What every resolver finds in its GraphQL context (HTTP requests and WebSocket subscriptions alike). */
export interface GraphqlContext {
  auth?: AuthState;
  pubsub?: SubscriptionPubSub;
  /** This request's DataLoaders, made on first use (request-loaders.ts). */
  loaders?: RequestLoaderRegistry;
}

/**
 * Injects the calling Actor after checking it holds `role` (UNAUTHENTICATED without a valid token,
 * FORBIDDEN with too small a role). The check runs before the resolver body, so a resolver that
 * takes `@CurrentActor('operator')` cannot forget it.
 *
 * It lives here, not in auth/, because every feature's resolvers use it, events/ (the audit trail)
 * included, which auth/ itself writes to: in auth/ it would tie events and auth into a cycle. The
 * role rule it applies is pure and sits with Actor in common/; who the caller is comes from the
 * GraphqlAuthenticator the auth feature provides (graphql-authenticator.ts).
 */
export const CurrentActor = createParamDecorator((role: Role, context: ExecutionContext): Actor => {
  const gql = GqlExecutionContext.create(context).getContext<GraphqlContext>();
  return requireRole(gql.auth, role);
});

/**
 * Injects any authenticated caller (UNAUTHENTICATED without a valid token), for project-aware
 * operations whose service checks the caller's role in the project concerned (projects/).
 */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const gql = GqlExecutionContext.create(context).getContext<GraphqlContext>();
  return requireCaller(gql.auth);
});
