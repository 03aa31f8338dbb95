import { type CompiledHealthChecks } from '@fleetwave/contracts';
import { computeStatus, objectId, type KubeObject, type ResourceResult } from '../domain/index.js';
import type { KubeClients } from './clients.js';
import { mapLimit } from './concurrency.js';
import { describeError } from './errors.js';

export interface ReadStatusOptions {
  /** The clock for time-window rules (Pod scheduling); default now. */
  now?: Date;
  /** Reads in flight at once; default 8. */
  concurrency?: number;
  /** The application's custom health rules, ahead of the kstatus rules. */
  healthChecks?: CompiledHealthChecks;
  /**
   * By object id, copies already read (the apply's answers): judged first, and an object is read
   * again only when its copy is not Current — its status may have moved on since (a rollout).
   */
  observed?: ReadonlyMap<string, KubeObject>;
}

/**
 * The kstatus status of each object as it is live (domain `computeStatus`), in the order given:
 * `NotFound` when it does not exist, `Unknown` (with the error) when it cannot be read. An object
 * with a Current `observed` copy costs no request. The objects are the bundle's (after
 * `checkNamespaces`); only their identity is used.
 */
export async function readStatuses(
  clients: KubeClients,
  objects: readonly KubeObject[],
  options: ReadStatusOptions = {},
): Promise<ResourceResult[]> {
  const now = options.now ?? new Date();
  const judge = (live: KubeObject) => computeStatus(live, { now, healthChecks: options.healthChecks });
  return mapLimit(objects, options.concurrency ?? 8, async (obj): Promise<ResourceResult> => {
    const id = objectId(obj);
    const copy = options.observed?.get(id);
    if (copy !== undefined) {
      const status = judge(copy);
      if (status.status === 'Current') return { id, status };
    }
    let live: KubeObject | undefined;
    try {
      live = await clients.resources.get(obj);
    } catch (err) {
      return { id, status: { status: 'Unknown', reason: 'ReadFailed', message: describeError(err) } };
    }
    if (live === undefined) return { id, status: { status: 'NotFound', message: 'Resource not found' } };
    return { id, status: judge(live) };
  });
}
