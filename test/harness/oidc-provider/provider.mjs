// A real, certified OpenID Provider (npm `oidc-provider`) for tests, run as its own process by
// test/harness/oidc-provider.ts. Its built-in development login and consent pages accept any login
// name; the users file says which groups each name is in. Configured by one JSON argument:
// { port, users: { <login>: { name, groups } }, dashboardRedirectUris: [...], keysFile }.
// Prints "ready <issuer>" once it listens.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.argv[2] ?? '{}');
const issuer = `http://127.0.0.1:${settings.port}`;
const keys = JSON.parse(readFileSync(settings.keysFile, 'utf8'));

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'fleetwave-dashboard',
      client_name: 'Fleetwave dashboard',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: settings.dashboardRedirectUris ?? [],
    },
    {
      client_id: 'fleetctl',
      client_name: 'fleetctl',
      // native: a loopback redirect with any port (RFC 8252 7.3), for `fleetctl login --pkce`.
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
    },
  ],
  jwks: keys,
  findAccount: async (_ctx, id) => {
    const user = settings.users?.[id];
    if (user === undefined) return undefined;
    return {
      accountId: id,
      claims: async () => ({ sub: id, name: user.name, preferred_username: id, groups: user.groups ?? [] }),
    };
  },
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'], groups: ['groups'] },
  scopes: ['openid', 'offline_access', 'profile', 'groups'],
  // The hub validates ID tokens (audience: the client id), so they carry the scopes' claims.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    revocation: { enabled: true },
  },
  pkce: { required: () => true },
  // Refresh tokens for public clients too, whenever offline_access is asked for.
  issueRefreshToken: async (_ctx, client, code) =>
    client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  ttl: {
    IdToken: settings.idTokenTtlSeconds ?? 3600,
    AccessToken: settings.idTokenTtlSeconds ?? 3600,
    DeviceCode: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
    RefreshToken: 86_400,
  },
  // A consent once given covers offline_access too (the dev consent page grants what is asked).
  loadExistingGrant: async (ctx) => {
    const grantId =
      ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
  },
});
provider.proxy = false;

const server = provider.listen(settings.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
