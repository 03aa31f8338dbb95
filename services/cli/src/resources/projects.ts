import {
  type CreateProjectInput as ApiCreateProjectInput,
  FleetctlCreateProjectDocument,
  FleetctlDeleteProjectDocument,
  FleetctlProjectDocument,
  type FleetctlProjectFieldsFragment,
  FleetctlProjectsDocument,
} from '@fleetwave/api-client';
import { CliError, CLI_CODES } from '../errors.js';
import { type GraphqlClient } from '../graphql/client.js';

export type Project = FleetctlProjectFieldsFragment;
export type CreateProjectInput = ApiCreateProjectInput;

export async function listProjects(client: GraphqlClient): Promise<Project[]> {
  return (await client.request(FleetctlProjectsDocument, {})).projects;
}

export async function getProject(client: GraphqlClient, name: string): Promise<Project> {
  const { project } = await client.request(FleetctlProjectDocument, { name });
  if (project === null) throw new CliError(`project "${name}" not found`, CLI_CODES.notFound);
  return project;
}

export async function createProject(client: GraphqlClient, input: CreateProjectInput): Promise<Project> {
  return (await client.request(FleetctlCreateProjectDocument, { input })).createProject;
}

export async function deleteProject(client: GraphqlClient, name: string): Promise<Project> {
  return (await client.request(FleetctlDeleteProjectDocument, { name })).deleteProject;
}
