import { describe, expect, it } from '@jest/globals';
import { isReservedPath, routeDashboard } from './spa-routing.js';

const files = new Set(['index.html', 'favicon.svg', 'assets/index-3f2a.js', 'assets/index-9b1c.css']);

describe('routeDashboard', () => {
  it.each([
    ['/', { kind: 'index' }],
    ['/index.html', { kind: 'index' }],
    ['/rollouts/7d0c2f7e-2b8b-4a5e-9a53-1f6f4f0b7f10', { kind: 'index' }],
    ['/applications/web?tab=rollouts', { kind: 'index' }],
    ['/favicon.svg', { kind: 'file', file: 'favicon.svg', immutable: false }],
    ['/assets/index-3f2a.js', { kind: 'file', file: 'assets/index-3f2a.js', immutable: true }],
    ['/assets/index-3f2a.js?v=1', { kind: 'file', file: 'assets/index-3f2a.js', immutable: true }],
  ])('%s → %o', (url, expected) => {
    expect(routeDashboard(url, files)).toEqual(expected);
  });

  it.each([
    '/assets/index-old.js',
    '/assets/missing',
    '/robots.txt',
    '/../package.json',
    '/assets/../../secrets.json',
    '/%E0%A4%A',
    '/graphql',
    '/graphql/',
    '/agent/v1/unknown',
    '/agent',
    '/webhooks/git',
    '/healthz',
    '/readyz',
    '/metrics',
    '/metrics/x',
  ])('%s is not found', (url) => {
    expect(routeDashboard(url, files)).toEqual({ kind: 'notFound' });
  });

  it('does not take paths that only start like an API path', () => {
    expect(isReservedPath('/graphql-explained')).toBe(false);
    expect(isReservedPath('/agents')).toBe(false);
    expect(routeDashboard('/agents', files)).toEqual({ kind: 'index' });
  });
});
