import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './current-actor.decorator';

/** Rate limits per identity (the token's subject), per address only before authentication. */
@Injectable()
export class IdentityThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: AuthenticatedRequest & { ip?: string }): Promise<string> {
    return req.actor ? `sub:${req.actor.sub}` : `ip:${req.ip ?? 'unknown'}`;
  }
}
