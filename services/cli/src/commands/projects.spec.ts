import { describe, expect, it } from '@jest/globals';
import { describeProject } from '../format/projects.js';
import { parseMember } from './projects.js';

describe('parseMember', () => {
  it.each([
    ['token:ci=operator', { subject: 'token:ci', role: 'operator' }],
    ['group:a=b=admin', { subject: 'group:a=b', role: 'admin' }],
  ])('%s', (text, expected) => {
    expect(parseMember(text)).toEqual(expected);
  });

  it.each(['token:ci', '=viewer', 'token:ci=owner'])('refuses %s', (text) => {
    expect(() => parseMember(text)).toThrow('invalid --member');
  });
});

describe('describeProject', () => {
  it('shows every bound and member, none as <none>', () => {
    const out = describeProject({
      name: 'payments',
      description: '',
      sourceRepos: ['https://git.example/pay/*'],
      clusterSelector: '',
      namespaces: ['pay-*'],
      kinds: ['*'],
      clusterKinds: [],
      members: [{ subject: 'token:ci', role: 'operator' }],
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    });
    expect(out).toContain('Clusters:       <every cluster>');
    expect(out).toContain('Cluster kinds:  <none>');
    expect(out).toContain('token:ci (operator)');
  });
});
