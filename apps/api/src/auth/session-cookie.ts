import { SetMetadata } from '@nestjs/common';

/**
 * The codec session: a Temporal UI without a login of its own (the dev server's) cannot send a
 * bearer token, so a person signs in once at /codec/session and the browser sends this cookie
 * with the UI's codec requests ("Include cross-origin credentials" in the UI's codec settings).
 * The cookie holds only an opaque session id; the server keeps the session (CodecSessionStore),
 * ends it at sign-out, and lets it last no longer than the token it was opened with nor 8 hours.
 * It is good for the codec routes only.
 */
export const CODEC_SESSION_COOKIE = 'buf_codec_session';
export const CODEC_SESSION_PATH = '/codec';
/** A session ends after a working day even when the token lives longer. */
export const CODEC_SESSION_MAX_MS = 8 * 3_600_000;

export const ACCEPTS_CODEC_SESSION = 'buf:acceptsCodecSession';

/** The route also accepts the codec session cookie (only from an origin in CORS_ORIGINS). */
export const AcceptsCodecSession = (): MethodDecorator & ClassDecorator => SetMetadata(ACCEPTS_CODEC_SESSION, true);
