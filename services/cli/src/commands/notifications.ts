import { type Command, Option } from 'commander';
import { parseInteger } from '../args/numbers.js';
import { readSecret } from '../args/secrets.js';
import { usageError } from '../errors.js';
import { deliveriesTable, describeSubscription, subscriptionsTable } from '../format/notifications.js';
import {
  createSubscription,
  type CreateSubscriptionInput,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
} from '../resources/notifications.js';
import { type CliEnv, collect, connect, emit, emitList, outputOption } from './shared.js';

export interface CreateOptions {
  kind: string[];
  target: 'webhook' | 'slack';
  url?: string;
  urlFile?: string;
  urlEnv?: string;
  secretFile?: string;
  secretEnv?: string;
  app?: string;
  project?: string;
}

/** Pure: `--kind a,b --kind c` as a list without repeats. */
export function kindsFrom(values: readonly string[]): string[] {
  const kinds = values
    .flatMap((v) => v.split(','))
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (kinds.length === 0) throw usageError('--kind: give at least one event kind');
  return [...new Set(kinds)];
}

/**
 * The mutation's input from the flags. The URL and the secret are read from a file or the
 * environment when asked (a Slack URL's path is its credential); neither is ever printed.
 */
export async function subscriptionInput(
  options: CreateOptions,
  env: Readonly<Record<string, string | undefined>>,
  read?: (path: string) => Promise<string>,
): Promise<CreateSubscriptionInput> {
  const kinds = kindsFrom(options.kind);
  if (options.app !== undefined && options.project !== undefined) {
    throw usageError('give --app or --project, not both');
  }
  const fromSource = await readSecret({ file: options.urlFile, env: options.urlEnv }, 'url', env, read);
  if ((options.url === undefined) === (fromSource === undefined)) {
    throw usageError('give the receiver with exactly one of --url, --url-file or --url-env');
  }
  const secret = await readSecret({ file: options.secretFile, env: options.secretEnv }, 'secret', env, read);
  if (options.target === 'webhook' && secret === undefined) {
    throw usageError('a webhook target signs its bodies: give --secret-file or --secret-env');
  }
  return {
    kinds,
    format: options.target,
    url: (options.url ?? fromSource)!,
    ...(secret === undefined ? {} : { secret }),
    ...(options.app === undefined ? {} : { application: options.app }),
    ...(options.project === undefined ? {} : { project: options.project }),
  };
}

export function registerNotificationCommands(program: Command, env: CliEnv): void {
  const notifications = program
    .command('notifications')
    .alias('notification')
    .description('notification subscriptions (event kinds → webhook or Slack) and their delivery logs');

  const subscriptions = notifications
    .command('subscriptions')
    .alias('subscription')
    .alias('subs')
    .description('who is told about what (never shows a secret or a URL path)');

  subscriptions
    .command('create')
    .description('subscribe a receiver to event kinds (admin, audited)')
    .requiredOption(
      '--kind <kinds>',
      'event kinds, comma-separated or repeated: waveAwaitingApproval, rolloutFailed, rolledBack, rolloutSucceeded, clusterOffline, driftCorrected, degradedAfterSuccess, verificationFailed',
      collect,
    )
    .addOption(
      new Option('--target <kind>', 'webhook (Fleetwave JSON, signed) or slack (an incoming webhook)')
        .choices(['webhook', 'slack'])
        .default('webhook'),
    )
    .option(
      '--url <url>',
      'the receiver, http(s) (a URL with a token in its path: use --url-file or --url-env)',
    )
    .option('--url-file <file>', 'read the receiver URL from a file')
    .option('--url-env <name>', 'read the receiver URL from an environment variable')
    .option('--secret-file <file>', 'read the HMAC secret (16 to 512 characters) from a file')
    .option('--secret-env <name>', 'read the HMAC secret from an environment variable')
    .option('--app <name>', 'only events of this application (default: every application)')
    .option('--project <name>', "only events of this project's applications (its admins may subscribe)")
    .addOption(outputOption())
    .action(async (options: CreateOptions, cmd: Command) => {
      const input = await subscriptionInput(options, env.io.env);
      const created = await createSubscription(await connect(cmd, env), input);
      emit(cmd, env, created, () => `notificationsubscription/${created.id} created\n`);
    });

  subscriptions
    .command('list')
    .alias('ls')
    .description('list subscriptions, oldest first')
    .addOption(outputOption())
    .action(async (_options: unknown, cmd: Command) => {
      const items = await listSubscriptions(await connect(cmd, env));
      emitList(cmd, env, items, 'notification subscriptions', () => subscriptionsTable(items, env.now()));
    });

  subscriptions
    .command('get <id>')
    .description('show a subscription')
    .addOption(outputOption())
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const item = await getSubscription(await connect(cmd, env), id);
      emit(cmd, env, item, () => describeSubscription(item, env.now()));
    });

  subscriptions
    .command('delete <id>')
    .description('delete a subscription and its delivery log (fleet or project admin, audited)')
    .addOption(outputOption())
    .action(async (id: string, _options: unknown, cmd: Command) => {
      const deleted = await deleteSubscription(await connect(cmd, env), id);
      emit(cmd, env, deleted, () => `notificationsubscription/${deleted.id} deleted\n`);
    });

  notifications
    .command('deliveries <subscription>')
    .description(
      "a subscription's delivery log, newest first: event, attempts, status, last error, next retry",
    )
    .option('--limit <n>', 'at most this many deliveries (1-200)', '50')
    .addOption(outputOption())
    .action(async (id: string, options: { limit: string }, cmd: Command) => {
      const first = parseInteger(options.limit, '--limit', 1, 200);
      const items = await listDeliveries(await connect(cmd, env), id, first);
      emitList(cmd, env, items, 'deliveries', () => deliveriesTable(items, env.now()));
    });
}
