import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { OidcConfig } from '@buf/config/config';
import type { Actor, Role } from '@buf/domain';
import { InvalidTokenError } from './tokens';

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

  async verify(token: string): Promise<Actor> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        issuer: this.oidc.issuer,
        audience: this.oidc.audience,
        algorithms: ['RS256', 'PS256', 'ES256'],
      });
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidTokenError('The token has no subject');
      const groups = payload[this.oidc.groupsClaim];
      const roles = new Set<Role>();
      for (const group of Array.isArray(groups) ? groups : []) {
        const role = typeof group === 'string' ? this.oidc.roleMapping[group] : undefined;
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
