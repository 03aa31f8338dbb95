import { type Command } from 'commander';
import { usageError } from '../errors.js';
import { describeProject, projectsTable } from '../format/projects.js';
import {
  createProject,
  type CreateProjectInput,
  deleteProject,
  getProject,
  listProjects,
} from '../resources/projects.js';
import { type CliEnv, collect, connect, emit, emitList, outputOption } from './shared.js';

interface CreateOptions {
  description?: string;
  source?: string[];
  clusters?: string;
  namespace?: string[];
  kind?: string[];
  clusterKind?: string[];
  member?: string[];
}

const ROLES = new Set(['viewer', 'operator', 'admin']);

/** `--member <subject>=<role>`, e.g. `token:ci=operator`, `group:payments=admin`. */
export function parseMember(text: string): { subject: string; role: 'viewer' | 'operator' | 'admin' } {
  const at = text.lastIndexOf('=');
  const role = text.slice(at + 1);
  if (at <= 0 || !ROLES.has(role)) {
    throw usageError(
      `invalid --member "${text}": give <subject>=<viewer|operator|admin>, e.g. token:ci=operator`,
    );
  }
  return { subject: text.slice(0, at), role: role as 'viewer' | 'operator' | 'admin' };
}

export function registerProjectCommands(program: Command, env: CliEnv): void {
  const projects = program
    .command('projects')
    .alias('project')
    .description('projects: who may deploy what, from where, to which clusters, namespaces and kinds');

  projects
    .command('list')
    .alias('ls')
    .description('list the projects you hold a role in')
    .addOption(outputOption())
    .action(async (_options: unknown, cmd: Command) => {
      const items = await listProjects(await connect(cmd, env));
      emitList(cmd, env, items, 'projects', () => projectsTable(items, env.now()));
    });

  projects
    .command('get <name>')
    .description('show a project: its bounds and members')
    .addOption(outputOption())
    .action(async (name: string, _options: unknown, cmd: Command) => {
      const project = await getProject(await connect(cmd, env), name);
      emit(cmd, env, project, () => describeProject(project));
    });

  projects
    .command('create <name>')
    .description(
      'create a project (fleet admins); what is not listed is not allowed, except namespaced kinds (all)',
    )
    .option('--description <text>', 'what the project is for')
    .option(
      '--source <glob>',
      'a repository URL pattern its applications may use (repeatable; * alone: any)',
      collect,
    )
    .option('--clusters <selector>', 'the clusters its applications may target (default: every cluster)')
    .option('--namespace <glob>', 'a namespace its objects may live in (repeatable)', collect)
    .option('--kind <group/Kind>', 'a namespaced kind allowed (repeatable; default: every kind)', collect)
    .option(
      '--cluster-kind <group/Kind>',
      'a cluster-scoped kind allowed (repeatable; default: none)',
      collect,
    )
    .option('--member <subject=role>', 'a member and its role, e.g. token:ci=operator (repeatable)', collect)
    .addOption(outputOption())
    .action(async (name: string, options: CreateOptions, cmd: Command) => {
      const input: CreateProjectInput = { name };
      if (options.description !== undefined) input.description = options.description;
      if (options.source !== undefined) input.sourceRepos = options.source;
      if (options.clusters !== undefined) input.clusterSelector = options.clusters;
      if (options.namespace !== undefined) input.namespaces = options.namespace;
      if (options.kind !== undefined) input.kinds = options.kind;
      if (options.clusterKind !== undefined) input.clusterKinds = options.clusterKind;
      if (options.member !== undefined) input.members = options.member.map(parseMember);
      const project = await createProject(await connect(cmd, env), input);
      emit(cmd, env, project, () => `project/${project.name} created\n`);
    });

  projects
    .command('delete <name>')
    .description('delete a project (fleet admins); refused while an application belongs to it')
    .addOption(outputOption())
    .action(async (name: string, _options: unknown, cmd: Command) => {
      const project = await deleteProject(await connect(cmd, env), name);
      emit(cmd, env, project, () => `project/${project.name} deleted\n`);
    });
}
