import type { Browser } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/browser';
import { breachReport } from '../support/data-breach-fixtures';
import { ServiceUnderTest } from '../support/service';
import { WEB_HEADERS, expectAccessible, screenshot, signedInPage } from '../support/web-app';

// BROWSER_TESTS=off skips it (counted as skipped) where Chromium cannot be installed.
const describeInBrowser = process.env.BROWSER_TESTS === 'off' ? describe.skip : describe;

const GITTE = { sub: 'web-gitte', name: 'Gitte Friis', roles: ['gdpr'] };

/**
 * The staff web app as a person meets it: served at `/` by the API, signed in with a session the
 * server keeps (an HttpOnly cookie, no token in the page), reading only what the API shows them.
 */
describeInBrowser('the web app: serving and signing in', () => {
  let service: ServiceUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumAvailable()) throw new Error(`No Chromium at ${CHROMIUM}: npm test installs Debian's chromium when run as root; otherwise install it, set CHROMIUM_PATH, or BROWSER_TESTS=off`);
    service = await ServiceUnderTest.start('web-app');
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  /** The dev sign-in as the page's own script calls it. */
  const devSignIn = (body: unknown, headers: Record<string, string> = { ...WEB_HEADERS }) =>
    fetch(`${service.baseUrl}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const cookieOf = (res: Response) => /buf_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];

  it('given the built service, when a page address is opened, then the web app answers (a bookmarked case too), and the API and docs keep their own answers', async () => {
    for (const page of ['/', '/sager', '/sager/data-breach-2026-0000001']) {
      const res = await fetch(`${service.baseUrl}${page}`);
      expect({ page, status: res.status, type: res.headers.get('content-type') }).toEqual({ page, status: 200, type: expect.stringContaining('text/html') });
      expect(await res.text()).toContain('<html lang="da">');
    }
    const api = await fetch(`${service.baseUrl}/api/v1/no-such-thing`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${service.baseUrl}/docs-json`)).headers.get('content-type')).toContain('application/json');
  });

  it('given the dev sign-in page, when a person is picked, then the case list shows, the session is an HttpOnly SameSite=Strict cookie and no token is kept in the page', async () => {
    const context = await browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
    const page = await context.newPage();
    await page.goto(`${service.baseUrl}/`);
    await page.getByRole('heading', { name: 'Log ind (udviklingsmiljø)' }).waitFor();
    await expectAccessible(page, 'log ind');
    await screenshot(page, 'web-log-ind');
    await page.getByLabel(/Gitte Friis/).check();
    await page.getByRole('button', { name: 'Log ind' }).click();
    await page.getByRole('heading', { name: 'Indbakke' }).waitFor();
    await page.getByRole('link', { name: 'Sager', exact: true }).click();
    await page.getByRole('heading', { name: 'Sager', exact: true }).waitFor();
    expect(await page.getByText('Gitte Friis').count()).toBe(1);
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'buf_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const stored = await page.evaluate('JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie');
    expect(stored).toBe('{}{}');
    await expectAccessible(page, 'sager');
    await screenshot(page, 'web-sager');

    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.getByRole('heading', { name: 'Log ind (udviklingsmiljø)' }).waitFor();
    await context.close();
  });

  it('given a signed-in person, when their cases are listed through the page, then they see the cases the API lets them read and no other', async () => {
    const gdpr = await service.as(GITTE);
    const employee = await service.as({ sub: 'web-eva', name: 'Eva Nielsen', roles: ['employee'] });
    const breach = await employee.start('data-breach', breachReport());
    expect(breach.status).toBe(201);
    const secretariat = await service.as({ sub: 'web-lise', name: 'Lise Lund', roles: ['ledelsessekretariat'] });
    const whistle = await secretariat.start('whistleblower', {
      brgReference: 'BRG-2026-777',
      subject: 'Indberetning om indkøb',
      summary: 'BRG beder om en udtalelse.',
      handlingUnit: 'Jura Nord',
      area: 'nord',
      receivedAt: new Date(Date.now() - 600_000).toISOString(),
      replyDeadline: new Date(Date.now() + 21 * 86_400_000).toISOString(),
    });
    expect(whistle.status).toBe(201);
    expect((await gdpr.get(`/cases/${breach.body.id}`)).status).toBe(200);
    expect((await gdpr.get(`/cases/${whistle.body.id}`)).status).toBe(404);

    const { context, page } = await signedInPage(browser, service.baseUrl, GITTE);
    await page.goto('/sager');
    const row = page.getByRole('row', { name: new RegExp(breach.body.caseNumber) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Sikkerhedsbrud');
    expect(await page.getByText(whistle.body.caseNumber).count()).toBe(0);
    await context.close();
  });

  it('given the session cookie, when it is used without the web app header, from another origin, or after sign-out, then 403, 403 and 401; with the header it reads', async () => {
    const signedIn = await devSignIn(GITTE);
    expect(signedIn.status).toBe(200);
    const id = cookieOf(signedIn);
    expect(id).toBeDefined();
    const get = (headers: Record<string, string>) => fetch(`${service.baseUrl}/api/v1/cases`, { headers: { cookie: `buf_session=${id}`, ...headers } });
    expect((await get({ ...WEB_HEADERS })).status).toBe(200);
    expect((await get({})).status).toBe(403);
    expect((await get({ ...WEB_HEADERS, origin: 'http://evil.example' })).status).toBe(403);
    expect((await get({ ...WEB_HEADERS, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // A web session is no codec session: the codec's sign-in page does not know it.
    const codecPage = await (await fetch(`${service.baseUrl}/codec/session`, { headers: { cookie: `buf_codec_session=${id}` } })).text();
    expect(codecPage).toContain('Log ind');
    expect(codecPage).not.toContain(GITTE.name);
    const { rows } = await service.db.query(`SELECT DISTINCT purpose FROM sessions WHERE actor->>'sub' = $1`, [GITTE.sub]);
    expect(rows).toEqual([{ purpose: 'web' }]);

    const out = await fetch(`${service.baseUrl}/auth/sign-out`, { method: 'POST', headers: { cookie: `buf_session=${id}`, ...WEB_HEADERS } });
    expect(out.status).toBe(204);
    expect((await get({ ...WEB_HEADERS })).status).toBe(401);
  });

  it('given a sign-in from another site or with bad fields, when posted, then 403 or 400 naming the fields, and no session starts', async () => {
    const crossSite = await devSignIn(GITTE, { ...WEB_HEADERS, origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(cookieOf(crossSite)).toBeUndefined();
    expect((await devSignIn(GITTE, {})).status).toBe(403);
    const bad = await devSignIn({ sub: 'a b', name: '', roles: ['king'], area: 'atlantis' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { details: { fields: { field: string }[] } };
    expect(body.details.fields.map((f) => f.field).sort()).toEqual(['name', 'roles', 'sub']);
    expect(cookieOf(bad)).toBeUndefined();
    const area = await devSignIn({ ...GITTE, area: 'atlantis' });
    expect(area.status).toBe(400);
    expect(((await area.json()) as { details: { fields: { field: string }[] } }).details.fields).toEqual([expect.objectContaining({ field: 'area' })]);
  });
});
