import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { OidcConfig } from '@buf/config/config';
import type { Actor, Role } from '@buf/domain';
import { InvalidTokenError } from './tokens';

/**
 * The token types taken as access tokens: a JWT (`typ` "JWT", or none, as most providers write
 * it) or an RFC 9068 access token ("at+jwt"). Any other type (a logout token, a signed request
 * object) is not a bearer token, even when the provider signed it.
 */
export const ACCEPTED_TOKEN_TYPES: readonly string[] = ['jwt', 'at+jwt', 'application/at+jwt'];

/** The token's `typ` header, if it names one this service does not take as an access token. */
export function refusedTokenType(token: string): string | undefined {
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    return undefined; // not a JWT at all: jwtVerify refuses it with its own reason
  }
  if (typ === undefined) return undefined;
  return typeof typ === 'string' && ACCEPTED_TOKEN_TYPES.includes(typ.toLowerCase()) ? undefined : String(typ);
}

/**
 * Verifies the identity provider's bearer tokens against its JWKS. Keys are cached; a token
 * signed with a key id not in the cache makes jose fetch the JWKS again (at most once per
 * cooldown), so the provider can rotate keys without a restart.
 */
export class OidcVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    private readonly oidc: OidcConfig,
    cache: { maxAgeMs?: number; cooldownMs?: number } = {},
  ) {
    this.jwks = createRemoteJWKSet(new URL(oidc.jwksUrl), {
      cacheMaxAge: cache.maxAgeMs ?? 10 * 60_000,
      cooldownDuration: cache.cooldownMs ?? 30_000,
      timeoutDuration: 5_000,
    });
  }

  /**
   * The ID token of a sign-in (OpenID Connect Core 3.1.3.7): signed by the provider's keys, from
   * its issuer, for this client, not expired, and carrying the nonce this sign-in sent. Returns
   * its subject.
   */
  async verifyIdToken(token: string, expected: { clientId: string; nonce: string }): Promise<{ sub: string }> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.oidc.issuer,
        audience: expected.clientId,
        algorithms: ['RS256', 'PS256', 'ES256'],
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      if (payload.nonce !== expected.nonce) throw new InvalidTokenError('The ID token was issued for another sign-in (nonce)');
      // With several audiences the token must name this client as the one it was issued to.
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId) throw new InvalidTokenError('The ID token was issued to another client (azp)');
      return { sub: payload.sub as string };
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      throw new InvalidTokenError('The ID token is not valid');
    }
  }

  async verify(token: string): Promise<Actor> {
    try {
      const typ = refusedTokenType(token);
      if (typ !== undefined) throw new InvalidTokenError(`A token of type ${typ} is not an access token`);
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.oidc.issuer,
        audience: this.oidc.audience,
        algorithms: ['RS256', 'PS256', 'ES256'],
        // A token without an expiry would be good for ever.
        requiredClaims: ['exp'],
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('The token has no subject');
      const groups = payload[this.oidc.groupsClaim];
      const roles = new Set<Role>();
      for (const group of Array.isArray(groups) ? groups : []) {
        // Own properties only: a group named "constructor" or "__proto__" maps to nothing.
        const role = typeof group === 'string' && Object.hasOwn(this.oidc.roleMapping, group) ? this.oidc.roleMapping[group] : undefined;
        if (role) roles.add(role);
      }
      const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
      const unit = text(payload.unit);
      const area = text(payload.area);
      return {
        sub: payload.sub,
        name: text(payload.name) ?? text(payload.preferred_username) ?? payload.sub,
        roles: [...roles],
        ...(unit ? { unit } : {}),
        ...(area ? { area } : {}),
      };
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('The token has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed) throw new InvalidTokenError(`The token's ${err.claim} claim is not accepted`);
      throw new InvalidTokenError('The token is not valid');
    }
  }
}
