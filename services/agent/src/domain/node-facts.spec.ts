import { describe, expect, it } from '@jest/globals';
import { nodeFacts, providerOf, regionOf } from './node-facts.js';

describe('providerOf', () => {
  it.each([
    ['aws:///eu-west-1a/i-0abc123', 'aws'],
    ['gce://my-project/europe-west1-b/node-1', 'gcp'],
    ['azure:///subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm', 'azure'],
    ['kind://docker/kind/kind-control-plane', 'kind'],
    ['kwok://fake-node-1', 'kwok'],
    ['openstack:///5c6e1b0b', 'openstack'],
    ['AWS:///eu-west-1a/i-0abc', 'aws'],
    [undefined, undefined],
    ['', undefined],
    ['i-0abc123', undefined],
    ['://no-scheme', undefined],
    ['1aws://x', undefined],
    ['a b://x', undefined],
  ])('%j → %j', (providerID, provider) => {
    expect(providerOf(providerID)).toBe(provider);
  });
});

describe('regionOf', () => {
  it.each([
    [{ 'topology.kubernetes.io/region': 'eu-west-1' }, 'eu-west-1'],
    [{ 'failure-domain.beta.kubernetes.io/region': 'us-east-1' }, 'us-east-1'],
    [
      { 'topology.kubernetes.io/region': 'eu-west-1', 'failure-domain.beta.kubernetes.io/region': 'old' },
      'eu-west-1',
    ],
    [{ 'topology.kubernetes.io/region': '', 'failure-domain.beta.kubernetes.io/region': 'old' }, 'old'],
    [{ 'topology.kubernetes.io/zone': 'eu-west-1a' }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('%j → %j', (labels, region) => {
    expect(regionOf(labels)).toBe(region);
  });
});

describe('nodeFacts', () => {
  const eu = { 'topology.kubernetes.io/region': 'eu-west-1' };
  const us = { 'topology.kubernetes.io/region': 'us-east-1' };
  it.each([
    ['no nodes', [], [], { nodeCount: 0 }],
    ['one kind node', [{}], ['kind://docker/kind/kind-control-plane'], { nodeCount: 1, provider: 'kind' }],
    [
      'aws nodes in one region',
      [eu, eu, eu],
      ['aws:///eu-west-1a/i-1'],
      { nodeCount: 3, provider: 'aws', region: 'eu-west-1' },
    ],
    ['nodes without providerID or region', [{}, undefined], [undefined], { nodeCount: 2 }],
    ['most common region wins', [us, eu, us], [], { nodeCount: 3, region: 'us-east-1' }],
    ['a tie goes to the lexically first', [us, eu], [], { nodeCount: 2, region: 'eu-west-1' }],
    [
      'unlabelled nodes do not outvote labelled ones',
      [{}, {}, eu],
      [],
      { nodeCount: 3, region: 'eu-west-1' },
    ],
    [
      'most common provider wins',
      [{}, {}, {}],
      ['gce://p/z/a', 'aws:///z/i-1', 'gce://p/z/b'],
      { nodeCount: 3, provider: 'gcp' },
    ],
  ])('%s', (_name, labels, providerIDs, facts) => {
    expect(nodeFacts(labels, providerIDs)).toEqual(facts);
  });
});
