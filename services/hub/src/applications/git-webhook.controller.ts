import { Controller, HttpCode, Inject, Post, Req, type RawBodyRequest } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { forbidden, invalidArgument, unauthenticated } from '../common/domain-error.js';
import { handlePushWebhook, normalizeRepoUrl } from '../git/index.js';
import { GitSyncService } from './git-sync.service.js';

/**
 * Push webhooks from GitHub (HMAC-SHA256 signature) and GitLab (secret token). A verified push
 * syncs every application of that repository at once; the answer says which ones, and is sent
 * after the sync so a caller (or a test) knows the commit has been seen.
 */
@Controller('webhooks')
export class GitWebhookController {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(GitSyncService) private readonly sync: GitSyncService,
  ) {}

  @Post('git')
  @HttpCode(202)
  async push(
    @Req() request: RawBodyRequest<FastifyRequest>,
  ): Promise<{ event: string; applications: string[] }> {
    const secret = this.config.git.webhookSecret;
    if (secret === undefined)
      throw forbidden('git webhooks are not enabled on this hub (HUB_GIT_WEBHOOK_SECRET)');
    const raw = request.rawBody ?? Buffer.alloc(0);
    const result = handlePushWebhook(request.headers, raw, secret);
    switch (result.kind) {
      case 'rejected':
        throw result.status === 401
          ? unauthenticated(`${result.code}: ${result.message}`)
          : invalidArgument(`${result.code}: ${result.message}`);
      case 'ignored':
        return { event: `ignored: ${result.reason}`, applications: [] };
      case 'push': {
        const keys = [...new Set(result.event.repositoryUrls.map((url) => normalizeRepoUrl(url)))];
        const applications = await this.sync.syncRepositories(keys);
        return { event: 'push', applications };
      }
    }
  }
}
