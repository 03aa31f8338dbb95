import { describe, expect, it } from '@jest/globals';
import { type HubConfig } from '../config/hub-config.js';
import { hashSecret } from '../common/secrets.js';
import { type ApiTokenEntity } from './api-token.entity.js';
import { type ApiTokensRepository } from './api-tokens.repository.js';
import { AuthService } from './auth.service.js';

const BOOTSTRAP = 'bootstrap-admin-token-0123456789abcdef-0123';
const OPERATOR_SECRET = 'fwa_operator-secret';
const BOUND_SECRET = 'fwa_bound-secret';

function service(bootstrapAdminToken: string | null = BOOTSTRAP) {
  const lookups: string[] = [];
  const repository = {
    findActiveByHash: (hash: string) => {
      lookups.push(hash);
      return Promise.resolve(
        hash === hashSecret(OPERATOR_SECRET)
          ? ({ name: 'ci', role: 'operator', project: null } as ApiTokenEntity)
          : hash === hashSecret(BOUND_SECRET)
            ? ({ name: 'pay', role: 'operator', project: 'payments' } as ApiTokenEntity)
            : null,
      );
    },
  } as unknown as ApiTokensRepository;
  const config = { auth: { bootstrapAdminToken: bootstrapAdminToken ?? undefined } } as HubConfig;
  return { auth: new AuthService(config, repository), lookups };
}

describe('AuthService.authenticate', () => {
  it('knows the bootstrap admin token without a database lookup', async () => {
    const { auth, lookups } = service();
    expect(await auth.authenticate(`Bearer ${BOOTSTRAP}`)).toEqual({
      actor: { name: 'bootstrap-admin', role: 'admin' },
    });
    expect(lookups).toEqual([]);
  });

  it('resolves an active API token to token:<name> with its role, looked up by hash', async () => {
    const { auth, lookups } = service();
    expect(await auth.authenticate(`bearer ${OPERATOR_SECRET}`)).toEqual({
      actor: { name: 'token:ci', role: 'operator' },
    });
    expect(lookups).toEqual([hashSecret(OPERATOR_SECRET)]);
  });

  it('resolves a project-bound API token to an actor bound to its project', async () => {
    const { auth } = service();
    expect(await auth.authenticate(`Bearer ${BOUND_SECRET}`)).toEqual({
      actor: { name: 'token:pay', role: 'operator', project: 'payments' },
    });
  });

  it.each([
    ['no header', undefined, 'required'],
    ['an empty header', '', 'required'],
    ['another scheme', `Basic ${BOOTSTRAP}`, 'Bearer'],
    ['an unknown API token', 'Bearer fwa_unknown', 'not valid'],
    ['a token of another kind', 'Bearer fwc_cluster-credential', 'not valid'],
    ['a prefix of the bootstrap token', `Bearer ${BOOTSTRAP.slice(0, -1)}`, 'not valid'],
  ])('refuses %s with a reason', async (_case, header, reason) => {
    const state = await service().auth.authenticate(header);
    expect(state.actor).toBeUndefined();
    expect(state).toMatchObject({ problem: expect.stringContaining(reason) });
  });

  it('has no bootstrap admin when none is configured', async () => {
    const state = await service(null).auth.authenticate(`Bearer ${BOOTSTRAP}`);
    expect(state.actor).toBeUndefined();
  });
});
