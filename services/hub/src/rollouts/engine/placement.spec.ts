import { type FleetCluster } from './membership.js';
import { placementsFor } from './placement.js';

function cluster(name: string, labels: Record<string, string>, cordoned = false): FleetCluster {
  return { id: `id-${name}`, name, labels, cordoned, status: 'Ready' };
}

const fleet: FleetCluster[] = [
  cluster('prod-us', { env: 'prod', region: 'us' }),
  cluster('prod-eu', { env: 'prod', region: 'eu' }),
  cluster('prod-cordoned', { env: 'prod', region: 'eu' }, true),
  cluster('staging', { env: 'staging', region: 'eu' }),
  cluster('bare', {}),
];

describe('placementsFor', () => {
  it.each([
    [
      'an empty selector places every uncordoned cluster',
      '',
      ['id-bare', 'id-prod-eu', 'id-prod-us', 'id-staging'],
    ],
    ['equality', 'env=prod', ['id-prod-eu', 'id-prod-us']],
    ['several requirements all hold', 'env=prod,region=eu', ['id-prod-eu']],
    ['set membership', 'env in (prod, staging),region=eu', ['id-prod-eu', 'id-staging']],
    ['negation matches clusters without the key', '!env', ['id-bare']],
    ['inequality', 'env!=prod', ['id-bare', 'id-staging']],
    ['nothing matches', 'env=dev', []],
  ])('%s (%s)', (_, selector, expected) => {
    expect(placementsFor(selector, fleet)).toEqual(expected);
  });

  it('never places a cordoned cluster, even one the selector names alone', () => {
    expect(placementsFor('env=prod,region=eu', [fleet[2]!])).toEqual([]);
  });

  it('orders by name, then id, whatever the input order', () => {
    const twins = [
      { ...cluster('b', {}), id: 'id-2' },
      { ...cluster('b', {}), id: 'id-1' },
      cluster('a', {}),
    ];
    expect(placementsFor('', twins)).toEqual(['id-a', 'id-1', 'id-2']);
  });

  it('refuses a selector that does not parse', () => {
    expect(() => placementsFor('env in (prod', fleet)).toThrow();
  });
});
