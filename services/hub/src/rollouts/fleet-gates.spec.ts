import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { type ClustersRepository } from '../clusters/clusters.repository.js';
import { type HubConfig } from '../config/hub-config.js';
import { type FleetService } from '../fleet/fleet.service.js';
import { FleetGates } from './fleet-gates.js';
import { type RolloutsRepository } from './rollouts.repository.js';

/** A fleet state whose freeze reads wait until released, counting the reads. */
function gatesWithHeldReads() {
  const releases: (() => void)[] = [];
  let reads = 0;
  const fleet = {
    freeze: () =>
      new Promise<null>((resolve) => {
        reads++;
        releases.push(() => resolve(null));
      }),
  } as unknown as FleetService;
  const config = {
    rollouts: { fleetMaxChanging: null, clusterMaxChangingApps: null },
  } as unknown as HubConfig;
  const gates = new FleetGates(
    config,
    fleet,
    {} as RolloutsRepository,
    {} as ClustersRepository,
    { now: () => new Date(0) },
    pino({ enabled: false }),
  );
  /** Lets the reads waiting now finish, and the microtasks after them run. */
  const release = async () => {
    for (const done of releases.splice(0)) done();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { gates, release, reads: () => reads };
}

describe('FleetGates.refresh: a burst of refreshes costs two reads at most', () => {
  it('runs one read at a time and one more after it for every call made meanwhile', async () => {
    const { gates, release, reads } = gatesWithHeldReads();
    const first = gates.refresh();
    const later = [gates.refresh(), gates.refresh(), gates.refresh()];
    expect(reads()).toBe(1);
    // The three calls made while the first read ran share one read, started after it.
    expect(new Set(later).size).toBe(1);
    await release();
    await first;
    expect(reads()).toBe(2);
    await release();
    await Promise.all(later);
    expect(reads()).toBe(2);
    // Idle again: the next call reads at once.
    const next = gates.refresh();
    expect(reads()).toBe(3);
    await release();
    await next;
  });
});
