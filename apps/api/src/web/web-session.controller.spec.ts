import type { Request, Response } from 'express';
import { OidcVerifier } from '@buf/auth';
import type { AppConfig, OidcConfig } from '@buf/config/config';
import type { SessionStore } from '@buf/persistence/session-store';
import type { TokenVerifier } from '../auth/token-verifier';
import { CaseException } from '../errors/api-error';
import { WebSessionController } from './web-session.controller';

const OIDC: OidcConfig = { issuer: 'https://login.example.dk/realms/kk', audience: 'buf-sagsflow', jwksUrl: 'https://login.example.dk/realms/kk/certs', groupsClaim: 'groups', roleMapping: {} };
const WEB_CLIENT = { clientId: 'buf-web', redirectUrl: 'https://sagsflow.buf.kk.dk/auth/callback' };

/** The controller as the API builds it, for a configuration; the session store must never be reached. */
function controller(config: Pick<AppConfig, 'nodeEnv' | 'oidc'>): WebSessionController {
  const sessions = { open: () => Promise.reject(new Error('no session may open')), find: () => Promise.resolve(undefined) } as unknown as SessionStore;
  const verifier = { oidc: config.oidc ? new OidcVerifier(config.oidc) : undefined } as unknown as TokenVerifier;
  return new WebSessionController({ ...config, areas: ['nord'] } as unknown as AppConfig, sessions, verifier);
}

const req = { cookies: {}, headers: { 'x-requested-with': 'buf-web' }, get: () => '127.0.0.1:3000', secure: false } as unknown as Request;
const res = { cookie: () => undefined } as unknown as Response;
const GITTE = { sub: 'gitte', name: 'Gitte Friis', roles: ['gdpr' as const] };

describe('the dev sign-in', () => {
  it.each([
    ['an identity provider configured (NODE_ENV=test)', { nodeEnv: 'test' as const, oidc: OIDC }],
    ['an identity provider and the web app as its client', { nodeEnv: 'development' as const, oidc: { ...OIDC, webClient: WEB_CLIENT } }],
    ['NODE_ENV=production', { nodeEnv: 'production' as const }],
  ])('given %s, when a developer signs in, then 404 and the session view offers no dev sign-in', async (_what, config) => {
    const web = controller(config);
    await expect(web.devSignIn(GITTE, req, res)).rejects.toBeInstanceOf(CaseException);
    await expect(web.devSignIn(GITTE, req, res)).rejects.toMatchObject({ status: 404 });
    const view = await web.session(req);
    expect(view.signIn.dev).toBe(false);
    expect(view.dev).toBeUndefined();
  });

  it('given the embedded default (no identity provider, not production), when the session is asked, then the dev sign-in is offered and the provider is not', async () => {
    const view = await controller({ nodeEnv: 'development' }).session(req);
    expect(view.signIn).toEqual({ dev: true, oidc: false });
  });

  it('given an identity provider with the web app as its client, when the session is asked, then the provider sign-in is offered; without the client, not', async () => {
    expect((await controller({ nodeEnv: 'production', oidc: { ...OIDC, webClient: WEB_CLIENT } }).session(req)).signIn).toEqual({ dev: false, oidc: true });
    expect((await controller({ nodeEnv: 'production', oidc: OIDC }).session(req)).signIn).toEqual({ dev: false, oidc: false });
  });
});
