import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidTokenError } from '../../../../libs/auth/src';
import { errorBody } from '../errors/api-error';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { IS_PUBLIC } from './public.decorator';
import { TokenVerifier } from './token-verifier';

/** Every route needs `Authorization: Bearer <JWT>` unless marked @Public(); 401 otherwise. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest & { headers: Record<string, string | undefined> }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthorized('A bearer token is required (Authorization: Bearer <JWT>)');
    try {
      req.actor = await this.verifier.verify(match[1]);
      return true;
    } catch (err) {
      throw unauthorized(err instanceof InvalidTokenError ? err.message : 'The token is not valid');
    }
  }
}

function unauthorized(message: string): HttpException {
  return new HttpException(errorBody(HttpStatus.UNAUTHORIZED, message), HttpStatus.UNAUTHORIZED);
}
