import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { CookieOptions, Request, Response } from 'express';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { type Actor, CaseErrorCode, ROLES, ROLE_LABELS, type Role } from '@buf/domain';
import { SessionStore } from '@buf/persistence/session-store';
import { Public } from '../auth/public.decorator';
import { WEB_REQUEST_HEADER, WEB_REQUEST_HEADER_VALUE, WEB_SESSION_COOKIE, WEB_SESSION_MAX_MS, cookieOf, fromOwnPages } from '../auth/session-cookie';
import { TokenVerifier } from '../auth/token-verifier';
import { CaseException } from '../errors/api-error';
import { OidcSignIn, PENDING_SIGN_IN_MS, SignInRefused, decodePending, encodePending } from './oidc-sign-in';

/** The pending OIDC sign-in (state, nonce, PKCE verifier): HttpOnly, sent back only to the callback, for 10 minutes. */
const OIDC_PENDING_COOKIE = 'buf_oidc_pending';
const OIDC_CALLBACK_PATH = '/auth/callback';

/** The person and roles a developer signs in as (embedded default only). */
class DevSignIn {
  @IsString() @Length(1, 100) @Matches(/^[A-Za-z0-9._@-]+$/, { message: 'sub must be letters, digits, dot, underscore, @ or hyphen' })
  sub!: string;

  @IsString() @Length(1, 100)
  name!: string;

  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(ROLES.length) @IsIn(ROLES, { each: true, message: `each role must be one of ${ROLES.join(', ')}` })
  roles!: Role[];

  @IsOptional() @IsString() @Length(1, 100)
  unit?: string;

  @IsOptional() @IsString()
  area?: string;
}

/** What the web app learns at /auth/session: who is signed in, and how one signs in here. */
export interface WebSessionView {
  person: Actor | null;
  expiresAt?: string;
  signIn: { dev: boolean; oidc: boolean };
  /** For the dev sign-in form: the roles with their Danish labels, and the configured areas. */
  dev?: { roles: { role: Role; label: string }[]; areas: readonly string[] };
  /** For a signed-in person: the configured areas (the choices of every area field in the forms). */
  areas?: readonly string[];
  /** For a signed-in person who may read cases in the Temporal UI (a codec role): where a case's workflow is shown. */
  temporalUi?: { url: string; namespace: string };
}

/**
 * Signing in to the staff web app. The browser holds an opaque session id in an HttpOnly,
 * SameSite=Strict cookie (never a token where a script could read it); the server keeps the
 * session (SessionStore, purpose `web`) and ends it at sign-out or after a working day.
 *
 * With an identity provider and the web app registered as its client (AUTH_CLIENT_ID), a person
 * signs in there: `GET /auth/login` sends the browser to the provider (authorization code with
 * PKCE), `GET /auth/callback` takes it back, exchanges the code and opens the session (OidcSignIn).
 * Without an identity provider (the embedded default, never with NODE_ENV=production) a
 * developer signs in as any person with any roles (`POST /auth/dev`). Browser routes, not part
 * of the API: not in OpenAPI. Every state-changing route answers only the web app's own pages.
 */
@ApiExcludeController()
@Public()
@Controller('auth')
export class WebSessionController {
  private readonly logger = new Logger(WebSessionController.name);
  /** Undefined without an identity provider or without the web app registered as its client. */
  private readonly oidcSignIn: OidcSignIn | undefined;

  constructor(
    @Inject(AppConfigToken) private readonly config: AppConfig,
    private readonly sessions: SessionStore,
    verifier: TokenVerifier,
  ) {
    const client = config.oidc?.webClient;
    this.oidcSignIn = config.oidc && client && verifier.oidc ? new OidcSignIn(config.oidc, client, verifier.oidc, config.nodeEnv === 'production') : undefined;
  }

  @Get('session')
  async session(@Req() req: Request): Promise<WebSessionView> {
    const id = cookieOf(req, WEB_SESSION_COOKIE);
    const session = id ? await this.sessions.find(id, 'web') : undefined;
    return {
      person: session?.actor ?? null,
      ...(session ? { expiresAt: session.expiresAt.toISOString() } : {}),
      signIn: { dev: this.devSignInAllowed(), oidc: this.oidcSignIn !== undefined },
      ...(this.devSignInAllowed() ? { dev: { roles: ROLES.map((role) => ({ role, label: ROLE_LABELS[role] })), areas: this.config.areas } } : {}),
      ...(session ? this.forSignedIn(session.actor) : {}),
    };
  }

  /** What the forms and the case page need beyond the person: the areas, and the Temporal UI for codec roles only. */
  private forSignedIn(person: Actor): Pick<WebSessionView, 'areas' | 'temporalUi'> {
    const codecReader = person.roles.some((role) => this.config.codecRoles.includes(role));
    return {
      areas: this.config.areas,
      ...(codecReader ? { temporalUi: { url: this.config.temporalUiUrl, namespace: this.config.temporal.namespace } } : {}),
    };
  }

