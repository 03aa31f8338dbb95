import { type Command } from 'commander';
import { resolveTarget, setSsoSession } from '../config/contexts.js';
import { configPath, readConfig, writeConfig } from '../config/file.js';
import { CliError, CLI_CODES } from '../errors.js';
import { deviceLogin, hubSso, pkceLogin, revokeSession } from '../sso/provider.js';
import { type CliEnv, globals } from './shared.js';

interface LoginOptions {
  issuer?: string;
  clientId?: string;
  scopes?: string;
  pkce?: boolean;
}

/** `fleetctl login` (device authorization flow, or code + PKCE with --pkce) and `fleetctl logout`, per context. */
export function registerLoginCommands(program: Command, env: CliEnv): void {
  program
    .command('login')
    .description(
      "sign in with the hub's single sign-on (device flow: open the URL printed, enter the code); the tokens go into the context, refreshed when they expire",
    )
    .option('--issuer <url>', 'the OpenID Provider (default: what the hub publishes at /auth/config)')
    .option('--client-id <id>', "fleetctl's client id at the provider (default: the hub's)")
    .option('--scopes <scopes>', 'scopes to ask for (default: the hub\'s; "openid" is always asked for)')
    .option(
      '--pkce',
      'sign in in a browser on this machine instead: authorization code + PKCE, the provider sending the browser back to 127.0.0.1',
    )
    .action(async (options: LoginOptions, cmd: Command) => {
      const path = configPath(env.io.env);
      const config = await readConfig(path);
      const target = resolveTarget(config, globals(cmd), env.io.env, path);
      if (target.context === null) {
        throw new CliError(
          'fleetctl login keeps the tokens in a context: run "fleetctl config set-context NAME --hub URL" first',
          CLI_CODES.config,
        );
      }
      const published = options.issuer && options.clientId ? undefined : await hubSso(target.hub);
      const settings = {
        issuer: options.issuer ?? published!.issuer,
        clientId: options.clientId ?? published!.cliClientId,
        scopes: ['openid', ...(options.scopes ?? published?.scopes ?? 'openid offline_access').split(/\s+/)]
          .filter((s, i, all) => s !== '' && all.indexOf(s) === i)
          .join(' '),
      };
      const session = options.pkce
        ? await pkceLogin(settings, (url) => {
            env.io.stderr.write(`To sign in, open ${url}\nWaiting for the browser to come back…\n`);
          })
        : await deviceLogin(settings, ({ uri, uriComplete, userCode }) => {
            env.io.stderr.write(
              `To sign in, open ${uriComplete ?? uri}\n  (or ${uri} and enter the code ${userCode})\nWaiting for you to approve…\n`,
            );
          });
      await writeConfig(path, setSsoSession(await readConfig(path), target.context, session));
      env.io.stdout.write(`signed in to context "${target.context}" via ${settings.issuer}\n`);
    });

  program
    .command('logout')
    .description("forget the context's single sign-on tokens (and revoke the refresh token at the provider)")
    .action(async (_options: unknown, cmd: Command) => {
      const path = configPath(env.io.env);
      const config = await readConfig(path);
      const name = globals(cmd).context ?? config.currentContext;
      const context = config.contexts.find((c) => c.name === name);
      if (!context?.sso) {
        env.io.stdout.write(`not signed in${name ? ` in context "${name}"` : ''}\n`);
        return;
      }
      const revoked = await revokeSession(context.sso);
      await writeConfig(path, setSsoSession(config, context.name, undefined));
      env.io.stdout.write(
        `signed out of context "${context.name}"${revoked ? '' : ' (the provider could not be reached to revoke the refresh token)'}\n`,
      );
    });
}
