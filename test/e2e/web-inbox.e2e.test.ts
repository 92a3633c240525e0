import type { Browser } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/browser';
import { breachReport } from '../support/data-breach-fixtures';
import { ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { expectAccessible, screenshot, signedInPage } from '../support/web-app';

// BROWSER_TESTS=off skips it (counted as skipped) where Chromium cannot be installed.
const describeInBrowser = process.env.BROWSER_TESTS === 'off' ? describe.skip : describe;

const GITTE = { sub: 'inbox-web-gitte', name: 'Gitte Friis', roles: ['gdpr'] };
const EVA = { sub: 'inbox-web-eva', name: 'Eva Nielsen', roles: ['employee'], unit: 'Skole Nord', area: 'nord' };

/** The Indbakke page at `/` as the GDPR function meets it in Chromium (a database of its own: these are all its cases). */
describeInBrowser('the web app: the inbox', () => {
  let service: ServiceUnderTest;
  let browser: Browser;

  beforeAll(async () => {
    if (!chromiumAvailable()) throw new Error(`No Chromium at ${CHROMIUM}: npm test installs Debian's chromium when run as root; otherwise install it, set CHROMIUM_PATH, or BROWSER_TESTS=off`);
    service = await ServiceUnderTest.start('web-inbox', { DATABASE_URL: await createIsolatedDatabase('web_inbox') });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it("given an employee's breach report, when the GDPR function opens the inbox, then it is at the top with Triage (Visiteret) expected, the filters narrow it, and the page is accessible", async () => {
    const eva = await service.as(EVA);
    // Discovered long ago (72 hours passed): the case is overdue, and the report of today below it.
    const old = service.expectStatus(await eva.start('data-breach', breachReport({ area: 'syd', discoveredAt: '2026-11-02T09:15:00Z' })), 201).body; // mandag 02.11.2026 kl. 10.15
    const fresh = service.expectStatus(await eva.start('data-breach', breachReport({ area: 'nord' })), 201).body;

    const { context, page } = await signedInPage(browser, service.baseUrl, GITTE);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Indbakke', level: 1 }).waitFor();
    const needsAction = page.getByRole('region', { name: 'Kræver handling' });
    const rows = needsAction.getByRole('row');
    await needsAction.getByRole('link', { name: fresh.caseNumber }).waitFor();
    await page.getByRole('row', { name: new RegExp(old.caseNumber) }).getByText('Overskredet').waitFor();
    // The header row, then the overdue case (its deadline passed first), then today's report.
    expect(await rows.count()).toBe(3);
    const top = rows.nth(1);
    expect(await top.getByRole('link').textContent()).toBe(old.caseNumber);
    expect(await top.textContent()).toContain('Visiteret');
    expect(await top.textContent()).toContain('Sikkerhedsbrud');
    expect(await top.textContent()).toContain('Anmeldt');
    expect(await top.textContent()).toContain('05.11.2026 kl. 10.15'); // torsdag 05.11.2026 kl. 10.15: 72 timer efter konstateringen
    expect(await top.textContent()).toContain('Overskredet');
    expect(await rows.nth(2).textContent()).toContain('Visiteret');
    expect(await rows.nth(2).textContent()).not.toContain('Overskredet');
    await expectAccessible(page, 'indbakke');
    await screenshot(page, 'web-indbakke');

    await page.getByLabel('Område').selectOption('nord');
    await needsAction.getByRole('link', { name: old.caseNumber }).waitFor({ state: 'detached' });
    expect(await needsAction.getByRole('link', { name: fresh.caseNumber }).count()).toBe(1);
    await page.getByLabel('Område').selectOption('');
    await page.getByLabel('Kun overskredne').check();
    await needsAction.getByRole('link', { name: fresh.caseNumber }).waitFor({ state: 'detached' });
    expect(await needsAction.getByRole('link', { name: old.caseNumber }).count()).toBe(1);
    await page.getByLabel('Proces').selectOption('whistleblower');
    await needsAction.getByText('Ingen sager, der kræver handling fra dig, passer til filtrene.').waitFor();
    await expectAccessible(page, 'indbakke, tom efter filtre');

    await page.getByLabel('Proces').selectOption('');
    await page.getByLabel('Kun overskredne').uncheck();
    await needsAction.getByRole('link', { name: fresh.caseNumber }).click();
    await page.waitForURL(`**/sager/${fresh.id}`);
    await context.close();
  });

  it('given the employee who reported, when she opens the inbox, then nothing needs her action and she follows both reports', async () => {
    const { context, page } = await signedInPage(browser, service.baseUrl, EVA);
    await page.goto('/');
    await page.getByText('Ingen sager kræver handling fra dig lige nu.').waitFor();
    const following = page.getByRole('region', { name: 'Sager du følger' });
    await following.getByRole('table').waitFor();
    expect(await following.getByRole('row').count()).toBe(3);
    expect(await following.getByText('Intet lige nu').count()).toBe(2);
    await expectAccessible(page, 'indbakke, medarbejder');
    await screenshot(page, 'web-indbakke-medarbejder');
    await context.close();
  });
});
