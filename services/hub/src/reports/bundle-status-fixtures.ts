import { type BundleStatus } from '@fleetwave/contracts';

/** Test data shared by the reports feature's specs: a digest, and a healthy status to vary. */
export const DIGEST_1 = `sha256:${'1'.repeat(64)}`;
export const DIGEST_2 = `sha256:${'2'.repeat(64)}`;

/** A Healthy, ready status of `application` at {@link DIGEST_1}, with `fields` over it. */
export function healthyStatus(application: string, fields: Partial<BundleStatus> = {}): BundleStatus {
  return {
    application,
    digest: DIGEST_1,
    commit: 'c'.repeat(40),
    phase: 'Healthy',
    ready: 1,
    total: 1,
    failing: [],
    driftCorrections: 0,
    observedAt: '2026-12-03T10:00:00.000Z',
    ...fields,
  };
}
