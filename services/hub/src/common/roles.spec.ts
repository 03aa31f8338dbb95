import { describe, expect, it } from '@jest/globals';
import { type Role } from './actor.js';
import { requireRole } from './roles.js';

const as = (role: Role) => ({ actor: { name: `token:${role}`, role } });

describe('requireRole', () => {
  it.each<[Role, Role, boolean]>([
    ['viewer', 'viewer', true],
    ['viewer', 'operator', false],
    ['viewer', 'admin', false],
    ['operator', 'viewer', true],
    ['operator', 'operator', true],
    ['operator', 'admin', false],
    ['admin', 'viewer', true],
    ['admin', 'operator', true],
    ['admin', 'admin', true],
  ])('%s asking for %s: allowed=%s', (has, needs, allowed) => {
    if (allowed) {
      expect(requireRole(as(has), needs)).toEqual({ name: `token:${has}`, role: has });
    } else {
      expect(() => requireRole(as(has), needs)).toThrow(
        expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining(needs) }),
      );
    }
  });

  it('refuses a project-bound token every fleet-wide role, whatever its role in the project', () => {
    const bound = { actor: { name: 'token:pay', role: 'admin' as Role, project: 'payments' } };
    expect(() => requireRole(bound, 'viewer')).toThrow(
      expect.objectContaining({
        code: 'FORBIDDEN',
        message: expect.stringContaining('bound to project "payments"'),
      }),
    );
  });

  it('is UNAUTHENTICATED without an actor, with the reason the token was refused', () => {
    expect(() => requireRole({ actor: undefined, problem: 'the API token is not valid' }, 'viewer')).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED', message: 'the API token is not valid' }),
    );
    expect(() => requireRole(undefined, 'viewer')).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
  });
});
