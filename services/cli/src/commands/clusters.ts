import { type ClusterStatus, DeletionPolicy } from '@fleetwave/api-client';
import { type Command, Option } from 'commander';
import { parseLabelChanges } from '../args/labels.js';
import { clustersTable } from '../format/clusters.js';
import {
  CLUSTER_STATUSES,
  deregisterCluster,
  getCluster,
  labelCluster,
  listClusters,
  revokeClusterCredential,
  setCordoned,
} from '../resources/clusters.js';
import { type CliEnv, connect, emit, emitList, outputOption } from './shared.js';

export function registerClusterCommands(program: Command, env: CliEnv): void {
  const clusters = program.command('clusters').alias('cluster').description('registered clusters');

  clusters
    .command('list')
    .alias('ls')
    .description('list clusters, in name order')
    .option('-l, --selector <selector>', 'label selector, e.g. "env=prod,region in (eu-west-1,eu-central-1)"')
    .addOption(new Option('--status <status>', 'only clusters in this status').choices(CLUSTER_STATUSES))
    .addOption(outputOption())
    .action(async (options: { selector?: string; status?: ClusterStatus }, cmd: Command) => {
      const client = await connect(cmd, env);
      const items = await listClusters(client, options);
      emitList(cmd, env, items, 'clusters', () => clustersTable(items, env.now()));
    });

  clusters
    .command('get <name>')
    .description('show one cluster')
    .addOption(outputOption())
    .action(async (name: string, _options: unknown, cmd: Command) => {
      const cluster = await getCluster(await connect(cmd, env), name);
      emit(cmd, env, cluster, () => clustersTable([cluster], env.now()));
    });

  clusters
    .command('label <name> <labels...>')
    .description('set labels (key=value, overwriting) and remove them (key-), like kubectl label')
    .addOption(outputOption())
    .action(async (name: string, labels: string[], _options: unknown, cmd: Command) => {
      const changes = parseLabelChanges(labels);
      const cluster = await labelCluster(await connect(cmd, env), name, changes);
      emit(cmd, env, cluster, () => `cluster/${cluster.name} labeled\n`);
    });

  for (const [verb, cordoned] of [
    ['cordon', true],
    ['uncordon', false],
  ] as const) {
    clusters
      .command(`${verb} <name>`)
      .description(
        cordoned ? 'leave the cluster out of new rollouts' : 'let new rollouts include the cluster again',
      )
      .addOption(outputOption())
      .action(async (name: string, _options: unknown, cmd: Command) => {
        const cluster = await setCordoned(await connect(cmd, env), name, cordoned);
        emit(cmd, env, cluster, () => `cluster/${cluster.name} ${verb}ed\n`);
      });
  }

  clusters
    .command('revoke-credential <name>')
    .description(
      "admin only: the cluster's agent credential and report-signing key stop working (polls and reports refused); the cluster, its labels and history stay, and it comes back when its agent registers again",
    )
    .addOption(outputOption())
    .action(async (name: string, _options: unknown, cmd: Command) => {
      const cluster = await revokeClusterCredential(await connect(cmd, env), name);
      emit(
        cmd,
        env,
        cluster,
        () => `cluster/${cluster.name} credential revoked
`,
      );
    });

  clusters
    .command('delete <name>')
    .alias('deregister')
    .description(
      "deregister the cluster: its agent is told to remove every application's objects (--orphan: leave them) and the cluster goes once it confirmed; --force deletes it now, objects left in place",
    )
    .option('--orphan', 'leave the objects in the cluster, unmanaged')
    .option('--force', 'delete the cluster now, without withdrawals: its objects stay')
    .addOption(outputOption())
    .action(async (name: string, options: { orphan?: boolean; force?: boolean }, cmd: Command) => {
      const cluster = await deregisterCluster(await connect(cmd, env), name, {
        deletionPolicy: options.orphan === true ? DeletionPolicy.Orphan : DeletionPolicy.Prune,
        force: options.force === true,
      });
      emit(cmd, env, cluster, () =>
        cluster.deregistration === null
          ? `cluster/${cluster.name} deleted\n`
          : `cluster/${cluster.name} deregistering (${cluster.deregistration.policy}): deleted once its agent confirmed every withdrawal\n`,
      );
    });
}
