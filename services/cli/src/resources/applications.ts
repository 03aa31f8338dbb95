import { CliError, CLI_CODES } from '../errors.js';
import { type GraphqlClient } from '../graphql/client.js';
import { type Connection, readAllPages } from './paging.js';

export interface Revision {
  commit: string;
  author: string;
  authorEmail: string;
  committedAt: string;
  message: string;
  error: string | null;
  fetchedAt: string;
}

export interface Application {
  id: string;
  name: string;
  repoUrl: string;
  credentialsRef: string | null;
  ref: string;
  path: string;
  targetSelector: string;
  valuesRules: { selector: string; values: Record<string, unknown> }[];
  plan: unknown;
  syncPolicy: string;
  pollIntervalSeconds: number;
  defaultNamespace: string | null;
  prune: boolean;
  latestCommit: string | null;
  latestRevision: Revision | null;
  lastSyncedAt: string | null;
  lastSyncError: string | null;
  createdAt: string;
  updatedAt: string;
}

const APPLICATION_FIELDS = `id name repoUrl credentialsRef ref path targetSelector valuesRules { selector values }
  plan syncPolicy pollIntervalSeconds defaultNamespace prune latestCommit lastSyncedAt lastSyncError
  createdAt updatedAt latestRevision { commit author authorEmail committedAt message error fetchedAt }`;

const LIST = `query Applications($first: Int, $after: String) {
  applications(first: $first, after: $after) {
    edges { node { ${APPLICATION_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const GET = `query Application($name: String!) { application(name: $name) { ${APPLICATION_FIELDS} } }`;
const CREATE = `mutation CreateApplication($input: CreateApplicationInput!) {
  createApplication(input: $input) { ${APPLICATION_FIELDS} }
}`;
const DELETE = `mutation DeleteApplication($name: String!) { deleteApplication(name: $name) { ${APPLICATION_FIELDS} } }`;
const SYNC = `mutation SyncApplication($name: String!) {
  syncApplication(name: $name) { commit rolloutId error application { ${APPLICATION_FIELDS} } }
}`;

/** CreateApplicationInput: only what is given is sent (the hub fills in the defaults). */
export interface CreateApplicationInput {
  name: string;
  repoUrl: string;
  ref: string;
  path?: string;
  targetSelector?: string;
  credentialsRef?: string;
  valuesRules?: { selector: string; values: unknown }[];
  plan?: unknown;
  syncPolicy?: 'auto' | 'manual';
  pollIntervalSeconds?: number;
  defaultNamespace?: string;
  prune?: boolean;
}

export interface SyncResult {
  commit: string | null;
  rolloutId: string | null;
  error: string | null;
  application: Application;
}

export async function listApplications(client: GraphqlClient): Promise<Application[]> {
  return readAllPages(
    async (after, first) =>
      (await client.request<{ applications: Connection<Application> }>(LIST, { first, after })).applications,
    100,
  );
}

export async function getApplication(client: GraphqlClient, name: string): Promise<Application> {
  const { application } = await client.request<{ application: Application | null }>(GET, { name });
  if (application === null) throw new CliError(`application "${name}" not found`, CLI_CODES.notFound);
  return application;
}

export async function createApplication(
  client: GraphqlClient,
  input: CreateApplicationInput,
): Promise<Application> {
  return (await client.request<{ createApplication: Application }>(CREATE, { input })).createApplication;
}

export async function deleteApplication(client: GraphqlClient, name: string): Promise<Application> {
  return (await client.request<{ deleteApplication: Application }>(DELETE, { name })).deleteApplication;
}

export async function syncApplication(client: GraphqlClient, name: string): Promise<SyncResult> {
  return (await client.request<{ syncApplication: SyncResult }>(SYNC, { name })).syncApplication;
}
