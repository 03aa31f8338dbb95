import { type GateCluster, type GateContext, OPEN_FLEET } from './types.js';

/** Test support: a gate context with nothing set, so each table row states only what it is about. */
export const T0 = new Date('2026-01-01T00:00:00Z');

export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

export function cluster(overrides: Partial<GateCluster> = {}): GateCluster {
  return {
    clusterId: 'c1',
    name: 'c1',
    phase: 'Pending',
    clusterStatus: 'Ready',
    clusterStatusSince: null,
    assignedAt: null,
    maintenance: null,
    labels: {},
    ...overrides,
  };
}

export function clusters(...phases: GateCluster['phase'][]): GateCluster[] {
  return phases.map((phase, i) => cluster({ clusterId: `c${i + 1}`, name: `c${i + 1}`, phase }));
}

export function context<S>(setting: S, overrides: Partial<GateContext<S>> = {}): GateContext<S> {
  return {
    now: T0,
    setting,
    waveName: 'canary',
    clusters: [cluster()],
    startedAt: null,
    healthyAt: null,
    approvedAt: null,
    resumedAt: null,
    autoRollback: false,
    inFlight: 0,
    windows: [],
    fleet: OPEN_FLEET,
    ...overrides,
  };
}

/** Runs a gate setting's parser the way validatePlan does: value and errors. */
export function parse<S>(
  parser: (raw: unknown, path: string, errors: string[]) => S,
  raw: unknown,
): { value: S; errors: string[] } {
  const errors: string[] = [];
  const value = parser(raw, 'waves[0]', errors);
  return { value, errors };
}
