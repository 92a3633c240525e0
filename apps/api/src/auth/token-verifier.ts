import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { loadOrCreateLocalSecret } from '@buf/config/local-secret';
import { OidcVerifier, verifyDevToken } from '@buf/auth';
import type { Actor } from '@buf/domain';

/**
 * Verifies bearer tokens: OIDC tokens against the issuer's JWKS when AUTH_ISSUER is configured,
 * otherwise (embedded default only) dev tokens signed with the local key.
 */
@Injectable()
export class TokenVerifier {
  private readonly verifyToken: (token: string) => Promise<Actor>;
  /** The identity provider's verifier (with AUTH_ISSUER), for the web app's sign-in. */
  readonly oidc: OidcVerifier | undefined;

  constructor(@Inject(AppConfigToken) config: AppConfig) {
    if (config.oidc) {
      const oidc = new OidcVerifier(config.oidc);
      this.oidc = oidc;
      this.verifyToken = (token) => oidc.verify(token);
    } else {
      if (config.nodeEnv === 'production') {
        throw new Error('Dev tokens are refused with NODE_ENV=production; configure AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL.');
      }
      const secret = loadOrCreateLocalSecret(config.devKeyFile);
      this.verifyToken = (token) => verifyDevToken(secret, token);
    }
  }

  verify(token: string): Promise<Actor> {
    return this.verifyToken(token);
  }
}
