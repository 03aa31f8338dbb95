import { Injectable } from '@nestjs/common';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { type FastifyInstance } from 'fastify';
import mercurius from 'mercurius';
import { type HubGraphqlOptions } from './graphql-options.js';

type Hook = (...args: never[]) => unknown;

/**
 * MercuriusDriver, except that mercurius is registered without waiting for it.
 *
 * The stock driver awaits `register(mercurius)` in GraphQLModule.onModuleInit. Awaiting makes
 * Fastify finish every route Nest queued so far, and a Fastify route keeps the error handler it
 * was finished with: Nest only installs its exception layer after the init hooks, so the agent
 * API's body-parser errors (malformed JSON, too large) would bypass the hub's HttpExceptionFilter.
 * Queued instead, mercurius loads with everything else when the app starts listening, after Nest's
 * error handler is in place. Hooks are added once it has loaded.
 *
 * `onRoute` (not a mercurius option) is added to Fastify first, so it sees mercurius' routes.
 *
 * Not carried over from the stock driver: `plugins`, SDL `definitions` generation and the
 * ResolverDecoratorHost request hooks, none of which the hub uses.
 */
@Injectable()
export class HubMercuriusDriver extends MercuriusDriver {
  override async start(config: MercuriusDriverConfig & HubGraphqlOptions): Promise<void> {
    const { plugins, hooks, onRoute, ...options } = config;
    if (plugins && plugins.length > 0)
      throw new Error('HubMercuriusDriver does not support mercurius plugins');
    const app = this.httpAdapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (onRoute) app.addHook('onRoute', onRoute);
    void app.register(mercurius, options);
    app.after((error) => {
      if (error) throw error;
      for (const [name, handlers] of Object.entries(hooks ?? {})) {
        for (const handler of ([] as Hook[]).concat((handlers ?? []) as Hook | Hook[])) {
          app.graphql.addHook(name as never, handler as never);
        }
      }
    });
  }
}
