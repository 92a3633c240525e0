import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig, AppConfigToken } from '../../../../libs/config/src';
import { loadOrCreateDevSecret, verifyDevToken } from '../../../../libs/auth/src';
import type { Actor } from '../../../../libs/domain/src';

/** Verifies bearer tokens: the embedded default accepts dev tokens signed with the local key. */
@Injectable()
export class TokenVerifier {
  private readonly secret: Uint8Array;

  constructor(@Inject(AppConfigToken) config: AppConfig) {
    if (config.nodeEnv === 'production') {
      throw new Error('Dev tokens are refused with NODE_ENV=production; configure an identity provider.');
    }
    this.secret = loadOrCreateDevSecret(config.devKeyFile);
  }

  verify(token: string): Promise<Actor> {
    return verifyDevToken(this.secret, token);
  }
}
