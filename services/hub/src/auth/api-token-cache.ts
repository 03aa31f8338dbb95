import { Inject, Injectable } from '@nestjs/common';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { ReadCache } from '../common/read-cache.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { type ApiTokenEntity } from './api-token.entity.js';
import { ApiTokensRepository } from './api-tokens.repository.js';

/** Distinct tokens kept (callers of one replica; a token is a few hundred bytes). */
const MAX_TOKENS = 10_000;

/**
 * API token rows by the sha256 of the secret, kept for at most `HUB_READ_CACHE_MS`, so a caller
 * sending many requests costs one lookup per bound instead of one statement per request. Only what
 * the row says is kept: expiry is judged on every request by the hub clock (AuthService), and a
 * revocation on this replica forgets every row at once; one on another replica shows within the
 * bound. Unknown tokens are never kept (a token created anywhere works at once).
 */
@Injectable()
export class ApiTokenCache {
  private readonly rows: ReadCache<string, ApiTokenEntity | null>;

  constructor(
    @Inject(HUB_CONFIG) config: HubConfig,
    @Inject(HUB_CLOCK) clock: Clock,
    @Inject(ApiTokensRepository) private readonly tokens: ApiTokensRepository,
  ) {
    this.rows = new ReadCache({ maxAgeMs: config.reads.cacheMs, maxEntries: MAX_TOKENS, clock });
  }

  async findByHash(tokenHash: string): Promise<ApiTokenEntity | null> {
    const row = await this.rows.get(tokenHash, '', () => this.tokens.findByHash(tokenHash));
    if (row === null) this.rows.delete(tokenHash);
    return row;
  }

  /** A token was revoked (after its transaction committed): no request is served from a row read before. */
  forgetAll(): void {
    this.rows.clear();
  }
}
