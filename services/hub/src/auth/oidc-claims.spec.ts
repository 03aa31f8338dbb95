import { describe, expect, it } from '@jest/globals';
import { actorFromClaims, type ClaimMapping } from './oidc-claims.js';

const mapping: ClaimMapping = {
  usernameClaim: 'preferred_username',
  groupsClaim: 'groups',
  adminGroups: ['fleet-admins'],
  operatorGroups: ['sre'],
  viewerGroups: ['staff'],
};

describe('actorFromClaims', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    [
      'an admin group gives the fleet-wide admin role',
      { preferred_username: 'ann', groups: ['staff', 'fleet-admins'] },
      { name: 'user:ann', role: 'admin', groups: ['staff', 'fleet-admins'] },
    ],
    [
      'the greatest role of its groups',
      { preferred_username: 'bo', groups: ['staff', 'sre'] },
      { name: 'user:bo', role: 'operator', groups: ['staff', 'sre'] },
    ],
    [
      'a viewer group gives fleet-wide viewer',
      { preferred_username: 'cy', groups: ['staff'] },
      { name: 'user:cy', role: 'viewer', groups: ['staff'] },
    ],
    [
      'in no role group: project membership only',
      { preferred_username: 'di', groups: ['team-a'] },
      { name: 'user:di', role: 'viewer', groups: ['team-a'], membersOnly: true },
    ],
    [
      'no groups claim: no groups, membership only',
      { preferred_username: 'ed' },
      { name: 'user:ed', role: 'viewer', groups: [], membersOnly: true },
    ],
    [
      'a single group as a string',
      { preferred_username: 'fay', groups: 'sre' },
      { name: 'user:fay', role: 'operator', groups: ['sre'] },
    ],
  ])('%s', (_, claims, actor) => {
    expect(actorFromClaims(claims, mapping)).toEqual({ actor });
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'no username claim',
      { sub: 'x', groups: [] },
      'the SSO token has no "preferred_username" claim (a string)',
    ],
    [
      'an empty username',
      { preferred_username: ' ' },
      'the SSO token has no "preferred_username" claim (a string)',
    ],
    [
      'groups not a list of names',
      { preferred_username: 'gu', groups: [1, 2] },
      'the SSO token\'s "groups" claim must be a list of group names',
    ],
  ])('refuses %s', (_, claims, problem) => {
    expect(actorFromClaims(claims, mapping)).toEqual({ actor: undefined, problem });
  });

  it('reads the claims it is told to', () => {
    const custom = { ...mapping, usernameClaim: 'email', groupsClaim: 'roles' };
    expect(actorFromClaims({ email: 'h@example.org', roles: ['fleet-admins'] }, custom)).toEqual({
      actor: { name: 'user:h@example.org', role: 'admin', groups: ['fleet-admins'] },
    });
  });
});
