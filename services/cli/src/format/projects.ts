import { type Project } from '../resources/projects.js';
import { formatAge } from './age.js';
import { renderFields, renderTable } from './table.js';

const list = (items: readonly string[]) => (items.length === 0 ? '<none>' : items.join(', '));

/** Pure: NAME SOURCES CLUSTERS NAMESPACES MEMBERS AGE. */
export function projectsTable(projects: readonly Project[], now: Date): string {
  return renderTable(
    ['name', 'sources', 'clusters', 'namespaces', 'members', 'age'],
    projects.map((p) => [
      p.name,
      list(p.sourceRepos),
      p.clusterSelector === '' ? '<every cluster>' : p.clusterSelector,
      list(p.namespaces),
      String(p.members.length),
      formatAge(p.createdAt, now),
    ]),
  );
}

/** Pure: every bound and member of one project. */
export function describeProject(p: Project): string {
  return renderFields([
    ['Name', p.name],
    ['Description', p.description === '' ? undefined : p.description],
    ['Sources', list(p.sourceRepos)],
    ['Clusters', p.clusterSelector === '' ? '<every cluster>' : p.clusterSelector],
    ['Namespaces', list(p.namespaces)],
    ['Kinds', list(p.kinds)],
    ['Cluster kinds', list(p.clusterKinds)],
    [
      'Members',
      p.members.length === 0 ? '<none>' : p.members.map((m) => `${m.subject} (${m.role})`).join('\n'),
    ],
  ]);
}
