import { type AuthState } from '../common/roles.js';

/**
 * Resolves a bearer `Authorization` value to the caller, never throwing for a bad token (resolvers
 * decide what they need). Declared here and provided by the auth feature under this token, so the
 * GraphQL infrastructure depends on no feature: the app module hands it the module providing it.
 */
export interface GraphqlAuthenticator {
  authenticate(authorization: string | undefined): Promise<AuthState>;
}

export const GRAPHQL_AUTHENTICATOR = Symbol('GraphqlAuthenticator');
