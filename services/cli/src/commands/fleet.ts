import { type Command } from 'commander';
import { parseDuration } from '../args/duration.js';
import { usageError } from '../errors.js';
import { type Fleet, freezeFleet, getFleet, unfreezeFleet } from '../resources/fleet.js';
import { type CliEnv, connect, emit, outputOption } from './shared.js';

interface FreezeOptions {
  reason: string;
  until?: string;
  for?: string;
}

/** Pure: one line about the freeze (`frozen by …`, or `not frozen`). */
export function fleetLine(fleet: Fleet): string {
  const freeze = fleet.freeze;
  if (!freeze) return 'fleet: not frozen\n';
  return (
    `fleet: frozen by ${freeze.by} since ${freeze.since}` +
    `${freeze.until ? ` until ${freeze.until}` : ' until unfrozen'}: ${freeze.reason}\n`
  );
}

/** Pure: `--until <time>` or `--for <duration>` as an ISO time; null when neither is given. */
export function freezeUntil(options: Pick<FreezeOptions, 'until' | 'for'>, now: Date): string | null {
  if (options.until !== undefined && options.for !== undefined) {
    throw usageError('give --until or --for, not both');
  }
  if (options.for !== undefined) {
    const seconds = parseDuration(options.for, '--for');
    if (seconds <= 0) throw usageError('--for must be longer than 0s');
    return new Date(now.getTime() + seconds * 1000).toISOString();
  }
  if (options.until !== undefined) {
    const at = new Date(options.until);
    if (Number.isNaN(at.getTime())) {
      throw usageError(`invalid --until "${options.until}": expected a time such as 2026-12-27T08:00:00Z`);
    }
    return at.toISOString();
  }
  return null;
}

export function registerFleetCommands(program: Command, env: CliEnv): void {
  const fleet = program.command('fleet').description('fleet-wide controls: the freeze');

  fleet
    .command('status')
    .description('whether the fleet is frozen, by whom, why and until when')
    .addOption(outputOption())
    .action(async (_options: unknown, cmd: Command) => {
      const state = await getFleet(await connect(cmd, env));
      emit(cmd, env, state, () => fleetLine(state));
    });

  fleet
    .command('freeze')
    .description('hold every rollout and catch-up (clusters in flight finish); admin, audited')
    .requiredOption('--reason <text>', 'why (shown on every held rollout)')
    .option('--until <time>', 'when it lifts by itself, e.g. 2026-12-27T08:00:00Z')
    .option('--for <duration>', 'how long, e.g. 2h, 3d (instead of --until)')
    .addOption(outputOption())
    .action(async (options: FreezeOptions, cmd: Command) => {
      const until = freezeUntil(options, env.now());
      const state = await freezeFleet(await connect(cmd, env), options.reason, until);
      emit(cmd, env, state, () => fleetLine(state));
    });

  fleet
    .command('unfreeze')
    .description('lift the freeze; held rollouts and catch-ups move on (admin, audited)')
    .addOption(outputOption())
    .action(async (_options: unknown, cmd: Command) => {
      const state = await unfreezeFleet(await connect(cmd, env));
      emit(cmd, env, state, () => fleetLine(state));
    });
}
