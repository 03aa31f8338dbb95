import {
  type CreateNotificationSubscriptionInput,
  FleetctlCreateNotificationSubscriptionDocument,
  FleetctlDeleteNotificationSubscriptionDocument,
  FleetctlNotificationDeliveriesDocument,
  type FleetctlNotificationDeliveryFieldsFragment,
  FleetctlNotificationSubscriptionDocument,
  type FleetctlNotificationSubscriptionFieldsFragment,
  FleetctlNotificationSubscriptionsDocument,
} from '@fleetwave/api-client';
import { CliError, CLI_CODES } from '../errors.js';
import { type GraphqlClient } from '../graphql/client.js';

/** What the hub shows of a subscription: never its secret or its URL's path. */
export type NotificationSubscription = FleetctlNotificationSubscriptionFieldsFragment;
export type NotificationDelivery = FleetctlNotificationDeliveryFieldsFragment;
export type CreateSubscriptionInput = CreateNotificationSubscriptionInput;

export async function listSubscriptions(client: GraphqlClient): Promise<NotificationSubscription[]> {
  return (await client.request(FleetctlNotificationSubscriptionsDocument, {})).notificationSubscriptions;
}

function notFound(id: string): CliError {
  return new CliError(`notification subscription "${id}" not found`, CLI_CODES.notFound);
}

export async function getSubscription(client: GraphqlClient, id: string): Promise<NotificationSubscription> {
  const found = (await client.request(FleetctlNotificationSubscriptionDocument, { id }))
    .notificationSubscription;
  if (found === null || found === undefined) throw notFound(id);
  return found;
}

/** A subscription's delivery log, newest first (at most `first`, 1 to 200). */
export async function listDeliveries(
  client: GraphqlClient,
  id: string,
  first: number,
): Promise<NotificationDelivery[]> {
  const found = (await client.request(FleetctlNotificationDeliveriesDocument, { id, first }))
    .notificationSubscription;
  if (found === null || found === undefined) throw notFound(id);
  return found.deliveries;
}

export async function createSubscription(
  client: GraphqlClient,
  input: CreateSubscriptionInput,
): Promise<NotificationSubscription> {
  return (await client.request(FleetctlCreateNotificationSubscriptionDocument, { input }))
    .createNotificationSubscription;
}

export async function deleteSubscription(
  client: GraphqlClient,
  id: string,
): Promise<NotificationSubscription> {
  return (await client.request(FleetctlDeleteNotificationSubscriptionDocument, { id }))
    .deleteNotificationSubscription;
}
