import { type Command, Option } from 'commander';
import { renderOutput } from '../format/output.js';
import { statusTable } from '../format/status.js';
import { listPlacements } from '../resources/placements.js';
import { type CliEnv, connect } from './shared.js';

const STATUS_FORMATS = ['table', 'wide', 'json', 'yaml'] as const;
type StatusFormat = (typeof STATUS_FORMATS)[number];

export function registerStatusCommands(program: Command, env: CliEnv): void {
  program
    .command('status [app]')
    .description(
      'the fleet status matrix: one row per (application, cluster), with phase, reported and desired commits and drift corrections (last hour/all)',
    )
    .option('-l, --selector <selector>', 'only clusters matching this label selector')
    .option('--drifted', 'only pairs with drift corrections in the last hour')
    .addOption(new Option('-o, --output <format>', 'output format').choices(STATUS_FORMATS).default('table'))
    .action(
      async (
        app: string | undefined,
        options: { selector?: string; drifted?: boolean; output: StatusFormat },
        cmd: Command,
      ) => {
        const client = await connect(cmd, env);
        const items = await listPlacements(client, {
          application: app,
          selector: options.selector,
          drifted: options.drifted,
        });
        if (items.length === 0 && (options.output === 'table' || options.output === 'wide')) {
          env.io.stderr.write('No placements found.\n');
          return;
        }
        const format = options.output === 'wide' ? 'table' : options.output;
        env.io.stdout.write(
          renderOutput(format, items, () => statusTable(items, env.now(), options.output === 'wide')),
        );
      },
    );
}
