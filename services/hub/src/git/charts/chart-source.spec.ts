import { describe, expect, it } from '@jest/globals';
import { chartRevisionId } from './chart-source.js';
import { challengeParams, ociLocation, tagVersion } from './oci-chart-registry.js';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const CHART = { name: 'web', version: '1.2.0', digest: `sha256:${'b'.repeat(64)}` };

describe('chartRevisionId', () => {
  it('is 40 hex, the same for the same commit and chart', () => {
    expect(chartRevisionId(COMMIT, CHART)).toMatch(/^[0-9a-f]{40}$/);
    expect(chartRevisionId(COMMIT, { ...CHART })).toBe(chartRevisionId(COMMIT, CHART));
  });

  it('differs for another chart version, digest or commit, and from the commit itself', () => {
    const id = chartRevisionId(COMMIT, CHART);
    expect(chartRevisionId(COMMIT, { ...CHART, version: '1.3.0' })).not.toBe(id);
    expect(chartRevisionId(COMMIT, { ...CHART, digest: `sha256:${'c'.repeat(64)}` })).not.toBe(id);
    expect(chartRevisionId('f'.repeat(40), CHART)).not.toBe(id);
    expect(id).not.toBe(COMMIT);
  });
});

describe('ociLocation', () => {
  it.each([
    ['oci://registry.acme.test/charts', 'web', 'https://registry.acme.test', 'charts/web'],
    ['oci://registry.acme.test:5000/a/b/', 'web', 'https://registry.acme.test:5000', 'a/b/web'],
    ['oci://registry.acme.test', 'web', 'https://registry.acme.test', 'web'],
    ['oci://127.0.0.1:5000/charts', 'web', 'http://127.0.0.1:5000', 'charts/web'],
    ['oci://localhost:5000/charts', 'web', 'http://localhost:5000', 'charts/web'],
  ])('%s + %s → %s/v2/%s', (reference, name, baseUrl, repository) => {
    expect(ociLocation(reference, name)).toEqual({ baseUrl, repository });
  });
});

describe('tagVersion', () => {
  it('reads build metadata helm wrote with _ as +', () => {
    expect(tagVersion('1.2.3_build.5')).toBe('1.2.3+build.5');
    expect(tagVersion('1.2.3')).toBe('1.2.3');
  });
});

describe('challengeParams', () => {
  it('reads a bearer challenge', () => {
    const params = challengeParams(
      'Bearer realm="https://auth.acme.test/token",service="registry.acme.test",scope="repository:charts/web:pull"',
    );
    expect(Object.fromEntries(params)).toEqual({
      realm: 'https://auth.acme.test/token',
      service: 'registry.acme.test',
      scope: 'repository:charts/web:pull',
    });
  });
});
