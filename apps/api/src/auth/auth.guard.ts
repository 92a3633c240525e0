import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { InvalidTokenError } from '@buf/auth';
import type { Actor } from '@buf/domain';
import { SessionStore } from '@buf/persistence/session-store';
import { errorBody } from '../errors/api-error';
import type { AuthenticatedRequest } from './current-actor.decorator';
import { IS_PUBLIC } from './public.decorator';
import { ACCEPTS_CODEC_SESSION, CODEC_SESSION_COOKIE, WEB_REQUEST_HEADER, WEB_REQUEST_HEADER_VALUE, WEB_SESSION_COOKIE, cookieOf, fromOwnPages } from './session-cookie';
import { TokenVerifier } from './token-verifier';

type HttpRequest = AuthenticatedRequest & { headers: Record<string, string | undefined>; cookies?: Record<string, string | undefined>; ip?: string; get(name: string): string | undefined };
type HttpResponse = { header(name: string, value: string): unknown };

const MINUTE_MS = 60_000;

/**
 * Every route needs `Authorization: Bearer <JWT>` unless marked @Public(); 401 otherwise.
 * Routes marked @AcceptsCodecSession() also take the codec session cookie instead; every route
 * takes the web app's session cookie from the web app's own pages (see WEB_SESSION_COOKIE). Refused
 * credentials are counted per client address: past AUTH_FAILURES_PER_MINUTE the address gets
 * 429 for the rest of the minute (a valid token still passes).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Inject(AppConfigToken) private readonly config: AppConfig,
    @Inject(ThrottlerStorage) private readonly failures: ThrottlerStorage,
    private readonly sessions: SessionStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<HttpRequest>();
    try {
      const token = bearerToken(req);
      const session = token === undefined && this.reflector.getAllAndOverride<boolean>(ACCEPTS_CODEC_SESSION, targets) ? await this.sessionActor(req) : undefined;
      if (session) {
        req.actor = session;
        return true;
      }
      const web = token === undefined ? await this.webSessionActor(req) : undefined;
      if (web) {
        req.actor = web;
        return true;
      }
      if (!token) throw unauthorized('A bearer token is required (Authorization: Bearer <JWT>)');
      req.actor = await this.verifier.verify(token);
      return true;
    } catch (err) {
      const refusal = err instanceof HttpException ? err : unauthorized(err instanceof InvalidTokenError ? err.message : 'The token is not valid');
      if (refusal.getStatus() === HttpStatus.UNAUTHORIZED) await this.countFailure(context, req);
      throw refusal;
    }
  }

  /** One more refused credential from this address; 429 once there have been too many this minute. */
  private async countFailure(context: ExecutionContext, req: HttpRequest): Promise<void> {
    const limit = this.config.authFailuresPerMinute;
    const record = await this.failures.increment(`auth-failure:${req.ip ?? 'unknown'}`, MINUTE_MS, limit, MINUTE_MS, 'auth-failures');
    if (!record.isBlocked) return;
    const retryAfter = Math.max(1, record.timeToBlockExpire);
    context.switchToHttp().getResponse<HttpResponse>().header('Retry-After', String(retryAfter));
    throw new HttpException(
      errorBody(HttpStatus.TOO_MANY_REQUESTS, `Too many refused credentials from this address; try again in ${retryAfter} seconds`),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  /** The person of the web app's session the cookie names, on a request from the web app's pages. */
  private async webSessionActor(req: HttpRequest): Promise<Actor | undefined> {
    const id = cookieOf(req, WEB_SESSION_COOKIE);
    if (!id) return undefined;
    if (!fromOwnPages(req, req.get('host'))) {
      throw new HttpException(
        errorBody(HttpStatus.FORBIDDEN, `The web session is accepted only from the web app's own pages (header ${WEB_REQUEST_HEADER}: ${WEB_REQUEST_HEADER_VALUE}, same origin)`),
        HttpStatus.FORBIDDEN,
      );
    }
    const session = await this.sessions.find(id, 'web');
    if (!session) throw unauthorized('The session has ended or was signed out; sign in again');
    return session.actor;
  }

  /** The person of the codec session the cookie names (kept by the server; see SessionStore). */
  private async sessionActor(req: HttpRequest): Promise<Actor | undefined> {
    const id = this.config.codecSessions ? cookieOf(req, CODEC_SESSION_COOKIE) : undefined;
    if (!id) return undefined;
    // The browser sends the cookie by itself: only the Temporal UI's origin may make use of it.
    const origin = req.headers.origin;
    if (!origin || !this.config.corsOrigins.includes(origin)) {
      throw new HttpException(errorBody(HttpStatus.FORBIDDEN, 'The codec session is accepted only from the Temporal UI (an origin in CORS_ORIGINS)'), HttpStatus.FORBIDDEN);
    }
    const session = await this.sessions.find(id, 'codec');
    if (!session) throw unauthorized('The codec session has ended or was signed out; sign in again at /codec/session');
    return session.actor;
  }
}

function bearerToken(req: HttpRequest): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('A bearer token is required (Authorization: Bearer <JWT>)');
  return match[1];
}

function unauthorized(message: string): HttpException {
  return new HttpException(errorBody(HttpStatus.UNAUTHORIZED, message), HttpStatus.UNAUTHORIZED);
}
