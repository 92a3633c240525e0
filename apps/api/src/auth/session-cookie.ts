import { SetMetadata } from '@nestjs/common';

/**
 * The codec session: a Temporal UI without a login of its own (the dev server's) cannot send a
 * bearer token, so a person signs in once at /codec/session and the browser sends this cookie
 * with the UI's codec requests ("Include cross-origin credentials" in the UI's codec settings).
 * The cookie holds only an opaque session id; the server keeps the session (SessionStore),
 * ends it at sign-out, and lets it last no longer than the token it was opened with nor 8 hours.
 * It is good for the codec routes only.
 */
export const CODEC_SESSION_COOKIE = 'buf_codec_session';
export const CODEC_SESSION_PATH = '/codec';
/** A session ends after a working day even when the token lives longer. */
export const CODEC_SESSION_MAX_MS = 8 * 3_600_000;

/**
 * The staff web app's session (served at /): set at sign-in (/auth), HttpOnly, SameSite=Strict,
 * for the whole site. Requests that a session cookie authenticates must carry WEB_REQUEST_HEADER
 * (a page of another origin cannot add it without a CORS preflight, which the API does not allow
 * for it) and, when the browser names one, this service's own Origin.
 */
export const WEB_SESSION_COOKIE = 'buf_session';
export const WEB_REQUEST_HEADER = 'x-requested-with';
export const WEB_REQUEST_HEADER_VALUE = 'buf-web';
/** A web session ends after a working day even when the identity provider's token lives longer. */
export const WEB_SESSION_MAX_MS = CODEC_SESSION_MAX_MS;

/** A cookie of the request (cookie-parser reads them). */
export function cookieOf(req: { cookies?: unknown }, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

type BrowserRequest = { headers: Record<string, string | string[] | undefined> };

/** A request from the web app's pages: its header, sent from this site (sentFromThisSite). */
export function fromOwnPages(req: BrowserRequest, host: string | undefined): boolean {
  return req.headers[WEB_REQUEST_HEADER] === WEB_REQUEST_HEADER_VALUE && sentFromThisSite(req, host);
}

/**
 * Whether a browser sent the request from this service's own pages (no cross-site request
 * forgery): Sec-Fetch-Site and Origin, when the browser sends them, name this site. A client
 * without either (curl) is not a browser that another site could have misled.
 */
export function sentFromThisSite(req: BrowserRequest, host: string | undefined): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return typeof origin === 'string' && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export const ACCEPTS_CODEC_SESSION = 'buf:acceptsCodecSession';

/** The route also accepts the codec session cookie (only from an origin in CORS_ORIGINS). */
export const AcceptsCodecSession = (): MethodDecorator & ClassDecorator => SetMetadata(ACCEPTS_CODEC_SESSION, true);
