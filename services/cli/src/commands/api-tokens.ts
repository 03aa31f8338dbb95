import { type Role, Role as Roles } from '@fleetwave/api-client';
import { type Command, Option } from 'commander';
import { parseDuration } from '../args/duration.js';
import { usageError } from '../errors.js';
import { apiTokensTable } from '../format/api-tokens.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../resources/api-tokens.js';
import { type CliEnv, connect, emit, emitList, outputOption } from './shared.js';

/** API tokens for people and automation (admin only). `tokens` are the registration tokens agents use. */
export function registerApiTokenCommands(program: Command, env: CliEnv): void {
  const tokens = program
    .command('api-tokens')
    .alias('api-token')
    .description('API tokens for people and automation (admin only)');

  tokens
    .command('create <name>')
    .description('create an API token; its secret is printed once, now')
    .addOption(
      new Option('--role <role>', 'what the token may do')
        .choices(Object.values(Roles))
        .makeOptionMandatory(),
    )
    .option('--project <name>', 'bind it to this project: the role holds there only, none fleet-wide')
    .option('--expires-in <duration>', "lifetime, e.g. 12h, 30d (default: the hub's default lifetime)")
    .addOption(outputOption())
    .action(
      async (name: string, options: { role: Role; project?: string; expiresIn?: string }, cmd: Command) => {
        const input: { name: string; role: Role; project?: string; expiresIn?: number } = {
          name,
          role: options.role,
        };
        if (options.project !== undefined) {
          if (options.project === '') throw usageError('--project must name a project');
          input.project = options.project;
        }
        if (options.expiresIn !== undefined) {
          const seconds = parseDuration(options.expiresIn, '--expires-in');
          if (seconds <= 0) throw usageError('--expires-in must be longer than 0s');
          input.expiresIn = seconds;
        }
        const created = await createApiToken(await connect(cmd, env), input);
        emit(
          cmd,
          env,
          created,
          () =>
            `${apiTokensTable([created.token], env.now())}\n` +
            `Secret (shown only this once; the hub keeps only its hash):\n${created.secret}\n`,
        );
      },
    );

  tokens
    .command('list')
    .alias('ls')
    .description('list API tokens, newest first (never their secrets)')
    .addOption(outputOption())
    .action(async (_options: unknown, cmd: Command) => {
      const items = await listApiTokens(await connect(cmd, env));
      emitList(cmd, env, items, 'API tokens', () => apiTokensTable(items, env.now()));
    });

  tokens
    .command('revoke <id>')
    .description('the token stops working at once')
    .addOption(outputOption())
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const token = await revokeApiToken(await connect(cmd, env), id);
      emit(cmd, env, token, () => `api-token/${token.name} revoked\n`);
    });
}
