import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import { decodeJson, IsoDateTimeSchema } from './common.js';

/**
 * Hub → hub replicas on `fleetwave.events.v1`: one message per state change (the audit trail and the
 * feed for GraphQL subscriptions on every replica). Unknown keys are ignored so replicas of different
 * versions can share the topic during a rolling upgrade.
 */

/** Default upper bound for {@link decodeHubEvent}, in bytes. */
export const HUB_EVENT_MAX_BYTES = 1024 * 1024;

export const HubEventTargetKindSchema = z.enum([
  'cluster',
  'registrationToken',
  'apiToken',
  'application',
  'rollout',
  /** A (cluster, application) pair: id `<clusterId>/<application name>`. */
  'placement',
  /** Fleet-wide settings (the freeze); the id is `fleet`. */
  'fleet',
  /** A notification subscription (notifications room). */
  'notificationSubscription',
  /** A project; the id is its name. */
  'project',
]);
export type HubEventTargetKind = z.infer<typeof HubEventTargetKindSchema>;

export const HubEventSchema = z.object({
  v: z.literal(1),
  /** Unique per event (a UUID in practice); consumers use it to drop duplicates. */
  id: z.string().min(1),
  occurredAt: IsoDateTimeSchema,
  /** Who did it, e.g. `user:alice`, `apiToken:ci`, `system`. */
  actor: z.string().min(1),
  /** `<targetKind>.<pastTenseVerb>`, e.g. `cluster.labelsChanged`. */
  action: z.string().min(1),
  target: z.object({
    kind: HubEventTargetKindSchema,
    id: z.string().min(1),
    name: z.string().optional(),
  }),
  /** The project the target belongs to (its applications, their rollouts and placements); absent outside projects. */
  project: z.string().optional(),
  /** State before / after the change, as JSON (absent for creations / deletions). Never secrets. */
  before: z.json().optional(),
  after: z.json().optional(),
});
export type HubEvent = z.infer<typeof HubEventSchema>;

/** Validates (throws a ZodError when invalid) and encodes an event as a message value. */
export function encodeHubEvent(event: HubEvent): Buffer {
  return Buffer.from(canonicalJson(HubEventSchema.parse(event)), 'utf8');
}

/** Decodes an event message value; undefined when it is empty, too large, not JSON or not an event. */
export function decodeHubEvent(
  value: Buffer | null | undefined,
  maxBytes: number = HUB_EVENT_MAX_BYTES,
): HubEvent | undefined {
  if (value === null || value === undefined || value.length > maxBytes) return undefined;
  return decodeJson(value, HubEventSchema);
}
