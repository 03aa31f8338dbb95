import { assignWaves, type FleetCluster } from './membership.js';
import { validatePlan, type WavePlan } from './plan.js';

function plan(input: unknown): WavePlan {
  const result = validatePlan(input);
  if ('errors' in result) throw new Error(result.errors.join('; '));
  return result.plan;
}

function cluster(
  name: string,
  labels: Record<string, string>,
  extra: Partial<FleetCluster> = {},
): FleetCluster {
  return { id: `id-${name}`, name, labels, cordoned: false, status: 'Ready', ...extra };
}

const fleet: FleetCluster[] = [
  cluster('prod-us-2', { env: 'prod', region: 'us' }),
  cluster('prod-eu-1', { env: 'prod', region: 'eu' }),
  cluster('staging-eu', { env: 'staging', region: 'eu' }),
  cluster('canary', { env: 'staging', region: 'us', canary: 'true' }),
  cluster('prod-us-1', { env: 'prod', region: 'us' }, { cordoned: true }),
  cluster('dev', { env: 'dev' }),
  cluster('lab', { env: 'lab', ignore: 'yes' }),
];

const threeWaves = plan({
  waves: [
    { name: 'canary', selector: 'canary=true' },
    { name: 'staging', selector: 'env=staging' },
    { name: 'prod', selector: 'env=prod' },
  ],
});

describe('assignWaves', () => {
  it('places each cluster in the first matching wave, ordered by name, rest last', () => {
    const result = assignWaves(threeWaves, fleet, '!ignore');
    expect(result.waves.map((w) => [w.name, w.clusterNames])).toEqual([
      ['canary', ['canary']],
      ['staging', ['staging-eu']],
      ['prod', ['prod-eu-1', 'prod-us-2']],
      ['rest', ['dev']],
    ]);
    expect(result.waves[2]?.clusterIds).toEqual(['id-prod-eu-1', 'id-prod-us-2']);
  });

  it('lists cordoned clusters separately with the wave they would join', () => {
    expect(assignWaves(threeWaves, fleet, '').excluded).toEqual([
      { clusterId: 'id-prod-us-1', name: 'prod-us-1', wave: 'prod', reason: 'cordoned' },
    ]);
  });

  it('only takes targeted clusters', () => {
    const result = assignWaves(threeWaves, fleet, 'region=eu');
    expect(result.waves.flatMap((w) => w.clusterNames)).toEqual(['staging-eu', 'prod-eu-1']);
  });

  it('keeps empty waves so indices match the plan', () => {
    const result = assignWaves(threeWaves, fleet, 'env=dev');
    expect(result.waves.map((w) => w.clusterIds.length)).toEqual([0, 0, 0, 1]);
  });

  it('puts everything in rest for the default plan', () => {
    const result = assignWaves(plan({}), fleet, '');
    expect(result.waves).toHaveLength(1);
    expect(result.waves[0]?.clusterIds).toHaveLength(6);
  });

  it('is independent of input order', () => {
    const a = assignWaves(threeWaves, fleet, '');
    const b = assignWaves(threeWaves, [...fleet].reverse(), '');
    expect(b).toEqual(a);
  });

  it('accepts a parsed selector and rejects an invalid one', () => {
    expect(assignWaves(threeWaves, fleet, []).waves[3]?.clusterNames).toEqual(['dev', 'lab']);
    expect(() => assignWaves(threeWaves, fleet, 'env in (')).toThrow(/invalid selector/);
  });

  it('includes offline clusters (the offline policy applies at run time)', () => {
    const result = assignWaves(threeWaves, [cluster('x', { env: 'prod' }, { status: 'Offline' })], '');
    expect(result.waves[2]?.clusterIds).toEqual(['id-x']);
  });
});
