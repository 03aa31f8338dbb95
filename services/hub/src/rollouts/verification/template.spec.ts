import { describe, expect, it } from '@jest/globals';
import { urlProblems } from '../engine/verification/kind-fields.js';
import { clusterUrl, maskUrl, MissingLabel, promQuery, regexAlternation } from './template.js';

const cluster = { name: 'eu-1', labels: { region: 'eu', 'fleetwave.io/zone': 'a' } };

describe('clusterUrl', () => {
  it.each([
    ['https://${cluster.name}.svc.test/healthz', 'https://eu-1.svc.test/healthz'],
    ['https://api.${cluster.labels.region}.test/${cluster.name}', 'https://api.eu.test/eu-1'],
    ['http://x.test/${ cluster.labels.fleetwave.io/zone }', 'http://x.test/a'],
    ['http://x.test/$${literal}', 'http://x.test/${literal}'],
  ])('%s', (template, url) => {
    expect(clusterUrl(template, cluster)).toBe(url);
  });

  it('names a missing label', () => {
    expect(() => clusterUrl('http://${cluster.labels.tier}.test', cluster)).toThrow(MissingLabel);
    expect(() => clusterUrl('http://${cluster.labels.tier}.test', cluster)).toThrow(
      /cluster eu-1 has no label tier/,
    );
  });
});

describe('urlProblems', () => {
  it.each([
    ['https://${cluster.name}.test/healthz', []],
    ['http://${cluster.labels.region}.test:8080/x?y=1', []],
    [
      'https://${cluster.nme}.test',
      ['unknown placeholder ${cluster.nme} (use ${cluster.name} or ${cluster.labels.<key>})'],
    ],
    [
      'https://${wave.clusters}.test',
      ['unknown placeholder ${wave.clusters} (use ${cluster.name} or ${cluster.labels.<key>})'],
    ],
    ['https://${cluster.name.test', ['unterminated placeholder at position 9']],
    ['ftp://${cluster.name}.test', ['must be an http or https URL']],
    ['not a url', ['is not a valid URL']],
  ])('%s', (url, problems) => {
    expect(urlProblems(url)).toEqual(problems);
  });
});

describe('promQuery', () => {
  it('substitutes the wave and cohort names as escaped regex alternations', () => {
    expect(promQuery('up{cluster=~"${wave.clusters}"}', { wave: ['b', 'a.1'] })).toBe(
      'up{cluster=~"a\\\\.1|b"}',
    );
    expect(
      promQuery('x{c=~"${cohort.clusters}"} and y{c=~"${wave.clusters}"}', { wave: ['w'], cohort: ['u'] }),
    ).toBe('x{c=~"u"} and y{c=~"w"}');
    expect(regexAlternation([])).toBe('^$');
  });
});

describe('maskUrl', () => {
  it.each([
    ['https://user:secret@host.test/x', 'https://***@host.test/x'],
    ['https://token@host.test/', 'https://***@host.test/'],
    ['http://host.test/p?q=1', 'http://host.test/p?q=1'],
  ])('%s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });
});
