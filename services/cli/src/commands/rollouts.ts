import { type Command } from 'commander';
import { formatSeconds, parseDuration } from '../args/duration.js';
import { parseInteger } from '../args/numbers.js';
import { parseStates } from '../args/states.js';
import { CliError, CLI_CODES, EXIT } from '../errors.js';
import {
  describeCommit,
  previewDiffText,
  previewText,
  rolloutDetails,
  rolloutsTable,
  shortSha,
} from '../format/rollouts.js';
import { type GraphqlClient } from '../graphql/client.js';
import {
  getRollout,
  listRollouts,
  previewRollout,
  previewRolloutDiff,
  type Rollout,
  type SteerAction,
  startRollout,
  steerRollout,
} from '../resources/rollouts.js';
import { FollowAborted } from '../rollouts/follow.js';
import { followRollout } from '../rollouts/follow-rollout.js';
import { rolloutOutcomeError } from '../rollouts/outcome.js';
import { WatchRenderer } from '../rollouts/render.js';
import { type CliEnv, collect, connect, emit, emitList, outputOption, readDataFile } from './shared.js';

export function registerRolloutCommands(program: Command, env: CliEnv): void {
  const rollouts = program
    .command('rollouts')
    .alias('rollout')
    .description('rollouts: a revision moving through the fleet wave by wave');

  rollouts
    .command('preview <app>')
    .description(
      'show the waves (clusters in assignment order), exclusions and render errors; nothing is written',
    )
    .option('--revision <sha>', 'a full 40-hex commit the hub has fetched (default: the latest)')
    .option('--plan-file <file>', "a wave plan (YAML or JSON) to try instead of the application's")
    .option(
      '--diff',
      'print what changes on each cluster, object by object like kubectl diff, clusters with the same changes grouped',
    )
    .addOption(outputOption())
    .action(
      async (
        app: string,
        options: { revision?: string; planFile?: string; diff?: boolean },
        cmd: Command,
      ) => {
        const plan =
          options.planFile === undefined ? undefined : await readDataFile(options.planFile, '--plan-file');
        const client = await connect(cmd, env);
        if (options.diff === true) {
          const preview = await previewRolloutDiff(client, app, { revision: options.revision, plan });
          emit(cmd, env, preview, () => previewDiffText(preview));
          return;
        }
        const preview = await previewRollout(client, app, { revision: options.revision, plan });
        emit(cmd, env, preview, () => previewText(preview));
      },
    );

  rollouts
    .command('start <app>')
    .description("start a rollout of the revision (default: the application's latest commit)")
    .option('--revision <sha>', 'a full 40-hex commit the hub has fetched')
    .option('--force', 'start it even though the commit is vetoed (recorded in the audit trail)')
    .addOption(outputOption())
    .action(async (app: string, options: { revision?: string; force?: boolean }, cmd: Command) => {
      const rollout = await startRollout(
        await connect(cmd, env),
        app,
        options.revision,
        options.force ?? false,
      );
      emit(
        cmd,
        env,
        rollout,
        () => `rollout/${rollout.id} started: ${app} @ ${describeCommit(rollout)} (${rollout.state})\n`,
      );
    });

  rollouts
    .command('list')
    .alias('ls')
    .description('list rollouts, newest first')
    .option('--app <name>', 'only rollouts of this application')
    .option('--state <state>', 'only rollouts in these states (repeatable, or comma-separated)', collect)
    .option('--limit <n>', 'at most this many rollouts', '50')
    .addOption(outputOption())
    .action(async (options: { app?: string; state?: string[]; limit: string }, cmd: Command) => {
      const filter = {
        application: options.app,
        states: parseStates(options.state ?? []),
        limit: parseInteger(options.limit, '--limit', 1, 10_000),
      };
      const items = await listRollouts(await connect(cmd, env), filter);
      emitList(cmd, env, items, 'rollouts', () => rolloutsTable(items, env.now()));
    });

  rollouts
    .command('get <id>')
    .description('show a rollout: its header and waves (and with --clusters every member cluster)')
    .option('--clusters', 'also list the member clusters')
    .addOption(outputOption())
    .action(async (id: string, options: { clusters?: boolean }, cmd: Command) => {
      const rollout = await getRollout(await connect(cmd, env), id, options.clusters ?? false);
      emit(cmd, env, rollout, () => rolloutDetails(rollout, env.now()));
    });

  rollouts
    .command('watch <id>')
    .description(
      'follow a rollout live until it finishes: exits 0 when it Succeeded, 1 when it Failed, was Aborted, RolledBack or Superseded',
    )
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const renderer = new WatchRenderer(env.io.stdout, env.io.stderr, () => env.now());
      const final = await followRollout(await connect(cmd, env), id, {
        onUpdate: (rollout) => renderer.update(rollout),
        onNote: (message) => renderer.note(message),
      });
      finish(final, env, env.io.stdout.isTTY === true);
    });

  rollouts
    .command('wait <id>')
    .description('wait until a rollout finishes: exits 0 when it Succeeded, 1 when it did not, 2 on timeout')
    .option('--timeout <duration>', 'give up after this long (0: never)', '10m')
    .action(async (id: string, options: { timeout: string }, cmd: Command) => {
      const seconds = parseDuration(options.timeout, '--timeout');
      const client = await connect(cmd, env);
      finish(await waitFor(client, id, seconds, env), env, false);
    });

  for (const spec of STEER_COMMANDS) steerCommand(rollouts, env, spec);

  rollouts
    .command('rollback <id>')
    .description('start a rollback of the clusters this rollout changed (to what each ran before, or --to)')
    .option('--to <sha>', 'a full 40-hex commit the hub has fetched to move them to')
    .addOption(outputOption())
    .action(async (id: string, options: { to?: string }, cmd: Command) => {
      const rollback = await steerRollout(await connect(cmd, env), id, {
        mutation: 'rollbackRollout',
        commit: options.to,
      });
      emit(
        cmd,
        env,
        rollback,
        () => `rollout/${rollback.id} started: rollback of ${id} to ${shortSha(rollback.commit)}\n`,
      );
    });

  for (const [name, mutation, verb, description] of [
    ['retry', 'retryCluster', 'retried', 'assign a member cluster again, forgetting its failure'],
    ['skip', 'skipCluster', 'skipped', 'leave a member cluster out (done, not failed)'],
  ] as const) {
    rollouts
      .command(`${name} <id> <cluster>`)
      .description(description)
      .addOption(outputOption())
      .action(async (id: string, cluster: string, _options: unknown, cmd: Command) => {
        const rollout = await steerRollout(await connect(cmd, env), id, { mutation, cluster });
        emit(cmd, env, rollout, () => `rollout/${rollout.id}: cluster ${cluster} ${verb}\n`);
      });
  }
}

