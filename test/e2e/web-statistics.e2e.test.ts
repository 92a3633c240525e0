import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/browser';
import { breachReport } from '../support/data-breach-fixtures';
import { placeJournalTimes } from '../support/journal-times';
import { eventually } from '../support/polling';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';
import { expectAccessible, screenshot, signedInPage } from '../support/web-app';

// BROWSER_TESTS=off skips it (counted as skipped) where Chromium cannot be installed.
const describeInBrowser = process.env.BROWSER_TESTS === 'off' ? describe.skip : describe;

const DAY = 86_400_000;

/** Reads every report exactly: the secretariat, the GDPR function and the complaints unit in one person. */
const LISE = { sub: 'web-stat-lise', name: 'Lise Lund', roles: ['ledelsessekretariat', 'gdpr', 'klageenhed'] };
const EVA = { sub: 'web-stat-eva', name: 'Eva Nielsen', roles: ['employee'] };

/**
 * The Statistik page as a person with the statistics roles meets it: each section shows the
 * figures the API gives, in a table beside its chart, in Danish notation; a person without a
 * statistics role is told why there is nothing to see. A database of its own: exact counts.
 */
describeInBrowser('the web app: Statistik', () => {
  let service: ServiceUnderTest;
  let browser: Browser;
  let lise: Caller;
  let accessRequest: string;

  beforeAll(async () => {
    if (!chromiumAvailable()) throw new Error(`No Chromium at ${CHROMIUM}: npm test installs Debian's chromium when run as root; otherwise install it, set CHROMIUM_PATH, or BROWSER_TESTS=off`);
    service = await ServiceUnderTest.start('web-statistics', {
      DATABASE_URL: await createIsolatedDatabase('web-statistics'),
      COMPLAINT_BASELINE: JSON.stringify({ counts: { nord: 2, syd: 1 } }),
    });
    browser = await launchChromium();
    lise = await service.as(LISE);
    const eva = await service.as(EVA);

    // A breach discovered on 10.06.2025 kl. 12.00 (sommertid), triaged as an actual breach.
    const breach = service.expectStatus(await eva.start('data-breach', breachReport({ discoveredAt: '2025-06-10T10:00:00.000Z' })), 201).body.id;
    service.expectStatus(await lise.act(breach, 'triage', { outcome: 'breach', reason: 'Oplysninger videregivet' }), 200);
    // Two complaints in nord received 10 days ago.
    for (let i = 0; i < 2; i += 1) {
      const id = service.expectStatus(
        await lise.start('complaint', { channel: 'email', area: 'nord', unit: 'Skole Nord', unitType: 'school', subject: 'Forløbet med skolen', receivedAt: new Date(Date.now() - 10 * DAY).toISOString() }),
        201,
      ).body.id;
      service.expectStatus(await lise.act(id, 'classify', { category: 'case-handling' }), 200);
    }
    // One employee in training.
    service.expectStatus(
      await lise.start('mandatory-training', { employeeId: 'emp-web-1', course: 'it-security', staffGroup: 'administrative', unit: 'Skole Nord', area: 'nord', employedFrom: new Date(Date.now() - 2 * DAY).toISOString() }),
      201,
    );
    // An access request that stayed 1234.5 hours in 'received': 01.01.2026 kl. 01.00 to 21.02.2026 kl. 11.30 (CET).
    const jurist = await service.as({ sub: 'web-stat-jur', name: 'Jonas Jurist', roles: ['jurist'] });
    accessRequest = service.expectStatus(
      await jurist.start('access-request', { receivedAt: new Date(Date.now() - 3_600_000).toISOString(), requester: 'Karen Borger', requesterType: 'citizen', request: 'Referater', area: 'nord' }),
      201,
    ).body.id;
    service.expectStatus(await jurist.act(accessRequest, 'request-documents', { fromUnit: 'Område Nord' }), 200);
    await eventually('the request journalled', async () => (await service.journal(accessRequest)).length === 2);
    await placeJournalTimes(service.db, { [accessRequest]: ['2026-01-01T00:00:00Z', '2026-02-21T10:30:00Z'] }); // 51 days and 10.5 hours = 1234.5 hours
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  /** The cells of the table row whose header or first cell is `name`. */
  const rowCells = async (page: Page, name: string | RegExp) => {
    const row = page.getByRole('row', { name }).first();
    await row.waitFor();
    return (await row.locator('th, td').allTextContents()).map((t) => t.trim());
  };

  it('given a person with the statistics roles, when each section is opened, then its table shows the figures the API gives, in Danish notation, and the page is accessible', async () => {
    const { context, page } = await signedInPage(browser, service.baseUrl, LISE);
    await page.goto('/statistik');
    await page.getByRole('heading', { name: 'Sikkerhedsbrud pr. år' }).waitFor();

    // Sikkerhedsbrud: the 2021 memo's table, one row per year.
    const thisYear = new Date().getFullYear();
    const breaches = service.expectStatus(await lise.get(`/statistics/data-breaches?from=${thisYear - 4}-01-01`), 200).body;
    const y2025 = breaches.years.find((y: { year: number }) => y.year === 2025);
    expect(y2025).toMatchObject({ reported: 1, actual: 1, recategorised: 0, notified: 0 });
    expect(await rowCells(page, /^2025/)).toEqual(['2025', '1', '1', '0', '0', '0']);
    await expectAccessible(page, 'statistik: sikkerhedsbrud');
    await screenshot(page, 'web-statistik-sikkerhedsbrud');

    // Klager mod baseline.
    await page.getByRole('link', { name: 'Klager' }).click();
    await page.getByRole('heading', { name: 'Klager pr. område mod baseline' }).waitFor();
    expect(new URL(page.url()).search).toBe('?afsnit=klager');
    // nord: 2 complaints in the last 42 days against a baseline of 2: difference +0 reads 0, 100 %.
    expect(await rowCells(page, /^nord/)).toEqual(['nord', '2', '2', '0', '100 %', '2', '0']);
    expect(await rowCells(page, /^syd/)).toEqual(['syd', '0', '1', expect.stringMatching(/^[-−]1$/), '0 %', '0', '0']); // ICU may write the minus as U+2212
    await expectAccessible(page, 'statistik: klager');
    await screenshot(page, 'web-statistik-klager');

    // Obligatoriske kurser.
    await page.getByRole('link', { name: 'Obligatoriske kurser' }).click();
    await page.getByRole('heading', { name: 'Obligatoriske kurser pr. område og enhed' }).waitFor();
    const training = service.expectStatus(await lise.get('/statistics/training'), 200).body;
    expect(training.units).toEqual([{ area: 'nord', unit: 'Skole Nord', course: 'it-security', courseLabel: 'IT-sikkerhed og databeskyttelse', employees: 1, completedAndCurrent: 0, notYetDue: 1, overdue: 0 }]);
    expect(await rowCells(page, /Skole Nord/)).toEqual(['nord', 'Skole Nord', 'IT-sikkerhed og databeskyttelse', '1', '0', '1', '0', '0 %']);
    await expectAccessible(page, 'statistik: kurser');
    await screenshot(page, 'web-statistik-kurser');

    // Aktindsigt: one request received this year, not yet due.
    await page.getByRole('link', { name: 'Aktindsigt' }).click();
    await page.getByRole('heading', { name: 'Aktindsigt: afgjort til tiden' }).waitFor();
    expect(await rowCells(page, /^\d/)).toEqual(['1', '0', '0', '0', '–']);
    await expectAccessible(page, 'statistik: aktindsigt');
    await screenshot(page, 'web-statistik-aktindsigt');

    // Hvor venter sagerne: the 1234.5 hours, with a thousands point and a decimal comma.
    await page.getByRole('link', { name: 'Hvor venter sagerne' }).click();
    await page.getByRole('heading', { name: 'Hvor venter sagerne' }).waitFor();
    await page.getByLabel('Proces').selectOption({ label: 'Aktindsigt' });
    await page.getByLabel('Fra og med').fill('2026-01-01');
    await page.getByLabel('Til og med').fill('2026-12-31');
    const waiting = service.expectStatus(await lise.get('/statistics/waiting?process=access-request&from=2026-01-01&to=2026-12-31'), 200).body;
    expect(waiting.processes[0].steps[0]).toEqual({ step: 'received', area: 'nord', ended: { count: 1, medianHours: 1234.5, p90Hours: 1234.5 }, waitingNow: { count: 0, longestHours: null } });
    await page.getByRole('heading', { name: 'Aktindsigt', level: 3 }).waitFor();
    expect(await rowCells(page, /^Anmodning modtaget/)).toEqual(['Anmodning modtaget', 'nord', '1', '1.234,5 timer (51,4 dage)', '1.234,5 timer (51,4 dage)', '0', '–']);
    expect((await rowCells(page, /^Dokumenter indhentes/)).slice(0, 3)).toEqual(['Dokumenter indhentes', 'nord', '0']);
    await expectAccessible(page, 'statistik: ventetid');
    await screenshot(page, 'web-statistik-ventetid');

    // A period that ends before it begins: the field says so, linked to its input.
    await page.getByLabel('Fra og med').fill('2027-01-01');
    const from = page.getByLabel('Fra og med');
    await eventually('the error on "Fra og med"', async () => (await from.getAttribute('aria-invalid')) === 'true');
    const describedBy = await from.getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).textContent()).toContain('ikke ligger efter');
    await expectAccessible(page, 'statistik: ventetid med fejl');
    await context.close();
  });

  it('given a person without a statistics role, when the sections are opened, then a Danish explanation shows instead of figures', async () => {
    const { context, page } = await signedInPage(browser, service.baseUrl, EVA);
    await page.goto('/statistik');
    await page.getByText('Du har ikke adgang til statistikken om sikkerhedsbrud').waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByLabel('Fra og med').count()).toBe(0); // nothing to filter
    await page.getByRole('link', { name: 'Hvor venter sagerne' }).click();
    await page.getByText('Du har ikke adgang til statistikken om ventetider').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await expectAccessible(page, 'statistik uden adgang');
    await screenshot(page, 'web-statistik-uden-adgang');
    await context.close();
  });
});
