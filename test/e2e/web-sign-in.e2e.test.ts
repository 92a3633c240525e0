import type { Browser, BrowserContext } from 'playwright-core';
import { freePort } from '@buf/infra/local/processes';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/browser';
import { IdentityProviderStandIn, type ProviderPerson, productionEnv } from '../support/identity-provider';
import { ServiceUnderTest } from '../support/service';
import { WEB_HEADERS, expectAccessible, screenshot } from '../support/web-app';

// BROWSER_TESTS=off skips it (counted as skipped) where Chromium cannot be installed.
const describeInBrowser = process.env.BROWSER_TESTS === 'off' ? describe.skip : describe;

const KEY = Buffer.alloc(32, 12).toString('base64');
const CLIENT = { clientId: 'buf-sagsflow-web', secret: 'web-client-secret' };
const GITTE: ProviderPerson = { sub: 'u-3001', name: 'Gitte GDPR', groups: ['BUF-GDPR'] };

/**
 * Signing in to the staff web app with the municipality's identity provider (a real local HTTPS
 * stand-in), as a municipality runs the service: NODE_ENV=production, OIDC authorization code
 * with PKCE, the session kept by the server, no token in the browser.
 */
describeInBrowser('the web app: signing in with the identity provider', () => {
  let idp: IdentityProviderStandIn;
  let service: ServiceUnderTest;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    if (!chromiumAvailable()) throw new Error(`No Chromium at ${CHROMIUM}: npm test installs Debian's chromium when run as root; otherwise install it, set CHROMIUM_PATH, or BROWSER_TESTS=off`);
    idp = await IdentityProviderStandIn.start({ tls: true });
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    idp.registerClient({ ...CLIENT, redirectUri: `${baseUrl}/auth/callback` });
    service = await ServiceUnderTest.start('web-sign-in', {
      ...productionEnv(idp, { 'BUF-GDPR': 'gdpr', 'BUF-Medarbejdere': 'employee' }, { id: '2026-12', key: KEY }),
      PORT: String(port),
      AUTH_CLIENT_ID: CLIENT.clientId,
      AUTH_CLIENT_SECRET: CLIENT.secret,
      AUTH_REDIRECT_URL: `${baseUrl}/auth/callback`,
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await idp?.stop();
  });

  /** A person's own browser; it trusts the stand-in's self-signed certificate as a managed browser trusts the municipality's. */
  const newBrowser = () => browser.newContext({ baseURL: baseUrl, locale: 'da-DK', timezoneId: 'Europe/Copenhagen', ignoreHTTPSErrors: true });
  const sessionsOf = async (sub: string) => (await service.db.query(`SELECT expires_at FROM sessions WHERE purpose = 'web' AND actor->>'sub' = $1`, [sub])).rows as { expires_at: Date }[];
  const sessionCookie = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === 'buf_session');

  /**
   * Leaves for the provider and stops where it sends the browser back: the callback address with
   * its code and state, not yet visited (this context keeps its pending sign-in cookie).
   */
  async function callbackAddress(context: BrowserContext): Promise<URL> {
    const toProvider = await context.request.get('/auth/login', { maxRedirects: 0 });
    expect(toProvider.status()).toBe(303);
    const back = await context.request.get(toProvider.headers().location, { maxRedirects: 0 });
    expect(back.status()).toBe(302);
    return new URL(back.headers().location);
  }

  it('given the provider signs Gitte in, when she signs in from the web app, then the code flow ends on her inbox, the session is an HttpOnly cookie kept by the server until the token ends, and no token is in the page', async () => {
    idp.signInAs(GITTE);
    const context = await newBrowser();
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Log ind', exact: true }).waitFor();
    await expectAccessible(page, 'log ind (kommunal bruger)');
    await screenshot(page, 'web-log-ind-oidc');

    await page.getByRole('link', { name: 'Log ind' }).click();
    await page.getByRole('heading', { name: 'Indbakke', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByText(GITTE.name).count()).toBe(1);
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect((await context.cookies()).map((c) => c.name)).toEqual(['buf_session']);
    const stored = await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie');
    expect(stored).toBe('{}{}');
    // The provider's access token lives 5 minutes: so does the session.
    const [session] = await sessionsOf(GITTE.sub);
    expect(session.expires_at.getTime() - Date.now()).toBeLessThanOrEqual(300_000);
    expect(session.expires_at.getTime() - Date.now()).toBeGreaterThan(200_000);
    const who = await service.request('GET', '/auth/session', { headers: { cookie: `buf_session=${cookie?.value}` } });
    expect(who.body).toMatchObject({ person: { sub: GITTE.sub, name: GITTE.name, roles: ['gdpr'] }, signIn: { dev: false, oidc: true } });

    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.getByRole('heading', { name: 'Log ind', exact: true }).waitFor();
    // Ended on the server: the cookie's copy opens nothing any more.
    expect(await sessionsOf(GITTE.sub)).toEqual([]);
    const after = await service.request('GET', '/api/v1/inbox', { headers: { cookie: `buf_session=${cookie?.value}`, ...WEB_HEADERS } });
    expect(after.status).toBe(401);
    await context.close();
  });

  it('given an answer whose state is not this browser\'s sign-in, when it comes back, then it is refused before the code is used and no session opens', async () => {
    const person = { sub: 'u-3002', name: 'Eva Ansat', groups: ['BUF-Medarbejdere'] };
    idp.signInAs(person);
    const context = await newBrowser();
    const back = await callbackAddress(context);
    back.searchParams.set('state', 'not-the-state-of-this-sign-in');
    const refusals = idp.refusals.length;
    const answer = await context.request.get(`${back.pathname}${back.search}`, { maxRedirects: 0 });
    expect(answer.status()).toBe(400);
    expect(await answer.text()).toContain('Log ind mislykkedes');
    expect(idp.refusals.length).toBe(refusals); // the provider was never asked
    expect(await sessionCookie(context)).toBeUndefined();
    expect(await sessionsOf(person.sub)).toEqual([]);
    await context.close();
  });

  it('given a code that was already used, when it is brought back again in a new sign-in, then the provider refuses it and no session opens', async () => {
    const person = { sub: 'u-3003', name: 'Grete GDPR', groups: ['BUF-GDPR'] };
    idp.signInAs(person);
    const first = await newBrowser();
    const used = await callbackAddress(first);
    const signedIn = await first.request.get(`${used.pathname}${used.search}`, { maxRedirects: 0 });
    expect(signedIn.status()).toBe(303);
    expect(await sessionsOf(person.sub)).toHaveLength(1);

    // Someone who saw the address replays its code with a sign-in of their own (their state and verifier).
    const replayer = await newBrowser();
    const own = await callbackAddress(replayer);
    own.searchParams.set('code', used.searchParams.get('code') as string);
    const replay = await replayer.request.get(`${own.pathname}${own.search}`, { maxRedirects: 0 });
    expect(replay.status()).toBe(401);
    expect(idp.refusals.at(-1)).toBe('code already used');
    expect(await sessionCookie(replayer)).toBeUndefined();
    expect(await sessionsOf(person.sub)).toHaveLength(1);
    await Promise.all([first.close(), replayer.close()]);
  });

  it('given a code stolen from another browser, when it is brought back with this browser\'s own sign-in, then the PKCE verifier does not match and no session opens', async () => {
    const person = { sub: 'u-3004', name: 'Gorm GDPR', groups: ['BUF-GDPR'] };
    idp.signInAs(person);
    const victim = await newBrowser();
    const stolen = (await callbackAddress(victim)).searchParams.get('code') as string;
    const attacker = await newBrowser();
    const own = await callbackAddress(attacker);
    own.searchParams.set('code', stolen);
    const answer = await attacker.request.get(`${own.pathname}${own.search}`, { maxRedirects: 0 });
    expect(answer.status()).toBe(401);
    expect(idp.refusals.at(-1)).toBe('PKCE verification failed');
    expect(await sessionCookie(attacker)).toBeUndefined();
    expect(await sessionsOf(person.sub)).toEqual([]);
    await Promise.all([victim.close(), attacker.close()]);
  });

  it('given NODE_ENV=production with the identity provider, when the dev sign-in is tried, then 404 and the session view offers only the provider', async () => {
    const res = await service.request('POST', '/auth/dev', { headers: { ...WEB_HEADERS }, body: { sub: 'dev', name: 'Dev', roles: ['gdpr'] } });
    expect(res.status).toBe(404);
    expect(await sessionsOf('dev')).toEqual([]);
    expect((await service.request('GET', '/auth/session')).body).toEqual({ person: null, signIn: { dev: false, oidc: true } });
  });
});
