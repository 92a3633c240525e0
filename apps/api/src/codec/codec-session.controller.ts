import { Body, Controller, Get, HttpStatus, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { CookieOptions, Request, Response } from 'express';
import { decodeJwt } from 'jose';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { type Actor, CaseErrorCode, hasAnyRole } from '@buf/domain';
import { SessionStore } from '@buf/persistence/session-store';
import { Public } from '../auth/public.decorator';
import { CODEC_SESSION_COOKIE, CODEC_SESSION_MAX_MS, CODEC_SESSION_PATH, cookieOf, sentFromThisSite } from '../auth/session-cookie';
import { TokenVerifier } from '../auth/token-verifier';
import { CaseException } from '../errors/api-error';
import { renderSessionPage, type SessionPageView } from './session-page';

const sessionId = (req: Request): string | undefined => cookieOf(req, CODEC_SESSION_COOKIE);

class SessionForm {
  @IsOptional() @IsString() @MaxLength(16_384)
  token?: string;
}

/**
 * Signing in to the codec endpoint from a browser (CODEC_SESSIONS): a page where a person
 * with a content role pastes their token once; the codec endpoint then accepts the session
 * cookie from the Temporal UI. A browser page, not part of the API, so not in OpenAPI.
 */
@ApiExcludeController()
@Public()
@Controller('codec/session')
export class CodecSessionController {
  private readonly logger = new Logger(CodecSessionController.name);

  constructor(
    @Inject(AppConfigToken) private readonly config: AppConfig,
    private readonly verifier: TokenVerifier,
    private readonly sessions: SessionStore,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.requireSessions();
    const id = sessionId(req);
    const session = id ? await this.sessions.find(id, 'codec') : undefined;
    this.send(res, HttpStatus.OK, this.view(req, { ...(session ? { session: this.sessionView(session.actor, session.expiresAt) } : {}) }));
  }

  @Post()
  async signIn(@Body() form: SessionForm, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.requireSessions();
    if (!this.fromThisPage(req)) return this.send(res, HttpStatus.FORBIDDEN, this.view(req, { problem: 'Log ind fra denne side.' }));
    const token = form.token?.trim().replace(/^Bearer\s+/i, '') ?? '';
    if (!token) return this.send(res, HttpStatus.BAD_REQUEST, this.view(req, { problem: 'Indsæt et adgangstoken.' }));
    let actor: Actor;
    try {
      actor = await this.verifier.verify(token);
    } catch {
      return this.send(res, HttpStatus.UNAUTHORIZED, this.view(req, { problem: 'Adgangstokenet blev afvist: det er ugyldigt eller udløbet.' }));
    }
    if (!hasAnyRole(actor, this.config.codecRoles)) {
      this.logger.log({ sub: actor.sub, roles: actor.roles }, 'codec session refused: no content role');
      return this.send(res, HttpStatus.FORBIDDEN, this.view(req, {
        problem: `Din rolle giver ikke adgang til sagsindhold. Det kræver en af rollerne: ${this.config.codecRoles.join(', ')}.`,
      }));
    }
    // The session ends with the token or after a working day, whichever comes first; the server
    // keeps it, the browser holds only its id.
    const exp = decodeJwt(token).exp;
    const expiresAt = new Date(Math.min(exp ? exp * 1000 : Infinity, Date.now() + CODEC_SESSION_MAX_MS));
    const id = await this.sessions.open(actor, expiresAt, 'codec');
    res.cookie(CODEC_SESSION_COOKIE, id, { ...this.cookieOptions(req), maxAge: expiresAt.getTime() - Date.now() });
    this.logger.log({ sub: actor.sub, roles: actor.roles }, 'codec session started');
    res.redirect(HttpStatus.SEE_OTHER, `${CODEC_SESSION_PATH}/session`);
  }

  @Post('logout')
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.requireSessions();
    if (!this.fromThisPage(req)) return this.send(res, HttpStatus.FORBIDDEN, this.view(req, { problem: 'Log ud fra denne side.' }));
    const id = sessionId(req);
    // Ended on the server: a copy of the cookie opens nothing any more.
    if (id) await this.sessions.end(id);
    res.clearCookie(CODEC_SESSION_COOKIE, this.cookieOptions(req));
    res.redirect(HttpStatus.SEE_OTHER, `${CODEC_SESSION_PATH}/session`);
  }

  /**
   * A form posted from another site must not sign a person in or out (login CSRF). Browsers say
   * where a form came from (Sec-Fetch-Site, Origin; the page's Referrer-Policy lets them send
   * Origin); a client without either (curl) is not a browser that could be misled.
   */
  private fromThisPage(req: Request): boolean {
    return sentFromThisSite(req, req.get('host'));
  }

  private requireSessions(): void {
    if (!this.config.codecSessions) throw new CaseException(CaseErrorCode.NotFound, 'Codec sessions are off (CODEC_SESSIONS=off)');
  }

  private sessionView(actor: Actor, expiresAt: Date): NonNullable<SessionPageView['session']> {
    return { name: actor.name, roles: actor.roles, expiresAt, mayReadContent: hasAnyRole(actor, this.config.codecRoles) };
  }

  /** HttpOnly (no script reads it), SameSite=Strict (no other site sends it), only under /codec. */
  private cookieOptions(req: Request): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', path: CODEC_SESSION_PATH, secure: req.secure || this.config.nodeEnv === 'production' };
  }

  private view(req: Request, parts: Pick<SessionPageView, 'session' | 'problem'>): SessionPageView {
    return {
      ...parts,
      codecEndpoint: `${req.protocol}://${req.get('host') ?? `127.0.0.1:${this.config.port}`}${CODEC_SESSION_PATH}`,
      contentRoles: this.config.codecRoles,
      devTokenHint: !this.config.oidc,
    };
  }

  private send(res: Response, status: number, view: SessionPageView): void {
    // same-origin: the page's own form posts carry their Origin (helmet's no-referrer would send "null").
    res.status(status).type('html').setHeader('Cache-Control', 'no-store').setHeader('Referrer-Policy', 'same-origin').send(renderSessionPage(view));
  }
}
