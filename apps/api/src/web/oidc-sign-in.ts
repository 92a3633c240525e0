import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { OidcConfig, OidcWebClient } from '@buf/config/config';
import { InvalidTokenError, type OidcVerifier } from '@buf/auth';
import type { Actor } from '@buf/domain';

/** What one sign-in keeps between leaving for the provider and coming back (in a short-lived HttpOnly cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  /** The PKCE code verifier: only its S256 hash went to the provider. */
  verifier: string;
  /** When the sign-in began (ms); it must come back within PENDING_SIGN_IN_MS. */
  at: number;
}

/** How long a person has at the provider's sign-in page before the sign-in must start again. */
export const PENDING_SIGN_IN_MS = 10 * 60_000;

/** Why a sign-in coming back was refused: 400 (not this browser's sign-in), 401 (the provider or its tokens refused), 503 (provider unreachable). */
export class SignInRefused extends Error {
  constructor(
    readonly status: 400 | 401 | 503,
    message: string,
  ) {
    super(message);
  }
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
}

const random = () => randomBytes(32).toString('base64url');
const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The staff web app's sign-in with the municipality's identity provider: OpenID Connect
 * authorization code flow with PKCE (S256), as a confidential client when a secret is configured.
 * The provider's endpoints come from its discovery document; the access token is verified as every
 * bearer token is (OidcVerifier: issuer, audience, JWKS) and the ID token for this client and this
 * sign-in's nonce. No token is handed to the browser.
 */
export class OidcSignIn {
  private discovered?: { at: number; document: Promise<Discovery> };

  constructor(
    private readonly oidc: OidcConfig,
    private readonly client: OidcWebClient,
    private readonly verifier: OidcVerifier,
    private readonly production: boolean,
  ) {}

  /** Where to send the browser, and what to keep until it comes back. */
  async begin(): Promise<{ url: string; pending: PendingSignIn }> {
    const { authorization_endpoint } = await this.discovery();
    const pending: PendingSignIn = { state: random(), nonce: random(), verifier: random(), at: Date.now() };
    const url = new URL(authorization_endpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.client.clientId);
    url.searchParams.set('redirect_uri', this.client.redirectUrl);
    url.searchParams.set('scope', 'openid profile');
    url.searchParams.set('state', pending.state);
    url.searchParams.set('nonce', pending.nonce);
    url.searchParams.set('code_challenge', createHash('sha256').update(pending.verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    return { url: url.toString(), pending };
  }

  /**
   * The browser came back: the state must be this browser's pending sign-in's, the code is
   * exchanged with its verifier, and both tokens are verified. Returns the person (from the access
   * token, as the API reads every bearer token) and when the session ends: with the access token,
   * or after `maxMs`, whichever comes first.
   */
  async finish(pending: PendingSignIn | undefined, answer: Record<string, unknown>, maxMs: number): Promise<{ actor: Actor; expiresAt: Date }> {
    const text = (name: string) => (typeof answer[name] === 'string' ? (answer[name] as string) : undefined);
    if (!pending || Date.now() - pending.at > PENDING_SIGN_IN_MS) throw new SignInRefused(400, 'No sign-in of this browser is waiting (or it took too long); start again');
    const state = text('state');
    if (!state || !sameText(state, pending.state)) throw new SignInRefused(400, 'The answer does not belong to the sign-in of this browser (state)');
    const error = text('error');
    if (error) throw new SignInRefused(401, `The identity provider refused the sign-in: ${error.slice(0, 100)}`);
    const iss = text('iss');
    if (iss !== undefined && iss !== this.oidc.issuer) throw new SignInRefused(400, 'The answer comes from another issuer (iss)');
    const code = text('code');
    if (!code) throw new SignInRefused(400, 'The answer has no authorization code');

    const tokens = await this.exchange(code, pending.verifier);
    try {
      const actor = await this.verifier.verify(tokens.accessToken);
      const id = await this.verifier.verifyIdToken(tokens.idToken, { clientId: this.client.clientId, nonce: pending.nonce });
      if (id.sub !== actor.sub) throw new InvalidTokenError('The ID token and the access token name different people');
      const exp = decodeJwt(tokens.accessToken).exp;
      return { actor, expiresAt: new Date(Math.min(exp ? exp * 1000 : Infinity, Date.now() + maxMs)) };
    } catch (err) {
      throw new SignInRefused(401, err instanceof InvalidTokenError ? err.message : 'The tokens are not valid');
    }
  }

  /** The code for tokens at the token endpoint, with the PKCE verifier (and the client's secret, if it has one). */
  private async exchange(code: string, verifier: string): Promise<{ accessToken: string; idToken: string }> {
    const { token_endpoint } = await this.discovery();
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.client.redirectUrl, code_verifier: verifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.client.clientSecret !== undefined) {
      // client_secret_basic (RFC 6749 § 2.3.1): both parts form-encoded, then base64.
      const basic = `${encodeURIComponent(this.client.clientId)}:${encodeURIComponent(this.client.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    } else {
      form.set('client_id', this.client.clientId);
    }
    let res: Response;
    try {
      res = await fetch(token_endpoint, { method: 'POST', headers, body: form, redirect: 'error', signal: AbortSignal.timeout(10_000) });
    } catch {
      throw new SignInRefused(503, 'The identity provider could not be reached');
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      const reason = typeof body.error === 'string' ? body.error.slice(0, 100) : `HTTP ${res.status}`;
      throw new SignInRefused(res.status >= 500 ? 503 : 401, `The identity provider refused the code: ${reason}`);
    }
    if (typeof body.access_token !== 'string' || typeof body.id_token !== 'string') throw new SignInRefused(401, 'The identity provider answered without an access token and an ID token');
    return { accessToken: body.access_token, idToken: body.id_token };
  }

  /** `<AUTH_ISSUER>/.well-known/openid-configuration`, kept for an hour (a failed fetch is not kept). */
  private discovery(): Promise<Discovery> {
    if (this.discovered && Date.now() - this.discovered.at < 3_600_000) return this.discovered.document;
    const document = this.fetchDiscovery();
    this.discovered = { at: Date.now(), document };
    document.catch(() => (this.discovered = undefined));
    return document;
  }

  private async fetchDiscovery(): Promise<Discovery> {
    const url = `${this.oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let doc: Partial<Discovery>;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      doc = (await res.json()) as Partial<Discovery>;
    } catch {
      throw new SignInRefused(503, 'The identity provider could not be reached (discovery)');
    }
    // OpenID Connect Discovery § 4.3: the document's issuer is exactly the configured one.
    if (doc.issuer !== this.oidc.issuer) throw new SignInRefused(503, "The identity provider's discovery document names another issuer");
    for (const endpoint of [doc.authorization_endpoint, doc.token_endpoint]) {
      if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint) || (this.production && !endpoint.startsWith('https://'))) {
        throw new SignInRefused(503, "The identity provider's discovery document lacks an (https) authorization or token endpoint");
      }
    }
    return doc as Discovery;
  }
}

/** The pending sign-in as the cookie holds it. */
export function encodePending(pending: PendingSignIn): string {
  return Buffer.from(JSON.stringify(pending)).toString('base64url');
}

export function decodePending(value: string | undefined): PendingSignIn | undefined {
  if (!value) return undefined;
  try {
    const p = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<PendingSignIn>;
    return typeof p.state === 'string' && typeof p.nonce === 'string' && typeof p.verifier === 'string' && typeof p.at === 'number' ? (p as PendingSignIn) : undefined;
  } catch {
    return undefined;
  }
}
