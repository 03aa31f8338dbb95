import { describe, expect, it } from '@jest/globals';
import { type HubConfig } from '../config/hub-config.js';
import { hashSecret } from '../common/secrets.js';
import { ApiTokenCache } from './api-token-cache.js';
import { type ApiTokenEntity } from './api-token.entity.js';
import { type ApiTokensRepository } from './api-tokens.repository.js';
import { AuthService } from './auth.service.js';

const BOOTSTRAP = 'bootstrap-admin-token-0123456789abcdef-0123';
const OPERATOR_SECRET = 'fwa_operator-secret';
const BOUND_SECRET = 'fwa_bound-secret';
const EXPIRED_SECRET = 'fwa_expired-secret';
const REVOKED_SECRET = 'fwa_revoked-secret';
const NOW = new Date('2026-03-01T12:00:00.000Z');

function token(patch: Partial<ApiTokenEntity>): ApiTokenEntity {
  const base = {
    id: 'id-ci',
    name: 'ci',
    role: 'operator',
    project: null,
    revokedAt: null,
    lastUsedAt: null,
  };
  return { ...base, expiresAt: new Date(NOW.getTime() + 1000), ...patch } as ApiTokenEntity;
}

function service(
  bootstrapAdminToken: string | null = BOOTSTRAP,
  lastUsedAt: Date | null = null,
  cacheMs = 1000,
) {
  const clock = { at: NOW.getTime(), now: () => new Date(clock.at) };
  const lookups: string[] = [];
  const touched: string[] = [];
  const rows = new Map([
    [hashSecret(OPERATOR_SECRET), token({ lastUsedAt })],
    [hashSecret(EXPIRED_SECRET), token({ expiresAt: NOW })],
    [hashSecret(REVOKED_SECRET), token({ revokedAt: new Date(NOW.getTime() - 1000) })],
    [hashSecret(BOUND_SECRET), token({ id: 'id-pay', name: 'pay', project: 'payments' })],
  ]);
  const repository = {
    findByHash: (hash: string) => {
      lookups.push(hash);
      return Promise.resolve(rows.get(hash) ?? null);
    },
    touch: (id: string) => {
      touched.push(id);
      return Promise.resolve();
    },
  } as unknown as ApiTokensRepository;
  const config = {
    auth: { bootstrapAdminToken: bootstrapAdminToken ?? undefined },
    reads: { cacheMs },
  } as HubConfig;
  const cache = new ApiTokenCache(config, clock, repository);
  return {
    auth: new AuthService(config, repository, cache, clock, { list: () => Promise.resolve([]) }),
    cache,
    clock,
    rows,
    lookups,
    touched,
  };
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

  it('records a use at most once a minute', async () => {
    const fresh = service();
    await fresh.auth.authenticate(`Bearer ${OPERATOR_SECRET}`);
    expect(fresh.touched).toEqual(['id-ci']);
    const recent = service(BOOTSTRAP, new Date(NOW.getTime() - 30_000));
    await recent.auth.authenticate(`Bearer ${OPERATOR_SECRET}`);
    expect(recent.touched).toEqual([]);
  });

  it('looks a token up once per staleness bound, judging its expiry on every request', async () => {
    const { auth, lookups, clock, rows } = service();
    const row = rows.get(hashSecret(OPERATOR_SECRET))!;
    row.expiresAt = new Date(NOW.getTime() + 500);
    await auth.authenticate(`Bearer ${OPERATOR_SECRET}`);
    clock.at += 400;
    expect((await auth.authenticate(`Bearer ${OPERATOR_SECRET}`)).actor).toEqual({
      name: 'token:ci',
      role: 'operator',
    });
    expect(lookups).toHaveLength(1);
    clock.at += 100;
    expect(await auth.authenticate(`Bearer ${OPERATOR_SECRET}`)).toMatchObject({
      actor: undefined,
      problem: expect.stringContaining('expired'),
    });
    expect(lookups).toHaveLength(1);
  });

  it('looks the row up again once a revocation here is committed, and past the bound', async () => {
    const { auth, lookups, cache, clock, rows } = service();
    await auth.authenticate(`Bearer ${OPERATOR_SECRET}`);
    rows.set(hashSecret(OPERATOR_SECRET), token({ revokedAt: NOW }));
    cache.forgetAll();
    expect(await auth.authenticate(`Bearer ${OPERATOR_SECRET}`)).toMatchObject({
      actor: undefined,
      problem: expect.stringContaining('revoked'),
    });
    expect(lookups).toHaveLength(2);
    // Revoked on another replica: this one sees it once its row is older than the bound.
    rows.set(hashSecret(BOUND_SECRET), token({ id: 'id-pay', name: 'pay', project: 'payments' }));
    await auth.authenticate(`Bearer ${BOUND_SECRET}`);
    rows.set(hashSecret(BOUND_SECRET), token({ revokedAt: NOW }));
    clock.at += 1001;
    expect((await auth.authenticate(`Bearer ${BOUND_SECRET}`)).actor).toBeUndefined();
  });

  it('never keeps an unknown token: one created meanwhile works at once', async () => {
    const { auth, lookups, rows } = service();
    expect((await auth.authenticate('Bearer fwa_new')).actor).toBeUndefined();
    rows.set(hashSecret('fwa_new'), token({ id: 'id-new', name: 'new' }));
    expect((await auth.authenticate('Bearer fwa_new')).actor).toEqual({
      name: 'token:new',
      role: 'operator',
    });
    expect(lookups).toHaveLength(2);
  });

  it('records the use of a kept row once, not on every request', async () => {
    const { auth, touched, clock } = service();
    await auth.authenticate(`Bearer ${OPERATOR_SECRET}`);
    clock.at += 10;
    await auth.authenticate(`Bearer ${OPERATOR_SECRET}`);
    expect(touched).toEqual(['id-ci']);
  });

  it('looks up every request with the cache off (HUB_READ_CACHE_MS=0)', async () => {
    const { auth, lookups } = service(BOOTSTRAP, null, 0);
    await auth.authenticate(`Bearer ${OPERATOR_SECRET}`);
    await auth.authenticate(`Bearer ${OPERATOR_SECRET}`);
    expect(lookups).toHaveLength(2);
  });

  it.each([
    ['an expired API token', `Bearer ${EXPIRED_SECRET}`, 'expired at 2026-03-01T12:00:00.000Z'],
    ['a revoked API token', `Bearer ${REVOKED_SECRET}`, 'revoked at 2026-03-01T11:59:59.000Z'],
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
