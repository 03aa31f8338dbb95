import fastifyStatic from '@fastify/static';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type Logger } from 'pino';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { LOGGER } from '../logging/logging.module.js';
import { routeDashboard } from './spa-routing.js';
import { listStaticFiles } from './static-files.js';

/**
 * The page itself only loads its own bundles and talks to this hub (fetch and WebSocket on
 * /graphql) and, with single sign-on, to the OpenID Provider (discovery and the token endpoint);
 * React sets styles through the DOM, which style-src does not restrict.
 */
function securityHeaders(ssoIssuer: string | undefined) {
  const connect = ssoIssuer ? `'self' ${new URL(ssoIssuer).origin}` : "'self'";
  return {
    'content-security-policy': `default-src 'self'; connect-src ${connect}; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * Serves the built dashboard (services/dashboard) at `/`: its files, and index.html for any other
 * GET that is not under an API path, so client routes like /rollouts/<id> load the app. The API
 * routes are exact or parametric and win over this wildcard; the reserved prefixes answer 404 here
 * too, so a mistyped API URL never gets HTML.
 *
 * Like HubMercuriusDriver, the plugin is queued, not awaited: it loads with everything else when
 * the app starts listening, after Nest's error and not-found handlers are in place.
 */
@Injectable()
export class DashboardServer implements OnModuleInit {
  private readonly log: Logger;

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'dashboard' });
  }

  async onModuleInit(): Promise<void> {
    const root = this.config.dashboard?.dir;
    if (!root) return;
    const files = await listStaticFiles(root);
    if (!files?.has('index.html')) {
      this.log.info(
        { dir: root },
        'no dashboard build found; serving no dashboard (build services/dashboard)',
      );
      return;
    }
    const app = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void app.register(async (scope) => {
      // Only the reply.sendFile decorator (in this scope): routing is ours. The build ships .br
      // and .gz next to each text file; browsers that accept them get those.
      await scope.register(fastifyStatic, {
        root,
        serve: false,
        dotfiles: 'deny',
        index: false,
        preCompressed: true,
      });
      scope.get('/*', (request, reply) => this.serve(request, reply, files));
    });
    this.log.info({ dir: root, files: files.size }, 'serving the dashboard at /');
  }

  private serve(request: FastifyRequest, reply: FastifyReply, files: ReadonlySet<string>): FastifyReply {
    const route = routeDashboard(request.url, files);
    switch (route.kind) {
      case 'notFound':
        // The hub's own 404 (a JSON { code, message }), as for any unknown route.
        reply.callNotFound();
        return reply;
      case 'index':
        // Always revalidated, so a new build is picked up at once; the hashed assets it names are not.
        reply.headers({ ...securityHeaders(this.config.oidc?.issuer), 'cache-control': 'no-cache' });
        return reply.sendFile('index.html', { cacheControl: false });
      case 'file':
        if (route.immutable) return reply.sendFile(route.file, { maxAge: '365d', immutable: true });
        reply.header('cache-control', 'no-cache');
        return reply.sendFile(route.file, { cacheControl: false });
    }
  }
}