  @Post('dev')
  @HttpCode(HttpStatus.OK)
  async devSignIn(@Body() form: DevSignIn, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<WebSessionView> {
    if (!this.devSignInAllowed()) throw new CaseException(CaseErrorCode.NotFound, 'Dev sign-in exists only in the embedded default (no identity provider, not production)');
    this.requireOwnPages(req);
    if (form.area !== undefined && !this.config.areas.includes(form.area)) {
      throw new CaseException(CaseErrorCode.InvalidInput, `area must be one of ${this.config.areas.join(', ')}`, {
        fields: [{ field: 'area', message: `area must be one of ${this.config.areas.join(', ')}` }],
      });
    }
    const person: Actor = {
      sub: form.sub,
      name: form.name,
      roles: [...new Set(form.roles)],
      ...(form.unit !== undefined ? { unit: form.unit } : {}),
      ...(form.area !== undefined ? { area: form.area } : {}),
    };
    const expiresAt = new Date(Date.now() + WEB_SESSION_MAX_MS);
    await this.startSession(req, res, person, expiresAt);
    return { person, expiresAt: expiresAt.toISOString(), signIn: { dev: true, oidc: false } };
  }

  /** To the identity provider's sign-in; what the browser must bring back is kept in a short-lived HttpOnly cookie. */
  @Get('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const oidc = this.requireOidc();
    let begun: Awaited<ReturnType<OidcSignIn['begin']>>;
    try {
      begun = await oidc.begin();
    } catch (err) {
      return this.signInFailed(res, err);
    }
    // SameSite=Lax: the provider's redirect back is a top-level navigation from its site.
    res.cookie(OIDC_PENDING_COOKIE, encodePending(begun.pending), { ...this.cookieOptions(req), sameSite: 'lax', path: OIDC_CALLBACK_PATH, maxAge: PENDING_SIGN_IN_MS });
    res.setHeader('cache-control', 'no-store');
    res.redirect(HttpStatus.SEE_OTHER, begun.url);
  }

  /** Back from the identity provider: state, code exchange with the PKCE verifier, tokens verified, then the session. */
  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const oidc = this.requireOidc();
    const pending = decodePending(cookieOf(req, OIDC_PENDING_COOKIE));
    // One use: whatever comes of it, this browser's pending sign-in is over.
    res.clearCookie(OIDC_PENDING_COOKIE, { ...this.cookieOptions(req), sameSite: 'lax', path: OIDC_CALLBACK_PATH });
    res.setHeader('cache-control', 'no-store');
    try {
      const { actor, expiresAt } = await oidc.finish(pending, req.query as Record<string, unknown>, WEB_SESSION_MAX_MS);
      await this.startSession(req, res, actor, expiresAt);
    } catch (err) {
      return this.signInFailed(res, err);
    }
    res.redirect(HttpStatus.SEE_OTHER, '/');
  }

  @Post('sign-out')
  @HttpCode(HttpStatus.NO_CONTENT)
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    this.requireOwnPages(req);
    const id = cookieOf(req, WEB_SESSION_COOKIE);
    // Ended on the server: a copy of the cookie opens nothing any more.
    if (id) await this.sessions.end(id);
    res.clearCookie(WEB_SESSION_COOKIE, this.cookieOptions(req));
  }

  /** Opens the session and hands the browser its id (used by every way of signing in). */
  async startSession(req: Request, res: Response, person: Actor, expiresAt: Date): Promise<void> {
    const id = await this.sessions.open(person, expiresAt, 'web');
    res.cookie(WEB_SESSION_COOKIE, id, { ...this.cookieOptions(req), maxAge: expiresAt.getTime() - Date.now() });
    this.logger.log({ sub: person.sub, roles: person.roles }, 'web session started');
  }

  private requireOidc(): OidcSignIn {
    if (!this.oidcSignIn) throw new CaseException(CaseErrorCode.NotFound, 'Signing in with the identity provider needs AUTH_ISSUER and AUTH_CLIENT_ID');
    return this.oidcSignIn;
  }

  /** A refused sign-in: a page in Danish with the way back, the reason in the log (never a token). */
  private signInFailed(res: Response, err: unknown): void {
    if (!(err instanceof SignInRefused)) throw err;
    this.logger.warn(`web sign-in refused (${err.status}): ${err.message}`);
    const what = err.status === 503 ? 'Log-ind-tjenesten kunne ikke nås. Prøv igen om lidt.' : 'Log ind mislykkedes, eller linket var allerede brugt. Start forfra.';
    res.status(err.status).type('html').send(
      `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Log ind mislykkedes – BUF Sagsflow</title></head>` +
        `<body><main><h1>Log ind mislykkedes</h1><p>${what}</p><p><a href="/">Til forsiden</a></p></main></body></html>`,
    );
  }

  private devSignInAllowed(): boolean {
    return this.config.oidc === undefined && this.config.nodeEnv !== 'production';
  }

  /** Signing in or out only from the web app's pages (no login CSRF from another site). */
  private requireOwnPages(req: Request): void {
    if (!fromOwnPages(req, req.get('host'))) {
      throw new CaseException(CaseErrorCode.Forbidden, `Only the web app's own pages sign in and out (header ${WEB_REQUEST_HEADER}: ${WEB_REQUEST_HEADER_VALUE}, same origin)`);
    }
  }

  /** HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
  private cookieOptions(req: Request): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure || this.config.nodeEnv === 'production' };
  }
}
