import { Command } from 'commander';
import { registerAppCommands } from './commands/apps.js';
import { registerClusterCommands } from './commands/clusters.js';
import { registerConfigCommands } from './commands/config.js';
import { registerEventCommands } from './commands/events.js';
import { registerFleetCommands } from './commands/fleet.js';
import { registerLoginCommands } from './commands/login.js';
import { registerNotificationCommands } from './commands/notifications.js';
import { registerRolloutCommands } from './commands/rollouts.js';
import { registerStatusCommands } from './commands/status.js';
import { type CliEnv } from './commands/shared.js';
import { registerProjectCommands } from './commands/projects.js';
import { registerTokenCommands } from './commands/tokens.js';
import { registerApiTokenCommands } from './commands/api-tokens.js';
import { CLI_CODES, EXIT, exitCodeFor, formatError, isReportedByCommander, oneLine } from './errors.js';
import { type Io } from './io.js';
import { VERSION } from './version.js';

/** The command tree: global options, then one group of subcommands per resource. */
export function buildProgram(env: CliEnv): Command {
  const program = new Command('fleetctl')
    .description(
      'fleetctl: the command line of the Fleetwave hub (clusters, tokens, API tokens, applications, rollouts, fleet, notifications)',
    )
    .version(VERSION, '--version', 'print the version')
    .option('--context <name>', 'use this context of the config file instead of the current one')
    .option('--hub <url>', 'hub URL, e.g. http://127.0.0.1:8080 (overrides $FLEETCTL_HUB and the context)')
    .option(
      '--token <token>',
      'API or bootstrap token (overrides $FLEETCTL_TOKEN, the context and its login)',
    )
    .option('--debug', 'print stack traces with errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => env.io.stdout.write(text),
      writeErr: (text) => env.io.stderr.write(text),
      // Commander's usage errors, in fleetctl's one-line shape.
      outputError: (text, write) => write(`${oneLine(text)} (${CLI_CODES.usage})\n`),
    });
  registerConfigCommands(program, env);
  registerLoginCommands(program, env);
  registerClusterCommands(program, env);
  registerTokenCommands(program, env);
  registerProjectCommands(program, env);
  registerApiTokenCommands(program, env);
  registerAppCommands(program, env);
  registerRolloutCommands(program, env);
  registerStatusCommands(program, env);
  registerFleetCommands(program, env);
  registerEventCommands(program, env);
  registerNotificationCommands(program, env);
  return program;
}

/**
 * Runs fleetctl with `argv` (without node and the script) and returns the exit code: 0 on success,
 * 1 for API, usage, configuration and connection errors (one line on stderr), 2 when `rollouts
 * wait` timed out. Never throws.
 */
export async function run(
  argv: readonly string[],
  io: Io,
  now: () => Date = () => new Date(),
): Promise<number> {
  const program = buildProgram({ io, now });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (!isReportedByCommander(error)) {
      io.stderr.write(
        formatError(error, program.opts<{ debug?: boolean }>().debug === true || argv.includes('--debug')),
      );
    }
    return exitCodeFor(error);
  }
}
