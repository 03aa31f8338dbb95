import { describe, expect, it } from '@jest/globals';
import { mergeProjectUpdate, parseCreateProject } from './project-input.js';

describe('parseCreateProject', () => {
  it('defaults are closed: no repository, namespace or cluster-scoped kind', () => {
    expect(parseCreateProject({ name: 'team-a' })).toEqual({
      name: 'team-a',
      spec: {
        description: '',
        sourceRepos: [],
        clusterSelector: '',
        namespaces: [],
        kinds: ['*'],
        clusterKinds: [],
        members: [],
      },
    });
  });

  it.each([
    [{ name: 'Team A' }, 'name'],
    [{ name: 'a', clusterSelector: 'env in (' }, 'clusterSelector: invalid selector'],
    [{ name: 'a', members: [{ subject: 'alice', role: 'viewer' }] }, 'members.0.subject'],
    [{ name: 'a', members: [{ subject: 'user:alice', role: 'owner' }] }, 'members.0.role'],
    [{ name: 'a', namespaces: [''] }, 'namespaces.0'],
    [{ name: 'a', unknown: true }, 'unknown'],
  ])('refuses %j naming %s', (input, field) => {
    expect(() => parseCreateProject(input)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(field) }),
    );
  });
});

describe('mergeProjectUpdate', () => {
  const current = parseCreateProject({ name: 'a', namespaces: ['a-*'] }).spec;

  it('changes only the fields given and says which', () => {
    const { spec, changed } = mergeProjectUpdate(current, {
      members: [{ subject: 'token:ci', role: 'operator' }],
    });
    expect(changed).toEqual(['members']);
    expect(spec).toEqual({ ...current, members: [{ subject: 'token:ci', role: 'operator' }] });
  });

  it('refuses a bad field', () => {
    expect(() => mergeProjectUpdate(current, { kinds: 'Deployment' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
