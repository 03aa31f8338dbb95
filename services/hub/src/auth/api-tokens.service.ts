import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { type Actor, type Role } from '../common/actor.js';
import { conflict, invalidArgument, notFound } from '../common/domain-error.js';
import { hashSecret, newSecret } from '../common/secrets.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { apiTokenExpiresAt } from './api-token-expiry.js';
import { type ApiTokenEntity } from './api-token.entity.js';
import { ApiTokenCache } from './api-token-cache.js';
import { ApiTokensRepository } from './api-tokens.repository.js';
import { ProjectsService } from '../projects/projects.service.js';

const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];
/** Lower-case DNS label: the name appears in the audit trail as `token:<name>`. */
const TOKEN_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** API tokens for people and automation. Only admins reach these methods (checked by the caller). */
@Injectable()
export class ApiTokensService {
  constructor(
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ApiTokensRepository) private readonly tokens: ApiTokensRepository,
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(ApiTokenCache) private readonly verified: ApiTokenCache,
  ) {}

  /**
   * Returns the secret once; only its sha256 is stored. Active token names are unique. The token
   * expires after `expiresInSeconds`, else after the default lifetime, never after the maximum.
   */
  async create(
    actor: Actor,
    name: string,
    role: Role,
    project: string | null = null,
    expiresInSeconds?: number,
  ): Promise<{ token: ApiTokenEntity; secret: string }> {
    if (!TOKEN_NAME.test(name)) {
      throw invalidArgument(
        `name ${JSON.stringify(name.slice(0, 80))} must be 1-63 lower-case letters, digits or "-", starting and ending with a letter or digit`,
      );
    }
    if (!ROLES.includes(role)) throw invalidArgument(`role must be one of ${ROLES.join(', ')}`);
    if (project !== null && !TOKEN_NAME.test(project))
      throw invalidArgument('project must be a project name');
    if (project !== null && (await this.projects.findByNames([project])).length === 0) {
      throw notFound(`project "${project}" not found`);
    }
    const expiresAt = apiTokenExpiresAt(this.clock.now(), expiresInSeconds, {
      defaultSeconds: this.config.auth.apiTokenDefaultTtlSeconds,
      maxSeconds: this.config.auth.apiTokenMaxTtlSeconds,
    });
    const secret = newSecret('fwa');
    try {
      const token = await this.audited.run(async (tx) => {
        const token = await this.tokens.insert(tx, {
          name,
          role,
          tokenHash: hashSecret(secret),
          createdBy: actor.name,
          project,
          expiresAt,
        });
        const event = {
          actor: actor.name,
          action: 'apiToken.created',
          targetKind: 'apiToken' as const,
          targetId: token.id,
          after: { name, role, ...(project === null ? {} : { project }), expiresAt: expiresAt.toISOString() },
        };
        return { result: token, events: [event] };
      });
      return { token, secret };
    } catch (error) {
      if (isUniqueViolation(error, 'api_token_active_name_unique')) {
        throw conflict(`an API token named "${name}" already exists; revoke it first or choose another name`);
      }
      throw error;
    }
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.tokens.list();
  }

  /** Takes effect on the next request made with the token. Revoking twice is a no-op. */
  async revoke(actor: Actor, id: string): Promise<ApiTokenEntity> {
    const now = this.clock.now();
    const revoked = await this.audited.run(async (tx) => {
      const token = await this.tokens.findByIdForUpdate(tx, id);
      if (!token) throw notFound(`API token ${id} does not exist`);
      if (token.revokedAt) return { result: token, events: [] };
      await this.tokens.revoke(tx, id, now);
      const before = { name: token.name, role: token.role, revokedAt: null };
      token.revokedAt = now;
      const event = {
        actor: actor.name,
        action: 'apiToken.revoked',
        targetKind: 'apiToken' as const,
        targetId: id,
        before,
        after: { ...before, revokedAt: now.toISOString() },
      };
      return { result: token, events: [event] };
    });
    // Committed: this replica serves no request from the token's row read before (api-token-cache.ts).
    this.verified.forgetAll();
    return revoked;
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}
