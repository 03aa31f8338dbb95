import { Field, GraphQLISODateTime, InputType, ObjectType } from '@nestjs/graphql';
import { type Role } from '../../common/actor.js';
import { RoleEnum } from '../../graphql/role.enum.js';
import { type ProjectRecord } from '../project-rules.js';

const patternsNote = 'Globs: * any run of characters, ? one, {a,b} either.';
const kindsNote =
  'group/Kind patterns: apps/Deployment, Kind alone or /Kind for the core group, * for any kind of any group.';

@ObjectType('ProjectMember')
export class ProjectMemberModel {
  @Field(() => String, { description: 'token:<name> (an API token), user:<name> or group:<name> (OIDC).' })
  subject!: string;
  @Field(() => RoleEnum, { description: 'Its role within the project.' }) role!: Role;
}

@ObjectType('Project', {
  description:
    'A boundary for applications, as Argo CD AppProjects: members with roles, allowed source repositories, the clusters its applications may target, and the namespaces and kinds their objects may have.',
})
export class ProjectModel {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => [String], {
    description: `Repository URLs applications may name. ${patternsNote} * alone: any.`,
  })
  sourceRepos!: string[];
  @Field(() => String, {
    description:
      "A label selector: an application's targetSelector must only select clusters it selects ('' = every cluster).",
  })
  clusterSelector!: string;
  @Field(() => [String], { description: `Namespaces namespaced objects may live in. ${patternsNote}` })
  namespaces!: string[];
  @Field(() => [String], { description: `Kinds namespaced objects may have. ${kindsNote}` })
  kinds!: string[];
  @Field(() => [String], { description: `Cluster-scoped kinds allowed; none unless listed. ${kindsNote}` })
  clusterKinds!: string[];
  @Field(() => [ProjectMemberModel]) members!: ProjectMemberModel[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@InputType('ProjectMemberInput')
export class ProjectMemberInput {
  @Field(() => String) subject!: string;
  @Field(() => RoleEnum) role!: Role;
}

@InputType('CreateProjectInput')
export class CreateProjectInput {
  @Field(() => String, { description: 'DNS-1123 label, unique.' }) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true, description: 'Default none.' }) sourceRepos?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Default "" (every cluster).' })
  clusterSelector?: string | null;
  @Field(() => [String], { nullable: true, description: 'Default none.' }) namespaces?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Default ["*"] (every namespaced kind).' })
  kinds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Default none (cluster-scoped kinds denied).' })
  clusterKinds?: string[] | null;
  @Field(() => [ProjectMemberInput], { nullable: true, description: 'Default none.' })
  members?: ProjectMemberInput[] | null;
}

@InputType('UpdateProjectInput', { description: 'Only the fields given change; lists are replaced whole.' })
export class UpdateProjectInput {
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) sourceRepos?: string[] | null;
  @Field(() => String, { nullable: true }) clusterSelector?: string | null;
  @Field(() => [String], { nullable: true }) namespaces?: string[] | null;
  @Field(() => [String], { nullable: true }) kinds?: string[] | null;
  @Field(() => [String], { nullable: true }) clusterKinds?: string[] | null;
  @Field(() => [ProjectMemberInput], { nullable: true }) members?: ProjectMemberInput[] | null;
}

/** A GraphQL input as plain data for validation: fields left out or null are absent. */
export function projectInput(input: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    out[key] =
      key === 'members' && Array.isArray(value)
        ? value.map((m: ProjectMemberInput) => ({ subject: m.subject, role: m.role }))
        : value;
  }
  return out;
}

export function toProjectModel(project: ProjectRecord): ProjectModel {
  return {
    name: project.name,
    description: project.description,
    sourceRepos: project.sourceRepos,
    clusterSelector: project.clusterSelector,
    namespaces: project.namespaces,
    kinds: project.kinds,
    clusterKinds: project.clusterKinds,
    members: project.members.map((m) => ({ subject: m.subject, role: m.role })),
    createdAt: project.createdAt,
    updatedAt: project.updatedAt,
  };
}
