import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type GraphqlAuthenticator } from '../graphql/graphql-authenticator.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { bearer } from '../common/bearer.js';
import { hashSecret } from '../common/secrets.js';
import { ApiTokenCache } from './api-token-cache.js';
import { ApiTokensRepository } from './api-tokens.repository.js';
import { type AuthState } from '../common/roles.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { apiTokenProblem, LAST_USED_RESOLUTION_MS, lastUseIsStale } from './api-token-expiry.js';
import { actorFromClaims, type ClaimMapping } from './oidc-claims.js';
import { OidcVerifier } from './oidc-verifier.js';
import { ProjectsService } from '../projects/projects.service.js';

/** A compact JWS: three base64url parts. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const BOOTSTRAP_ADMIN = 'bootstrap-admin';

/**
 * Resolves an API caller (GraphQL over HTTP or WebSocket) from `Authorization: Bearer <token>`:
 * the bootstrap admin token from the configuration, an API token (`fwa_…`) neither revoked nor
 * expired (by the hub clock; its last use is recorded to the minute), or, with single sign-on, an
 * ID token of the OpenID Provider (oidc-verifier.ts), its claims mapped to a user (oidc-claims.ts).
 * Never throws for a bad token: the resolver decides whether the operation needs one.
 */
@Injectable()
export class AuthService implements GraphqlAuthenticator {
  private readonly bootstrapDigest: Buffer | undefined;
  private readonly oidc: { verifier: OidcVerifier; mapping: ClaimMapping } | undefined;

  constructor(
    @Inject(HUB_CONFIG) config: HubConfig,
    @Inject(ApiTokensRepository) private readonly tokens: ApiTokensRepository,
    @Inject(ApiTokenCache) private readonly verified: ApiTokenCache,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(ProjectsService) private readonly projects: Pick<ProjectsService, 'list'>,
  ) {
    const bootstrap = config.auth.bootstrapAdminToken;
    this.bootstrapDigest = bootstrap ? sha256(bootstrap) : undefined;
    this.oidc = config.oidc && {
      verifier: new OidcVerifier(config.oidc, () => this.clock.now()),
      mapping: config.oidc,
    };
  }

  async authenticate(authorization: string | undefined): Promise<AuthState> {
    if (authorization === undefined || authorization === '') {
      return { actor: undefined, problem: 'an API token is required (Authorization: Bearer <token>)' };
    }
    const token = bearer(authorization);
    if (!token) return { actor: undefined, problem: 'the Authorization header must be "Bearer <token>"' };
    // Digests have equal length, so the comparison takes the same time whatever the token.
    if (this.bootstrapDigest && timingSafeEqual(sha256(token), this.bootstrapDigest)) {
      return { actor: { name: BOOTSTRAP_ADMIN, role: 'admin' } };
    }
    if (token.startsWith('fwa_')) {
      // The row may be up to HUB_READ_CACHE_MS old (api-token-cache.ts); expiry is judged here, now.
      const row = await this.verified.findByHash(hashSecret(token));
      if (row) {
        const now = this.clock.now();
        const problem = apiTokenProblem(row, now);
        if (problem) return { actor: undefined, problem };
        if (lastUseIsStale(row.lastUsedAt, now)) {
          await this.tokens.touch(row.id, now, new Date(now.getTime() - LAST_USED_RESOLUTION_MS));
          // A kept row must not look unused to the next request (one write per minute, as before).
          row.lastUsedAt = now;
        }
        const actor = { name: `token:${row.name}`, role: row.role };
        // Bound to a project: its role holds there only (projects/project-rules.ts).
        return { actor: row.project ? { ...actor, project: row.project } : actor };
      }
    }
    if (this.oidc && JWT_SHAPE.test(token)) {
      const verified = await this.oidc.verifier.verify(token);
      if (verified.claims === undefined) return { actor: undefined, problem: verified.problem };
      const outcome = actorFromClaims(verified.claims, this.oidc.mapping);
      if (outcome.actor?.membersOnly !== true) return outcome;
      // Looked up once per request: reads that filter by project (rollouts, events) use it as is.
      const memberOf = (await this.projects.list(outcome.actor)).map((p) => p.name);
      return { actor: { ...outcome.actor, memberOf } };
    }
    return { actor: undefined, problem: 'the API token is not valid (unknown)' };
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
