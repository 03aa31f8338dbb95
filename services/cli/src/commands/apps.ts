import { DeletionPolicy, inOrder, JoinPolicy, RecreatePolicy, VerifyMode } from '@fleetwave/api-client';
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { healthChecksFrom } from '../args/health-checks.js';
import { parseInteger } from '../args/numbers.js';
import { verifyInput } from '../args/trusted-keys.js';
import { valuesRulesFrom } from '../args/values.js';
import { parseWindow, type WindowSpec } from '../args/windows.js';
import { CliError, CLI_CODES, usageError } from '../errors.js';
import { applicationsTable, describeApplication } from '../format/applications.js';
import { shortSha } from '../format/rollouts.js';
import {
  createApplication,
  type CreateApplicationInput,
  type UpdateApplicationInput,
  deleteApplication,
  getApplication,
  listApplications,
  renderApplication,
  syncApplication,
  unvetoRevision,
  updateApplication,
  vetoRevision,
} from '../resources/applications.js';
import { type CliEnv, collect, connect, emit, emitList, outputOption, readDataFile } from './shared.js';

interface CreateOptions {
  project?: string;
  repo: string;
  ref: string;
  path?: string;
  selector?: string;
  planFile?: string;
  valuesFile?: string;
  renderer?: string;
  valuesFrom?: string[];
  releaseName?: string;
  includeCrds: boolean;
  manual?: boolean;
  poll?: string;
  credentialsRef?: string;
  namespace?: string;
  prune: boolean;
  joinPolicy?: JoinPolicy;
  deletionPolicy?: DeletionPolicy;
  allowEmpty?: boolean;
  healthCheckFile?: string;
  chartRepository?: string;
  chart?: string;
  chartVersion?: string;
  chartCredentialsRef?: string;
  recreate?: RecreatePolicy;
  verify?: VerifyMode;
  trustedKeysFile?: string;
}

/** `--recreate`, for create and update. */
function recreateOption(): Option {
  return new Option(
    '--recreate <policy>',
    'delete and re-create an object whose apply is refused for an immutable field: never, annotated (only objects annotated fleetwave.io/recreate: "true", the default) or always',
  ).choices(inOrder(RecreatePolicy)(['never', 'annotated', 'always']));
}

/** `--verify` and `--trusted-keys-file`, for create and update. */
function verifyOptions(): Option[] {
  return [
    new Option(
      '--verify <mode>',
      'require signed commits: gpg (OpenPGP, git commit -S) or ssh (gpg.format=ssh); unsigned or untrusted commits are never rendered or rolled out',
    ).choices(inOrder(VerifyMode)(['gpg', 'ssh'])),
    new Option(
      '--trusted-keys-file <file>',
      'the public keys trusted with --verify: armored OpenPGP key blocks (gpg --armor --export) or OpenSSH .pub lines',
    ),
  ];
}

/** The `verify` input from --verify / --trusted-keys-file (/ --no-verify); undefined: not given. */
async function verifyFromOptions(options: { verify?: VerifyMode | false; trustedKeysFile?: string }) {
  let keysFile: { path: string; text: string } | undefined;
  if (options.trustedKeysFile !== undefined) {
    try {
      keysFile = { path: options.trustedKeysFile, text: await readFile(options.trustedKeysFile, 'utf8') };
    } catch (error) {
      throw usageError(
        `--trusted-keys-file: cannot read ${options.trustedKeysFile}: ${(error as Error).message}`,
      );
    }
  }
  return verifyInput(options.verify, keysFile);
}

const HEALTH_CHECK_FILE_HELP =
  'custom health rules, YAML or JSON: a list of { apiVersion, kind, current, failed, inProgress } CEL expressions';

