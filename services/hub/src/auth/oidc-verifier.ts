import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { type OidcConfig } from '../config/hub-config.js';

/** Asymmetric signatures only: a symmetric `alg` would let anyone holding the client id forge one. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const FETCH_TIMEOUT_MS = 5000;

export type VerifyOutcome = { claims: JWTPayload } | { claims: undefined; problem: string };

/**
 * Verifies ID tokens of the configured OpenID Provider with `jose`: the signature against the keys
 * its discovery document's `jwks_uri` publishes (fetched when first needed, refetched for an unknown
 * key id), then issuer, audience (one of the accepted client ids) and expiry by the hub clock.
 * Never throws for a bad token, and no problem it answers contains the token.
 */
export class OidcVerifier {
  private keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    private readonly config: Pick<OidcConfig, 'issuer' | 'audience'>,
    private readonly now: () => Date,
  ) {}

  async verify(token: string): Promise<VerifyOutcome> {
    let keys: ReturnType<typeof createRemoteJWKSet>;
    try {
      keys = await this.keySet();
    } catch (error) {
      return {
        claims: undefined,
        problem: `the SSO provider cannot be reached: ${(error as Error).message}`,
      };
    }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: ALGORITHMS,
        currentDate: this.now(),
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      return { claims: payload };
    } catch (error) {
      return { claims: undefined, problem: problemOf(error, this.config) };
    }
  }

  /** The provider's key set, its `jwks_uri` read from discovery once (retried while it fails). */
  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.keys) return this.keys;
    const url = `${this.config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      const reason = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message;
      throw new Error(`GET ${url}: ${reason}`, { cause: error });
    }
    if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
    const discovery = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (discovery.issuer !== this.config.issuer) {
      throw new Error(
        `its discovery document names issuer ${String(discovery.issuer)}, not ${this.config.issuer}`,
      );
    }
    if (typeof discovery.jwks_uri !== 'string' || !URL.canParse(discovery.jwks_uri)) {
      throw new Error('its discovery document has no jwks_uri');
    }
    this.keys = createRemoteJWKSet(new URL(discovery.jwks_uri), { timeoutDuration: FETCH_TIMEOUT_MS });
    return this.keys;
  }
}

/** Why a token was refused, in words that name the rule (never the token). */
export function problemOf(error: unknown, config: Pick<OidcConfig, 'issuer' | 'audience'>): string {
  if (error instanceof errors.JWTExpired) return 'the SSO token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return `the SSO token was not issued by ${config.issuer}`;
      case 'aud':
        return `the SSO token is not for this hub (audience must be one of ${config.audience.join(', ')})`;
      case 'nbf':
      case 'iat':
        return 'the SSO token is not valid yet';
      default:
        return `the SSO token's "${error.claim}" claim is ${error.reason === 'missing' ? 'missing' : 'not valid'}`;
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "the SSO token's signature does not verify";
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'the SSO token is signed with a key the provider does not publish';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "the SSO token's signature algorithm is not accepted";
  if (error instanceof errors.JWKSTimeout) return 'the SSO provider cannot be reached: its key set timed out';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return 'the SSO token is malformed';
  if (error instanceof errors.JOSEError) return `the SSO token is not valid (${error.code})`;
  return `the SSO provider cannot be reached: ${(error as Error).message}`;
}
