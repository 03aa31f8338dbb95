import {
  DeletionPolicy,
  type FleetctlDeleteApplicationMutation,
  type CreateApplicationInput as ApiCreateApplicationInput,
  FleetctlApplicationDocument,
  type FleetctlApplicationFieldsFragment,
  FleetctlApplicationsDocument,
  FleetctlCreateApplicationDocument,
  FleetctlDeleteApplicationDocument,
  FleetctlSyncApplicationDocument,
  type FleetctlSyncApplicationMutation,
  FleetctlUnvetoRevisionDocument,
  FleetctlUpdateApplicationDocument,
  FleetctlVetoRevisionDocument,
  type UpdateApplicationInput,
  type FleetctlRevisionVetoFieldsFragment,
} from '@fleetwave/api-client';
import { CliError, CLI_CODES } from '../errors.js';
import { type GraphqlClient } from '../graphql/client.js';
import { readAllPages } from './paging.js';

export type Application = FleetctlApplicationFieldsFragment;
export type RevisionVeto = FleetctlRevisionVetoFieldsFragment;
export type SyncResult = FleetctlSyncApplicationMutation['syncApplication'];

/** Only what is given is sent (the hub fills in the defaults). */
export type CreateApplicationInput = ApiCreateApplicationInput;

/** As in the FleetctlApplications document. */
const APPLICATIONS_PAGE_SIZE = 100;

export async function listApplications(client: GraphqlClient): Promise<Application[]> {
  return readAllPages(
    async (after) => (await client.request(FleetctlApplicationsDocument, { after })).applications,
    APPLICATIONS_PAGE_SIZE,
  );
}

export async function getApplication(client: GraphqlClient, name: string): Promise<Application> {
  const { application } = await client.request(FleetctlApplicationDocument, { name });
  if (application === null) throw new CliError(`application "${name}" not found`, CLI_CODES.notFound);
  return application;
}

export async function createApplication(
  client: GraphqlClient,
  input: CreateApplicationInput,
): Promise<Application> {
  return (await client.request(FleetctlCreateApplicationDocument, { input })).createApplication;
}

/** Only what is given changes. */
export async function updateApplication(
  client: GraphqlClient,
  name: string,
  input: UpdateApplicationInput,
): Promise<Application> {
  return (await client.request(FleetctlUpdateApplicationDocument, { name, input })).updateApplication;
}

export type DeletedApplication = FleetctlDeleteApplicationMutation['deleteApplication'];

/** Deleting is explicit: the clusters get withdrawals (prune, or orphan to leave the objects). */
export async function deleteApplication(
  client: GraphqlClient,
  name: string,
  deletionPolicy: DeletionPolicy = DeletionPolicy.Prune,
): Promise<DeletedApplication> {
  return (await client.request(FleetctlDeleteApplicationDocument, { name, deletionPolicy }))
    .deleteApplication;
}

export async function syncApplication(client: GraphqlClient, name: string): Promise<SyncResult> {
  return (await client.request(FleetctlSyncApplicationDocument, { name })).syncApplication;
}

export async function vetoRevision(
  client: GraphqlClient,
  application: string,
  commit: string,
  reason: string,
): Promise<RevisionVeto> {
  return (await client.request(FleetctlVetoRevisionDocument, { application, commit, reason })).vetoRevision;
}

export async function unvetoRevision(
  client: GraphqlClient,
  application: string,
  commit: string,
): Promise<RevisionVeto> {
  return (await client.request(FleetctlUnvetoRevisionDocument, { application, commit })).unvetoRevision;
}
