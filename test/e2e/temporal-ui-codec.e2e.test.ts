import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '@buf/infra/local/processes';
import { type RunningDevServer, startTemporalDevServer } from '@buf/infra/local/temporal-dev-server';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/browser';
import { PROJECT_ROOT } from '../support/paths';
import { type Caller, ServiceUnderTest } from '../support/service';

/** What the last run showed a person, to look at: .data/test-screenshots. */
const SCREENSHOTS = path.join(PROJECT_ROOT, '.data', 'test-screenshots');
const SUBJECT = 'Indkøb hos en leverandør ejet af Palle Nevø';

/**
 * The Temporal UI of the dev server, in real Chromium, as `npm start` runs it: the UI asks the
 * API's codec endpoint to decode; a person with a content role signs in at /codec/session and
 * reads the case; anybody else sees ciphertext.
 */
// BROWSER_TESTS=off skips it (counted as skipped) where Chromium cannot be installed.
const describeInBrowser = process.env.BROWSER_TESTS === 'off' ? describe.skip : describe;

describeInBrowser('reading case content in the Temporal UI', () => {
  let dev: RunningDevServer;
  let service: ServiceUnderTest;
  let browser: Browser;
  let uiBase: string;
  let caseId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!chromiumAvailable()) throw new Error(`No Chromium at ${CHROMIUM}: npm test installs Debian's chromium when run as root; otherwise install it, set CHROMIUM_PATH, or BROWSER_TESTS=off`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    uiBase = `http://127.0.0.1:${uiPort}`;
    dev = await startTemporalDevServer({ port: temporalPort, uiPort, namespace: 'default', codecEndpoint: `http://127.0.0.1:${apiPort}/codec` });
    service = await ServiceUnderTest.start('ui-codec', { PORT: String(apiPort), TEMPORAL_ADDRESS: dev.address, CORS_ORIGINS: uiBase });
    browser = await launchChromium();
    const secretariat = await service.as({ sub: 'ls-open', name: 'Lone Opretter', roles: ['ledelsessekretariat'] });
    const opened = await secretariat.start('whistleblower', {
      brgReference: 'BRG-2026-901',
      subject: SUBJECT,
      summary: 'BRG beder BUF om en udtalelse om indkøbet.',
      handlingUnit: 'Jura Nord',
      area: 'nord',
      receivedAt: new Date(Date.now() - 600_000).toISOString(),
      replyDeadline: new Date(Date.now() + 21 * 86_400_000).toISOString(),
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.id;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await service?.stop();
    await dev?.stop();
  });

  const isDecode = (url: string, method: string) => url.startsWith(`${service.baseUrl}/codec/decode`) && method === 'POST';

  /** A person's own browser: no cookies, no UI settings; records the codec's answers. */
  async function personsBrowser(): Promise<{ page: Page; codecAnswers: number[] }> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const codecAnswers: number[] = [];
    page.on('response', (r) => {
      if (isDecode(r.url(), r.request().method())) codecAnswers.push(r.status());
    });
    return { page, codecAnswers };
  }

  /** Pastes a token into the sign-in page, as the page asks; returns what the page answered. */
  async function signIn(page: Page, person: Caller): Promise<{ status: number; text: string }> {
    await page.goto(`${service.baseUrl}/codec/session`);
    await page.fill('#token', person.token);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${service.baseUrl}/codec/session` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Log ind' }).click(),
    ]);
    await page.waitForLoadState();
    return { status: answer.status(), text: await page.innerText('body') };
  }

  /** The UI's codec settings, as the sign-in page tells a person to set them (once per browser). */
  async function useCodecWithCredentials(page: Page): Promise<void> {
    await page.goto(`${uiBase}/namespaces/default/workflows`);
    await page.locator('[data-testid^="data-encoder-status"]').first().click();
    await page.getByText('Use my browser setting and ignore Cluster-level setting').click();
    await page.fill('#data-encoder-endpoint-input', `${service.baseUrl}/codec`);
    await page.getByText('Include cross-origin credentials').click();
    await page.getByRole('button', { name: 'Apply' }).click();
  }

  /**
   * Opens the case in the UI, waits for its answer from the codec and for what the UI then shows
   * (the decoded subject, or the UI's codec failure banner), and returns the page's text.
   */
  async function openCase(page: Page, expected: 'content' | 'no content'): Promise<string> {
    const decodeAsked = page.waitForResponse((r) => isDecode(r.url(), r.request().method()), { timeout: 30_000 });
    await page.goto(`${uiBase}/namespaces/default/workflows/${caseId}`);
    await decodeAsked;
    await page.getByText(expected === 'content' ? SUBJECT : 'Codec Server could not connect').filter({ visible: true }).first().waitFor({ timeout: 30_000 });
    return page.innerText('main');
  }

  it('given a secretariat member signed in at /codec/session, when they open a whistleblower case in the UI, then they read its content', async () => {
    const { page, codecAnswers } = await personsBrowser();
    const lise = await service.as({ sub: 'ls-ui', name: 'Lise Sekretariat', roles: ['ledelsessekretariat'] });
    const signedIn = await signIn(page, lise);
    expect(signedIn.status).toBe(303);
    expect(signedIn.text).toContain('Du er logget ind som Lise Sekretariat');
    await useCodecWithCredentials(page);

    const shown = await openCase(page, 'content');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ui-codec-secretariat.png'), fullPage: true });
    expect(shown).toContain(SUBJECT);
    expect(shown).toContain('BRG-2026-901');
    expect(codecAnswers).not.toContain(401);
    expect(codecAnswers).toContain(200);
  });

  it('given nobody signed in, when the case is opened in the UI with the same settings, then only ciphertext is shown and the codec answered 401', async () => {
    const { page, codecAnswers } = await personsBrowser();
    await useCodecWithCredentials(page);

    const shown = await openCase(page, 'no content');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'ui-codec-nobody.png'), fullPage: true });
    expect(shown).toContain(caseId); // the state of the case is visible to whoever has the UI
    expect(shown).not.toContain('Palle');
    expect(shown).not.toContain('BRG-2026-901');
    expect(shown).toContain('Codec Server could not connect');
    expect(codecAnswers.every((s) => s === 401)).toBe(true);
  });

  it('given an employee, when they try to sign in, then the page refuses them and the UI shows them no content', async () => {
    const { page, codecAnswers } = await personsBrowser();
    const employee = await service.as({ sub: 'emp-ui', name: 'Anders Ansat', roles: ['employee'] });
    const refused = await signIn(page, employee);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Din rolle giver ikke adgang til sagsindhold');
    expect(refused.text).toContain('Du er ikke logget ind');
    await useCodecWithCredentials(page);

    const shown = await openCase(page, 'no content');
    expect(shown).not.toContain('Palle');
    expect(codecAnswers.every((s) => s === 401)).toBe(true);
  });

  it('given a director who signs out, when the case is opened again, then the content is gone', async () => {
    const { page, codecAnswers } = await personsBrowser();
    const dorte = await service.as({ sub: 'dir-ui', name: 'Dorte Direktør', roles: ['direktion'] });
    expect((await signIn(page, dorte)).status).toBe(303);
    await useCodecWithCredentials(page);
    expect(await openCase(page, 'content')).toContain(SUBJECT);

    await page.goto(`${service.baseUrl}/codec/session`);
    await page.getByRole('button', { name: 'Log ud' }).click();
    await page.getByText('Du er ikke logget ind').waitFor();
    const shown = await openCase(page, 'no content');
    expect(shown).not.toContain('Palle');
    expect(codecAnswers.at(-1)).toBe(401);
  });
});
