import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type AuthState, requireRole } from '../auth/roles.js';
import { type Actor, type Role } from '../common/actor.js';
import type { RequestLoaders } from './request-loaders.js';

/** Mercurius' per-subscription pubsub (the part of it resolvers use). */
export interface SubscriptionPubSub {
  subscribe(topic: string): Promise<AsyncIterable<unknown>>;
}

/** What every resolver finds in its GraphQL context (HTTP requests and WebSocket subscriptions alike). */
export interface GraphqlContext {
  auth?: AuthState;
  pubsub?: SubscriptionPubSub;
  /** This request's DataLoaders, made on first use by GraphqlLoaders (request-loaders.ts). */
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
