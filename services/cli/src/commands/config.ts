import { type Command } from 'commander';
import { deleteContext, type FleetctlConfig, setContext, useContext } from '../config/contexts.js';
import { configPath, readConfig, writeConfig } from '../config/file.js';
import { CliError, CLI_CODES } from '../errors.js';
import { renderTable } from '../format/table.js';
import { type CliEnv, emit, globals, outputOption } from './shared.js';

/** Pure: the contexts as get-contexts shows them; a token is only ever `***`. */
export function contextsView(
  config: FleetctlConfig,
): { name: string; hub: string; token: string; current: boolean }[] {
  return config.contexts.map((c) => ({
    name: c.name,
    hub: c.hub,
    token: c.token ? '***' : c.sso ? 'sso' : '<none>',
    current: c.name === config.currentContext,
  }));
}

export function registerConfigCommands(program: Command, env: CliEnv): void {
  const config = program
    .command('config')
    .description('manage contexts (hub URL + token) in $FLEETCTL_CONFIG or ~/.config/fleetctl/config.yaml');

  async function update(change: (current: FleetctlConfig) => FleetctlConfig): Promise<void> {
    const path = configPath(env.io.env);
    await writeConfig(path, change(await readConfig(path)));
  }

  config
    .command('set-context <name>')
    .description(
      'create or update a context with the global --hub and --token (the first one becomes current)',
    )
    .action(async (name: string, _options: unknown, cmd: Command) => {
      const { hub, token } = globals(cmd);
      let created = false;
      await update((current) => {
        created = !current.contexts.some((c) => c.name === name);
        return setContext(current, name, { hub, token });
      });
      env.io.stdout.write(`context "${name}" ${created ? 'created' : 'modified'}\n`);
    });

  config
    .command('use-context <name>')
    .description('make a context the current one')
    .action(async (name: string) => {
      await update((current) => useContext(current, name));
      env.io.stdout.write(`switched to context "${name}"\n`);
    });

  config
    .command('delete-context <name>')
    .description('remove a context')
    .action(async (name: string) => {
      await update((current) => deleteContext(current, name));
      env.io.stdout.write(`context "${name}" deleted\n`);
    });

  config
    .command('get-contexts')
    .description('list the contexts (tokens are shown as ***)')
    .addOption(outputOption())
    .action(async (_options: unknown, cmd: Command) => {
      const view = contextsView(await readConfig(configPath(env.io.env)));
      emit(cmd, env, view, () =>
        renderTable(
          ['current', 'name', 'hub', 'token'],
          view.map((c) => [c.current ? '*' : '', c.name, c.hub, c.token]),
        ),
      );
    });

  config
    .command('current-context')
    .description('print the current context')
    .action(async () => {
      const path = configPath(env.io.env);
      const { currentContext } = await readConfig(path);
      if (currentContext === null) throw new CliError(`no current context in ${path}`, CLI_CODES.config);
      env.io.stdout.write(`${currentContext}\n`);
    });
}
