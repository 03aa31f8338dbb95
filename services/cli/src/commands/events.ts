import { type Command } from 'commander';
import { EventTargetKind } from '@fleetwave/api-client';
import { parseInteger } from '../args/numbers.js';
import { parseTimeOrAgo } from '../args/time.js';
import { usageError } from '../errors.js';
import { eventsNdjson, eventsTable } from '../format/events.js';
import { renderOutput } from '../format/output.js';
import { type AuditEvent, type EventFilter, eventPages } from '../resources/events.js';
import { type CliEnv, connect, outputFormat, outputOption } from './shared.js';

interface EventsOptions {
  since?: string;
  until?: string;
  actor?: string;
  action?: string;
  app?: string;
  cluster?: string;
  project?: string;
  target?: string;
  limit: string;
}

const TARGET_KINDS = Object.values(EventTargetKind) as string[];

export function registerEventCommands(program: Command, env: CliEnv): void {
  program
    .command('events')
    .description('the audit trail, newest first: who changed what, and every state change')
    .option('--since <time>', 'only events at or after this: a duration ago (1h, 7d) or an RFC 3339 time')
    .option('--until <time>', 'only events before this: a duration ago or an RFC 3339 time')
    .option('--actor <name>', 'only this actor (token:<name>, engine, git, cluster:<name>, …)')
    .option('--action <action>', 'only this action (rollout.started), or a prefix ending in a dot (rollout.)')
    .option('--app <name>', 'only about this application, its rollouts and placements')
    .option('--cluster <name>', 'only about this cluster and its placements')
    .option('--project <name>', 'only of this project: it, its applications, their rollouts and placements')
    .option('--target <kind/id>', `only about this target (kinds: ${TARGET_KINDS.join(', ')})`)
    .option('--limit <n>', 'at most this many events', '100')
    .addOption(outputOption())
    .addHelpText(
      'after',
      '\n-o json writes one JSON object per line (NDJSON), page by page as the hub answers.',
    )
    .action(async (options: EventsOptions, cmd: Command) => {
      const filter = eventFilter(options, env.now());
      const limit = parseInteger(options.limit, '--limit', 1);
      const client = await connect(cmd, env);
      const format = outputFormat(cmd);
      const all: AuditEvent[] = [];
      for await (const page of eventPages(client, filter, limit)) {
        if (format === 'json') env.io.stdout.write(eventsNdjson(page));
        else all.push(...page);
      }
      if (format === 'json') return;
      if (all.length === 0 && format === 'table') {
        env.io.stderr.write('No events found.\n');
        return;
      }
      env.io.stdout.write(renderOutput(format, all, () => eventsTable(all)));
    });
}

/** Pure: the flags as the hub's filter arguments (usage errors for what it would refuse anyway). */
export function eventFilter(options: Omit<EventsOptions, 'limit'>, now: Date): EventFilter {
  const filter: EventFilter = {};
  const since = options.since === undefined ? undefined : parseTimeOrAgo(options.since, '--since', now);
  const until = options.until === undefined ? undefined : parseTimeOrAgo(options.until, '--until', now);
  if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) {
    throw usageError('--since must be before --until');
  }
  if (since !== undefined) filter.since = since.toISOString();
  if (until !== undefined) filter.until = until.toISOString();
  if (options.actor !== undefined) filter.actor = options.actor;
  if (options.action !== undefined) filter.action = options.action;
  if (options.app !== undefined) filter.application = options.app;
  if (options.cluster !== undefined) filter.cluster = options.cluster;
  if (options.project !== undefined) filter.project = options.project;
  if (options.target !== undefined) {
    const slash = options.target.indexOf('/');
    const kind = slash > 0 ? options.target.slice(0, slash) : '';
    const id = slash > 0 ? options.target.slice(slash + 1) : '';
    if (!TARGET_KINDS.includes(kind) || id === '') {
      throw usageError(
        `--target "${options.target}": expected <kind>/<id> with kind one of ${TARGET_KINDS.join(', ')}`,
      );
    }
    filter.targetKind = kind as EventTargetKind;
    filter.targetId = id;
  }
  return filter;
}