interface SteerSpec {
  name: string;
  description: string;
  /** What the answer line says happened: `rollout/<id> paused`. */
  verb: string;
  options?: (command: Command) => Command;
  action: (options: Record<string, string | undefined>) => SteerAction;
}

const STEER_COMMANDS: readonly SteerSpec[] = [
  {
    name: 'approve',
    description: 'open the wave awaiting approval',
    verb: 'approved',
    options: (command) =>
      command.option(
        '--wave <name>',
        'the wave expected to be awaiting approval (refused when another one is)',
      ),
    action: (options) => ({ mutation: 'approveWave', wave: options['wave'] }),
  },
  {
    name: 'pause',
    description: 'assign no more clusters until resumed (deadlines stop)',
    verb: 'paused',
    action: () => ({ mutation: 'pauseRollout' }),
  },
  {
    name: 'resume',
    description: 'resume a paused rollout (deadlines restart now)',
    verb: 'resumed',
    action: () => ({ mutation: 'resumeRollout' }),
  },
  {
    name: 'abort',
    description: 'stop the rollout for good; clusters keep what they were given',
    verb: 'aborted',
    action: () => ({ mutation: 'abortRollout' }),
  },
  {
    name: 'override-freeze',
    description: 'let this rollout (or catch-up) past the fleet freeze (admin; audited)',
    verb: 'let past the freeze',
    action: () => ({ mutation: 'overrideFreeze' }),
  },
];

function steerCommand(parent: Command, env: CliEnv, spec: SteerSpec): void {
  let command = parent.command(`${spec.name} <id>`).description(spec.description);
  if (spec.options) command = spec.options(command);
  command
    .addOption(outputOption())
    .action(async (id: string, options: Record<string, string | undefined>, cmd: Command) => {
      const rollout = await steerRollout(await connect(cmd, env), id, spec.action(options));
      emit(cmd, env, rollout, () => `rollout/${rollout.id} ${spec.verb}\n`);
    });
}

/** Follows the rollout to a final state, giving up after `seconds` (0: never) with exit code 2. */
async function waitFor(client: GraphqlClient, id: string, seconds: number, env: CliEnv): Promise<Rollout> {
  const controller = new AbortController();
  const timer = seconds > 0 ? setTimeout(() => controller.abort(), seconds * 1000) : undefined;
  let last: Rollout | undefined;
  try {
    return await followRollout(client, id, {
      onUpdate: (rollout) => (last = rollout),
      onNote: (message) => env.io.stderr.write(`${message}\n`),
      signal: controller.signal,
    });
  } catch (error) {
    if (!(error instanceof FollowAborted)) throw error;
    const where = last ? ` (still ${last.state}${last.blocking ? `: ${last.blocking.message}` : ''})` : '';
    throw new CliError(
      `timed out after ${formatSeconds(seconds)} waiting for rollout ${id}${where}`,
      CLI_CODES.timeout,
      EXIT.timeout,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Succeeded: a line on stdout; any other final state: the error that exits 1. */
function finish(rollout: Rollout, env: CliEnv, afterFrame: boolean): void {
  const failure = rolloutOutcomeError(rollout);
  if (failure) throw failure;
  env.io.stdout.write(`${afterFrame ? '\n' : ''}rollout/${rollout.id} ${rollout.state}\n`);
}
