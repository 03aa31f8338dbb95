import { type Command } from 'commander';
import { parseDuration } from '../args/duration.js';
import { parseLabelChanges } from '../args/labels.js';
import { parseInteger } from '../args/numbers.js';
import { usageError } from '../errors.js';
import { tokensTable } from '../format/tokens.js';
import { createToken, type CreateTokenInput, listTokens, revokeToken } from '../resources/tokens.js';
import { type CliEnv, collect, connect, emit, emitList, outputOption } from './shared.js';

interface CreateOptions {
  description?: string;
  maxUses?: string;
  expiresIn?: string;
  label?: string[];
}

export function registerTokenCommands(program: Command, env: CliEnv): void {
  const tokens = program
    .command('tokens')
    .alias('token')
    .description('registration tokens agents register with');

  tokens
    .command('create')
    .description('create a registration token; its secret is printed once, now')
    .option('--description <text>', 'what the token is for')
    .option('--max-uses <n>', 'registrations allowed (default: unlimited)')
    .option('--expires-in <duration>', 'lifetime, e.g. 24h, 7d (default: never expires)')
    .option('--label <key=value>', 'a label clusters registering with it start with (repeatable)', collect)
    .addOption(outputOption())
    .action(async (options: CreateOptions, cmd: Command) => {
      const input: CreateTokenInput = {};
      if (options.description !== undefined) input.description = options.description;
      if (options.maxUses !== undefined) input.maxUses = parseInteger(options.maxUses, '--max-uses', 1);
      if (options.expiresIn !== undefined) {
        const seconds = parseDuration(options.expiresIn, '--expires-in');
        if (seconds <= 0) throw usageError('--expires-in must be longer than 0s');
        input.expiresAt = new Date(env.now().getTime() + seconds * 1000).toISOString();
      }
      if (options.label) input.defaultLabels = parseLabelChanges(options.label, { allowRemove: false }).set;
      const created = await createToken(await connect(cmd, env), input);
      emit(
        cmd,
        env,
        created,
        () =>
          `${tokensTable([created.token], env.now())}\n` +
          `Secret (shown only this once; give it to the agent):\n${created.secret}\n`,
      );
    });

  tokens
    .command('list')
    .alias('ls')
    .description('list registration tokens, newest first (never their secrets)')
    .addOption(outputOption())
    .action(async (_options: unknown, cmd: Command) => {
      const items = await listTokens(await connect(cmd, env));
      emitList(cmd, env, items, 'registration tokens', () => tokensTable(items, env.now()));
    });

  tokens
    .command('revoke <id>')
    .description('agents can no longer register with the token')
    .addOption(outputOption())
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const token = await revokeToken(await connect(cmd, env), id);
      emit(cmd, env, token, () => `token/${token.id} revoked\n`);
    });
}
