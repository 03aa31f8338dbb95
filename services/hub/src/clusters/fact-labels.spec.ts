import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../common/domain-error.js';
import { assertNoFactLabelKeys, factLabels, reservedLabelKeys, withFactLabels } from './fact-labels.js';

describe('factLabels', () => {
  it.each([
    ['no facts', {}, {}],
    [
      'every fact',
      { provider: 'aws', region: 'eu-west-1', kubernetesVersion: 'v1.34.2', nodeCount: 12 },
      {
        'fleetwave.io/provider': 'aws',
        'fleetwave.io/region': 'eu-west-1',
        'fleetwave.io/kubernetes-version': '1.34',
        'fleetwave.io/node-count': '12',
      },
    ],
    [
      'a vendor version',
      { kubernetesVersion: 'v1.31.5-gke.1023000' },
      { 'fleetwave.io/kubernetes-version': '1.31' },
    ],
    ['a version without v', { kubernetesVersion: '1.30' }, { 'fleetwave.io/kubernetes-version': '1.30' }],
    [
      'a version with a minor suffix',
      { kubernetesVersion: 'v1.29+' },
      { 'fleetwave.io/kubernetes-version': '1.29' },
    ],
    [
      'leading zeros dropped',
      { kubernetesVersion: 'v01.034.0' },
      { 'fleetwave.io/kubernetes-version': '1.34' },
    ],
    ['an unparseable version', { kubernetesVersion: 'unknown' }, {}],
    ['a major only', { kubernetesVersion: 'v1' }, {}],
    ['zero nodes', { nodeCount: 0 }, { 'fleetwave.io/node-count': '0' }],
    ['a region that is no label value', { region: 'eu west 1' }, {}],
    ['a provider that is too long', { provider: 'p'.repeat(64) }, {}],
    ['an empty region', { region: '' }, {}],
  ])('%s', (_name, facts, labels) => {
    expect(factLabels(facts)).toEqual(labels);
  });
});

describe('withFactLabels', () => {
  it.each([
    [
      'adds fact labels to operator labels',
      { env: 'prod' },
      { region: 'eu-west-1' },
      { env: 'prod', 'fleetwave.io/region': 'eu-west-1' },
    ],
    [
      'replaces every earlier fact label, dropping facts no longer reported',
      { env: 'prod', 'fleetwave.io/region': 'us-east-1', 'fleetwave.io/provider': 'aws' },
      { region: 'eu-west-1' },
      { env: 'prod', 'fleetwave.io/region': 'eu-west-1' },
    ],
    [
      'no facts clear the fact labels only',
      { env: 'prod', 'fleetwave.io/node-count': '3' },
      {},
      { env: 'prod' },
    ],
    [
      'keeps keys of other fleetwave domains',
      { 'example.fleetwave.io/team': 'a', 'fleetwave.io.example.com/x': 'b' },
      { nodeCount: 1 },
      { 'example.fleetwave.io/team': 'a', 'fleetwave.io.example.com/x': 'b', 'fleetwave.io/node-count': '1' },
    ],
  ])('%s', (_name, labels, facts, expected) => {
    expect(withFactLabels(labels, facts)).toEqual(expected);
  });
});

describe('reserved fact label keys', () => {
  it.each([
    [[], []],
    [['env', 'app.kubernetes.io/name'], []],
    [['fleetwave.io/region'], ['fleetwave.io/region']],
    [
      ['env', 'fleetwave.io/anything', 'fleetwave.io/node-count'],
      ['fleetwave.io/anything', 'fleetwave.io/node-count'],
    ],
    [['example.fleetwave.io/team', 'fleetwave.io'], []],
  ])('%j → %j', (keys, reserved) => {
    expect(reservedLabelKeys(keys)).toEqual(reserved);
  });

  it('refuses a reserved key with INVALID_ARGUMENT naming it and the reason', () => {
    let error: unknown;
    try {
      assertNoFactLabelKeys(['env', 'fleetwave.io/region'], 'defaultLabels');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message:
        'defaultLabels: "fleetwave.io/region": the "fleetwave.io/" prefix is reserved for facts the agent reports (read-only labels)',
    });
  });

  it('accepts keys outside the prefix', () => {
    expect(() => assertNoFactLabelKeys(['env', 'example.fleetwave.io/x'])).not.toThrow();
  });
});