export function registerAppCommands(program: Command, env: CliEnv): void {
  const apps = program
    .command('apps')
    .alias('app')
    .description('applications: what to deploy (git), where (a selector) and how (a wave plan)');

  apps
    .command('create <name>')
    .description('create an application')
    .requiredOption('--repo <url>', 'http(s) clone URL, without credentials')
    .requiredOption('--ref <ref>', 'branch, tag or commit')
    .option('--project <name>', 'the project it belongs to (default: default)')
    .option('--path <path>', 'directory of the templates in the repository (default: the root)')
    .option('--selector <selector>', 'the clusters it targets (default: every cluster)')
    .option('--plan-file <file>', 'the wave plan, YAML or JSON')
    .option(
      '--values-file <file>',
      'per-cluster values, YAML or JSON: a mapping, or a list of { selector, values }',
    )
    .addOption(
      new Option(
        '--renderer <kind>',
        'how the source is rendered (default auto: the source decides)',
      ).choices(['auto', 'template', 'helm', 'kustomize']),
    )
    .option(
      '--values-from <path>',
      'a values file in the repository, relative to --path, over the application values (repeat for more, in order)',
      collect,
    )
    .option('--release-name <name>', "Helm release name (default: the application's name)")
    .option('--no-include-crds', "leave the chart's crds/ folder out of the bundle")
    .option('--manual', 'operators start rollouts (default: a new commit starts its rollout)')
    .option('--poll <seconds>', 'poll the repository every N seconds (10-86400, default 60)')
    .option('--credentials-ref <name>', "name of the hub's git credentials entry")
    .option('--namespace <namespace>', 'namespace for objects that name none')
    .option('--no-prune', 'keep objects the application no longer renders')
    .addOption(
      new Option(
        '--join-policy <policy>',
        'a cluster joining while a rollout runs: wave (joins its wave) or settled (the settled revision now)',
      ).choices(Object.values(JoinPolicy)),
    )
    .addOption(
      new Option(
        '--deletion-policy <policy>',
        "when a cluster leaves the placement: prune (delete the application's objects, default) or orphan (leave them)",
      ).choices(Object.values(DeletionPolicy)),
    )
    .option('--allow-empty', 'a commit that renders no object may roll out (it removes the application)')
    .option('--health-check-file <file>', HEALTH_CHECK_FILE_HELP)
    .option(
      '--chart-repository <url>',
      'take the chart from a Helm repository (https://…) or an OCI registry (oci://host/path), with --chart',
    )
    .option('--chart <name>', 'the chart in --chart-repository')
    .option(
      '--chart-version <version>',
      'a version or semver range, e.g. ^1.2.0 (default *: the newest stable)',
    )
    .option('--chart-credentials-ref <name>', "name of the hub's credentials entry for the chart repository")
    .addOption(recreateOption())
    .addOption(verifyOptions()[0]!)
    .addOption(verifyOptions()[1]!)
    .addOption(outputOption())
    .action(async (name: string, options: CreateOptions, cmd: Command) => {
      const input: CreateApplicationInput = { name, repoUrl: options.repo, ref: options.ref };
      if (options.project !== undefined) input.project = options.project;
      if (options.path !== undefined) input.path = options.path;
      if (options.selector !== undefined) input.targetSelector = options.selector;
      if (options.planFile !== undefined) input.plan = await readDataFile(options.planFile, '--plan-file');
      if (options.valuesFile !== undefined) {
        input.valuesRules = valuesRulesFrom(
          await readDataFile(options.valuesFile, '--values-file'),
          options.valuesFile,
        );
      }
      if (options.renderer !== undefined) input.renderer = options.renderer;
      if (options.valuesFrom !== undefined) input.valuesFiles = options.valuesFrom;
      if (options.releaseName !== undefined || !options.includeCrds) {
        input.helm = {
          ...(options.releaseName === undefined ? {} : { releaseName: options.releaseName }),
          includeCRDs: options.includeCrds,
        };
      }
      if (options.manual) input.syncPolicy = 'manual';
      if (options.poll !== undefined)
        input.pollIntervalSeconds = parseInteger(options.poll, '--poll', 10, 86_400);
      if (options.credentialsRef !== undefined) input.credentialsRef = options.credentialsRef;
      if (options.namespace !== undefined) input.defaultNamespace = options.namespace;
      if (!options.prune) input.prune = false;
      if (options.joinPolicy !== undefined) input.joinPolicy = options.joinPolicy;
      if (options.deletionPolicy !== undefined) input.deletionPolicy = options.deletionPolicy;
      if (options.allowEmpty) input.allowEmpty = true;
      if (options.healthCheckFile !== undefined) {
        input.healthChecks = await readHealthChecks(options.healthCheckFile);
      }
      const chart = chartSource(options);
      if (chart !== undefined) input.chart = chart;
      if (options.recreate !== undefined) input.recreate = options.recreate;
      const verify = await verifyFromOptions(options);
      if (verify) input.verify = verify;
      const app = await createApplication(await connect(cmd, env), input);
      emit(cmd, env, app, () => `application/${app.name} created\n`);
    });

  apps
    .command('update <name>')
    .description('change settings of an application; what is not given stays as it is')
    .option('--project <name>', 'move it to another project (operator in both; within its bounds)')
    .option(
      '--health-check-file <file>',
      `${HEALTH_CHECK_FILE_HELP}; replaces every rule (an empty list removes them)`,
    )
    .addOption(recreateOption())
    .addOption(verifyOptions()[0]!)
    .addOption(verifyOptions()[1]!)
    .option('--no-verify', 'stop requiring signed commits')
    .option('--plan-file <file>', 'replaces the wave plan, YAML or JSON')
    .option(
      '--window <window>',
      'a time window new changes may start in (allow) or not (deny): "<allow|deny> <5-field cron> <duration> [<IANA time zone>]", e.g. "deny 0 18 * * 5 62h Europe/Berlin"; repeat for more; replaces the plan\'s windows',
      collect,
    )
    .option('--clear-windows', 'remove every time window of the plan')
    .addOption(outputOption())
    .action(async (name: string, options: UpdateOptions, cmd: Command) => {
      const input: UpdateApplicationInput = {};
      if (options.project !== undefined) input.project = options.project;
      if (options.healthCheckFile !== undefined) {
        input.healthChecks = await readHealthChecks(options.healthCheckFile);
      }
      if (options.recreate !== undefined) input.recreate = options.recreate;
      const verify = await verifyFromOptions(options);
      if (verify !== undefined) input.verify = verify;
      if (options.planFile !== undefined) input.plan = await readDataFile(options.planFile, '--plan-file');
      const windows = windowsUpdate(options);
      if (Object.keys(input).length === 0 && windows === undefined) {
        throw usageError(
          'nothing to update: give a setting to change (--project, --health-check-file, --recreate, --verify, --no-verify, --plan-file, --window, --clear-windows)',
        );
      }
      const client = await connect(cmd, env);
      // Only the windows: the hub replaces them on the plan as it is (or as --plan-file gives it).
      if (windows !== undefined) input.planWindows = windows;
      const app = await updateApplication(client, name, input);
      emit(cmd, env, app, () => `application/${app.name} updated\n`);
    });

  apps
    .command('render <name>')
    .description(
      'print exactly what one cluster would get (the bundle its agent would apply; Secret values masked); exits 1 when it does not render',
    )
    .requiredOption('--cluster <name>', 'the cluster to render for (targeted or not)')
    .option('--revision <sha>', 'a full 40-hex commit the hub has fetched (default: the latest)')
    .addOption(outputOption())
    .action(async (name: string, options: { cluster: string; revision?: string }, cmd: Command) => {
      const rendered = await renderApplication(
        await connect(cmd, env),
        name,
        options.cluster,
        options.revision,
      );
      emit(cmd, env, rendered, () => rendered.manifests ?? '');
      if (rendered.error !== null) {
        throw new CliError(
          `application "${name}" does not render for cluster "${options.cluster}": ${rendered.error}`,
          CLI_CODES.renderFailed,
        );
      }
    });

  apps
    .command('list')
    .alias('ls')
    .description('list applications, in name order')
    .addOption(outputOption())
    .action(async (_options: unknown, cmd: Command) => {
      const items = await listApplications(await connect(cmd, env));
      emitList(cmd, env, items, 'applications', () => applicationsTable(items, env.now()));
    });

  apps
    .command('get <name>')
    .description('show an application: source, sync state, plan and values')
    .addOption(outputOption())
    .action(async (name: string, _options: unknown, cmd: Command) => {
      const app = await getApplication(await connect(cmd, env), name);
      emit(cmd, env, app, () => describeApplication(app, env.now()));
    });

  apps
    .command('delete <name>')
    .description(
      'delete an application: every cluster running it is told to remove its objects (--orphan: leave them); it shows deleting until all confirmed, and its rollouts and audit trail stay',
    )
    .option('--orphan', "leave the application's objects in the clusters, unmanaged")
    .addOption(outputOption())
    .action(async (name: string, options: { orphan?: boolean }, cmd: Command) => {
      const policy = options.orphan === true ? DeletionPolicy.Orphan : DeletionPolicy.Prune;
      const app = await deleteApplication(await connect(cmd, env), name, policy);
      emit(cmd, env, app, () =>
        app.deletion?.deletedAt != null
          ? `application/${app.name} deleted\n`
          : `application/${app.name} deleting (${policy}): ${app.deletion?.remaining ?? 0} cluster(s) to confirm\n`,
      );
    });

  apps
    .command('sync <name>')
    .description('fetch the ref now; exits 1 when the fetch failed or the revision is unusable')
    .addOption(outputOption())
    .action(async (name: string, _options: unknown, cmd: Command) => {
      const result = await syncApplication(await connect(cmd, env), name);
      emit(cmd, env, result, () => {
        if (result.commit === null) return '';
        let text = `application/${name} synced to ${shortSha(result.commit)}\n`;
        if (result.rolloutId) text += `rollout/${result.rolloutId} started\n`;
        return text;
      });
      if (result.error !== null) {
        throw new CliError(`sync of application "${name}" failed: ${result.error}`, CLI_CODES.syncFailed);
      }
    });

  apps
    .command('veto <name> <commit>')
    .description('veto a commit: never rolled out automatically, started by hand only with --force')
    .requiredOption('--reason <text>', 'why (shown with the commit and in refusals)')
    .addOption(outputOption())
    .action(async (name: string, commit: string, options: { reason: string }, cmd: Command) => {
      const veto = await vetoRevision(await connect(cmd, env), name, commit, options.reason);
      emit(cmd, env, veto, () => `application/${name} commit ${shortSha(veto.commit)} vetoed\n`);
    });

  apps
    .command('unveto <name> <commit>')
    .description('lift the veto of a commit (starts nothing by itself)')
    .addOption(outputOption())
    .action(async (name: string, commit: string, _options: unknown, cmd: Command) => {
      const veto = await unvetoRevision(await connect(cmd, env), name, commit);
      emit(cmd, env, veto, () => `application/${name} commit ${shortSha(veto.commit)} unvetoed\n`);
    });
}

interface UpdateOptions {
  project?: string;
  healthCheckFile?: string;
  recreate?: RecreatePolicy;
  verify?: VerifyMode | false;
  trustedKeysFile?: string;
  planFile?: string;
  window?: string[];
  clearWindows?: boolean;
}

/** Pure: the windows `apps update` sets ([] removes them); undefined when it leaves them. */
export function windowsUpdate(
  options: Pick<UpdateOptions, 'window' | 'clearWindows'>,
): WindowSpec[] | undefined {
  if (options.clearWindows === true) {
    if (options.window !== undefined) throw usageError('give --window or --clear-windows, not both');
    return [];
  }
  return options.window?.map(parseWindow);
}

async function readHealthChecks(file: string) {
  return healthChecksFrom(await readDataFile(file, '--health-check-file'), file);
}

/** --chart-repository and --chart name a chart together; the version and credentials need both. */
function chartSource(options: CreateOptions): CreateApplicationInput['chart'] {
  const { chartRepository, chart, chartVersion, chartCredentialsRef } = options;
  if (chartRepository === undefined && chart === undefined) {
    if (chartVersion !== undefined || chartCredentialsRef !== undefined) {
      throw usageError('--chart-version and --chart-credentials-ref need --chart-repository and --chart');
    }
    return undefined;
  }
  if (chartRepository === undefined || chart === undefined) {
    throw usageError('--chart-repository and --chart go together');
  }
  return {
    repository: chartRepository,
    name: chart,
    ...(chartVersion === undefined ? {} : { version: chartVersion }),
    ...(chartCredentialsRef === undefined ? {} : { credentialsRef: chartCredentialsRef }),
  };
}
