import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TokenClaims } from '@buf/auth';
import { CHROMIUM, chromiumAvailable, launchChromium } from '../support/browser';
import { eventually } from '../support/polling';
import { ServiceUnderTest } from '../support/service';
import { expectAccessible, screenshot, signedInPage } from '../support/web-app';

// BROWSER_TESTS=off skips it (counted as skipped) where Chromium cannot be installed.
const describeInBrowser = process.env.BROWSER_TESTS === 'off' ? describe.skip : describe;

const HANDLING_UNIT = 'Område Nord – Dagtilbud';
const PEOPLE = {
  secretariat: { sub: 'wc-lene', name: 'Lene Sekretariat', roles: ['ledelsessekretariat'] },
  arcLead: { sub: 'wc-anders', name: 'Anders ARC-chef', roles: ['arc-lead'] },
  caseworker: { sub: 'wc-camilla', name: 'Camilla Sagsbehandler', roles: ['caseworker'], unit: HANDLING_UNIT },
  jurist: { sub: 'wc-julie', name: 'Julie Jurist', roles: ['jurist'] },
  employee: { sub: 'wc-erik', name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord', area: 'nord' },
  gdpr: { sub: 'wc-gitte', name: 'Gitte Friis', roles: ['gdpr'] },
} satisfies Record<string, TokenClaims>;

/** A configured Temporal UI address, so the test sees the link follow configuration (not the embedded default). */
const TEMPORAL_UI = 'http://temporal-ui.buf.test:8080';

/**
 * The case page and the new-case forms as the people who handle cases use them: every action
 * through a form generated from the definition, each person in their own browser.
 */
describeInBrowser('the web app: the case page and the new-case forms', () => {
  let service: ServiceUnderTest;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!chromiumAvailable()) throw new Error(`No Chromium at ${CHROMIUM}: npm test installs Debian's chromium when run as root; otherwise install it, set CHROMIUM_PATH, or BROWSER_TESTS=off`);
    service = await ServiceUnderTest.start('web-case', { TEMPORAL_UI_URL: TEMPORAL_UI });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await service?.stop();
  });

  async function browserOf(person: TokenClaims): Promise<Page> {
    const { context, page } = await signedInPage(browser, service.baseUrl, person);
    contexts.push(context);
    return page;
  }

  /** A date `days` from today in Copenhagen, as a `date` input holds it. */
  const dateIn = (days: number) => new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Copenhagen' });

  /**
   * The step the page marks as the case's current one: on the drawn diagram (bpmn-js marker
   * `step-current` on `step_<name>`) or on the list of steps (aria-current="step").
   */
  async function markedStep(page: Page): Promise<{ current: string; done: string[] }> {
    await page.locator('[aria-current="step"], .djs-element.step-current').first().waitFor();
    const marks = (await page.evaluate(`(() => {
      const list = document.querySelector('[aria-current="step"]');
      if (list) return { current: list.getAttribute('data-step'), done: [...document.querySelectorAll('[data-state="done"]')].map((e) => e.getAttribute('data-step')) };
      const id = (e) => e.getAttribute('data-element-id').replace(/^step_/, '');
      return { current: id(document.querySelector('.djs-element.step-current')), done: [...document.querySelectorAll('.djs-element.step-done')].map(id) };
    })()`)) as { current: string; done: string[] };
    // The diagram's ids replace every character outside [A-Za-z0-9_] with `_`.
    const norm = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
    return { current: norm(marks.current), done: marks.done.map(norm).sort() };
  }
  const ids = (...steps: string[]) => steps.map((s) => s.replace(/[^A-Za-z0-9_]/g, '_')).sort();

  /** Fills and sends the form of one action on the case page; waits for the page to say it is registered. */
  async function act(page: Page, action: string, fill: (form: ReturnType<Page['getByRole']>) => Promise<void>): Promise<void> {
    const form = page.getByRole('region', { name: action, exact: true });
    await fill(form);
    await form.getByRole('button', { name: action, exact: true }).click();
    await page.getByRole('status').filter({ hasText: `«${action}» er registreret` }).waitFor();
  }

  /** A whistleblower case opened through the API (the secretariat), for tests about the page rather than the start form. */
  async function whistleblowerCase(brgReference: string, more: Record<string, unknown> = {}): Promise<{ status: number; body: { id: string } }> {
    const opened = await (await service.as(PEOPLE.secretariat)).start('whistleblower', {
      ...more,
      brgReference,
      subject: 'Indberetning',
      summary: 'BRG beder om en udtalelse.',
      handlingUnit: HANDLING_UNIT,
      replyDeadline: new Date(Date.now() + 21 * 86_400_000).toISOString(),
    });
    expect(opened.status).toBe(201);
    return opened;
  }

  /**
   * Moves the keyboard focus with Tab (never the mouse) to the control whose accessible name
   * contains `name`; in a radio group (`radio`), Tab reaches the group and the arrow keys choose.
   */
  async function keyboardTo(page: Page, name: string, options: { radio?: boolean } = {}): Promise<void> {
    const focused = () =>
      page.evaluate(`(() => { const e = document.activeElement; if (!e || e === document.body) return ''; const l = e.labels && e.labels[0] ? e.labels[0].textContent : ''; return [e.getAttribute('aria-label') || l || e.textContent || '', e.getAttribute('type') || '', e.checked ? 'checked' : ''].join('|'); })()`) as Promise<string>;
    for (let i = 0; i < 60; i += 1) {
      await page.keyboard.press('Tab');
      const [label, type] = (await focused()).split('|');
      if (options.radio && type === 'radio') {
        for (let j = 0; j < 20 && !(await focused()).startsWith(name); j += 1) await page.keyboard.press('ArrowDown');
        if ((await focused()).startsWith(name) && !(await focused()).endsWith('|checked')) await page.keyboard.press('Space');
        const [chosen, , checked] = (await focused()).split('|');
        if (!chosen.startsWith(name) || checked !== 'checked') throw new Error(`could not choose ${name} by keyboard`);
        return;
      }
      if (label.includes(name)) return;
    }
    throw new Error(`Tab never reached ${name}`);
  }

  async function openCase(page: Page, caseId: string): Promise<void> {
    await page.goto(`/sager/${caseId}`);
    await page.getByRole('heading', { level: 1 }).filter({ hasText: /\d{4}-\d{7}/ }).waitFor();
  }

  it('given a whistleblower report, when the secretariat, the ARC lead, the caseworker and the assigned jurist act through the case page, then the case reaches reply sent and the marked step moves along', async () => {
    // The secretariat opens the case through the new-case form.
    const lene = await browserOf(PEOPLE.secretariat);
    await lene.goto('/ny');
    await lene.getByRole('heading', { name: 'Ny sag' }).waitFor();
    await expectAccessible(lene, 'ny sag');
    await screenshot(lene, 'web-ny-sag');
    await lene.getByRole('link', { name: 'Whistleblower-sag' }).click();
    await lene.getByRole('heading', { name: 'Whistleblower-sag' }).waitFor();
    await expectAccessible(lene, 'ny whistleblower-sag');
    await screenshot(lene, 'web-ny-whistleblower');
    await lene.getByLabel('BRG-reference').fill('BRG-2026-451');
    await lene.getByLabel('Emne').fill('Indberetning om manglende tilsyn');
    await lene.getByLabel("Resumé af BRG's anmodning").fill('BRG beder BUF om en udtalelse om tilsynet.');
    await lene.getByLabel('Behandlende enhed').fill(HANDLING_UNIT);
    await lene.getByLabel('Område').selectOption('nord');
    await lene.getByLabel('Svarfrist til BRG').fill(dateIn(21));
    await lene.getByRole('button', { name: 'Opret sag' }).click();
    await lene.waitForURL(/\/sager\/whistleblower-\d{4}-\d{7}$/);
    const caseId = decodeURIComponent(new URL(lene.url()).pathname.split('/').pop() ?? '');
    expect(await markedStep(lene)).toEqual({ current: ids('awaiting-jurist')[0], done: [] });
    // The API holds what the form sent: the deadline is the end of the chosen day in Copenhagen.
    const stored = (await (await service.as(PEOPLE.secretariat)).get(`/cases/${caseId}`)).body;
    expect(stored.data).toMatchObject({ brgReference: 'BRG-2026-451', handlingUnit: HANDLING_UNIT });
    expect(stored.area).toBe('nord');
    expect(stored.deadlines.find((d: { name: string }) => d.name === 'brg-reply').dueAt).toMatch(/T2[12]:59:59\.999Z$/);
    await expectAccessible(lene, 'sag (sekretariatet)');
    await screenshot(lene, 'web-sag-modtaget');

    // The secretariat records the receipt briefing.
    await act(lene, 'Forelæggelse for direktionen registreret', (f) => f.getByLabel('Ved modtagelsen').check());
    expect(await lene.getByRole('row').filter({ hasText: 'Forelæggelse for direktionen registreret' }).count()).toBe(1);

    // The ARC lead assigns the jurist.
    const anders = await browserOf(PEOPLE.arcLead);
    await openCase(anders, caseId);
    await act(anders, 'Tilknyt jurist', (f) => f.getByLabel('Jurist (bruger-id)').fill(PEOPLE.jurist.sub));
    expect(await markedStep(anders)).toEqual({ current: ids('drafting')[0], done: ids('awaiting-jurist') });
    await expectAccessible(anders, 'sag (ARC-chef)');
    await screenshot(anders, 'web-sag-jurist-tilknyttet');

    // A caseworker of the handling unit submits the draft.
    const camilla = await browserOf(PEOPLE.caseworker);
    await openCase(camilla, caseId);
    await act(camilla, 'Udkast til svar indsendt', async (f) => {
      await f.getByLabel('Dokumentreference for udkastet').fill('DOK-1001');
      await f.getByLabel('Resumé af udkastet').fill('Udkast til udtalelse');
    });
    expect(await markedStep(camilla)).toEqual({ current: ids('draft-review')[0], done: ids('awaiting-jurist', 'drafting') });

    // The assigned jurist approves it.
    const julie = await browserOf(PEOPLE.jurist);
    await openCase(julie, caseId);
    await act(julie, 'Udkast godkendt af jurist', (f) => f.getByLabel('Bemærkning').fill('Godkendt'));
    expect(await markedStep(julie)).toEqual({ current: ids('ready-to-send')[0], done: ids('awaiting-jurist', 'drafting', 'draft-review') });
    await expectAccessible(julie, 'sag (jurist)');
    await screenshot(julie, 'web-sag-godkendt');

    // The secretariat records the reply briefing and sends the reply.
    await openCase(lene, caseId);
    await act(lene, 'Forelæggelse for direktionen registreret', (f) => f.getByLabel('Af svaret').check());
    await act(lene, 'Svar sendt til BRG', (f) => f.getByLabel('Dokumentreference for svaret').fill('DOK-1002'));
    expect(await markedStep(lene)).toEqual({ current: ids('awaiting-brg-response')[0], done: ids('awaiting-jurist', 'drafting', 'draft-review', 'ready-to-send') });
    expect(await lene.getByTestId('case-step').textContent()).toBe('Svar sendt til BRG');
    const journal = await lene.getByRole('table').filter({ hasText: 'Bemærkning' }).last().textContent();
    for (const entry of ['Sag oprettet', 'Tilknyt jurist', 'Udkast til svar indsendt', 'Udkast godkendt af jurist', 'Svar sendt til BRG']) expect(journal).toContain(entry);
    expect(await lene.locator('tr[data-deadline="jurist-assignment"]').textContent()).toContain('Overholdt');
    await expectAccessible(lene, 'sag (svar sendt)');
    await screenshot(lene, 'web-sag-svar-sendt');
    expect((await (await service.as(PEOPLE.secretariat)).get(`/cases/${caseId}`)).body.step).toBe('awaiting-brg-response');
  });

  it('given an employee, when they report a breach through the form, then the GDPR function opens the case and triages it through the page', async () => {
    const erik = await browserOf(PEOPLE.employee);
    await erik.goto('/ny/data-breach');
    await erik.getByRole('heading', { name: 'Sikkerhedsbrud' }).waitFor();
    // Only what the definition asks for, with sensible defaults: discovered now, the person's own area.
    const discovered = await erik.getByLabel('Konstateret').inputValue();
    expect(discovered).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(Math.abs(Date.parse(`${discovered}:00Z`) - Date.now())).toBeLessThan(3 * 3_600_000); // Copenhagen wall-clock, within the zone's offset of now
    expect(await erik.getByLabel('Område').inputValue()).toBe('nord');
    await expectAccessible(erik, 'nyt sikkerhedsbrud');
    await screenshot(erik, 'web-ny-sikkerhedsbrud');
    // By keyboard alone, as a person without a mouse fills it: Tab to each field, type, arrows in a radio group, Enter to send.
    await keyboardTo(erik, 'Enhed');
    await erik.keyboard.type('Skole Nord');
    await keyboardTo(erik, 'Hvad skete der');
    await erik.keyboard.type('Elevliste sendt til forkert forælder');
    await keyboardTo(erik, 'Kategorier af personoplysninger, punkt 1');
    await erik.keyboard.type('navn');
    await keyboardTo(erik, 'Tilføj punkt til Kategorier af personoplysninger');
    await erik.keyboard.press('Enter');
    // The new point has the focus: typing goes on there.
    await erik.waitForFunction(`document.activeElement && document.activeElement.labels && document.activeElement.labels[0] && document.activeElement.labels[0].textContent === 'Kategorier af personoplysninger, punkt 2'`);
    await erik.keyboard.type('cpr-nummer');
    expect(await erik.getByLabel('Kategorier af personoplysninger, punkt 2').inputValue()).toBe('cpr-nummer');
    await keyboardTo(erik, 'Formular', { radio: true });
    await keyboardTo(erik, 'Opret sag');
    await erik.keyboard.press('Enter');
    await erik.waitForURL(/\/sager\/data-breach-\d{4}-\d{7}$/);
    const caseId = decodeURIComponent(new URL(erik.url()).pathname.split('/').pop() ?? '');
    await erik.getByRole('heading', { level: 1 }).filter({ hasText: 'Sikkerhedsbrud' }).waitFor();
    expect(await erik.getByText('Du kan ikke foretage dig noget på sagen i dette trin.').count()).toBe(1);
    await expectAccessible(erik, 'sag (indberetter)');
    await screenshot(erik, 'web-sag-indberetter');

    // The GDPR function finds it in the inbox, where triage is expected of them, and opens it from there.
    const gitte = await browserOf(PEOPLE.gdpr);
    await gitte.goto('/');
    const caseNumber = caseId.replace('data-breach-', '');
    const row = gitte.getByRole('row', { name: new RegExp(caseNumber) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Visiteret');
    await row.getByRole('link', { name: caseNumber }).click();
    await gitte.getByRole('heading', { level: 1 }).filter({ hasText: caseNumber }).waitFor();
    expect(await gitte.getByText('Elevliste sendt til forkert forælder').count()).toBe(1);
    expect(await gitte.locator('tr[data-deadline="datatilsynet-72h"]').textContent()).toContain('Afventer');
    expect(await markedStep(gitte)).toEqual({ current: ids('reported')[0], done: [] });
    await act(gitte, 'Visiteret', async (f) => {
      await f.getByLabel('Sikkerhedsbrud', { exact: true }).check();
      await f.getByLabel('Begrundelse').fill('Personoplysninger er videregivet til uvedkommende');
    });
    expect(await markedStep(gitte)).toEqual({ current: ids('risk-assessment')[0], done: ids('reported') });
    await expectAccessible(gitte, 'sag (GDPR)');
    await screenshot(gitte, 'web-sag-visiteret');
    const stored = (await (await service.as(PEOPLE.gdpr)).get(`/cases/${caseId}`)).body;
    expect(stored).toMatchObject({ step: 'risk-assessment', data: { unit: 'Skole Nord', dataCategories: ['navn', 'cpr-nummer'], channel: 'form' } });
  });

  it('given a refused action, when the API answers 400 naming a field or 409 naming the step, then the Danish reason stands beside the field or at the top, with the focus moved to it', async () => {
    // 400: a breach discovered in the future.
    const erik = await browserOf(PEOPLE.employee);
    await erik.goto('/ny/data-breach');
    await erik.getByLabel('Konstateret').fill(`${dateIn(2)}T10:00`);
    await erik.getByLabel('Enhed').fill('Skole Nord');
    await erik.getByLabel('Hvad skete der').fill('Mistet USB-nøgle');
    await erik.getByLabel('Kategorier af personoplysninger, punkt 1').fill('navn');
    await erik.getByLabel('Serviceportalen').check();
    await erik.getByRole('button', { name: 'Opret sag' }).click();
    const beside = erik.locator('#start-discoveredAt-error');
    await beside.waitFor();
    expect(await beside.textContent()).toBe('Konstateret: må ikke ligge i fremtiden');
    expect(await erik.getByLabel('Konstateret').getAttribute('aria-describedby')).toContain('start-discoveredAt-error');
    expect(await erik.getByLabel('Konstateret').getAttribute('aria-invalid')).toBe('true');
    expect(await erik.evaluate('document.activeElement && document.activeElement.id')).toBe('start-problem');
    expect(new URL(erik.url()).pathname).toBe('/ny/data-breach');
    await expectAccessible(erik, 'nyt sikkerhedsbrud med fejl');
    await screenshot(erik, 'web-ny-sikkerhedsbrud-fejl');

    // 409: the receipt briefing recorded by someone else while the form was open.
    const secretariat = await service.as(PEOPLE.secretariat);
    const opened = await whistleblowerCase('BRG-2026-452');
    const lene = await browserOf(PEOPLE.secretariat);
    await openCase(lene, opened.body.id);
    const form = lene.getByRole('region', { name: 'Forelæggelse for direktionen registreret' });
    await form.getByLabel('Ved modtagelsen').check();
    expect((await secretariat.act(opened.body.id, 'record-direktion-briefing', { occasion: 'receipt' })).status).toBe(200);
    await form.getByRole('button', { name: 'Forelæggelse for direktionen registreret' }).click();
    const top = lene.locator('#case-problem');
    await top.waitFor();
    const text = await top.textContent();
    expect(text).toContain('Handlingen er ikke mulig nu. Sagen er i trinnet «Modtaget – afventer jurist». Du kan nu: «Whistleblowerens identitet videregivet med samtykke».');
    expect(text).toContain('Besked fra systemet: The receipt briefing is already recorded.');
    expect(await lene.evaluate('document.activeElement && document.activeElement.id')).toBe('case-problem');
    // The page shows the case as it is now: the briefing recorded meanwhile, and its form gone.
    await form.waitFor({ state: 'detached' });
    expect(await lene.getByRole('row').filter({ hasText: 'Forelæggelse for direktionen registreret' }).count()).toBe(1);
    expect(await top.isVisible()).toBe(true);
    await expectAccessible(lene, 'sag med afvist handling');
    await screenshot(lene, 'web-sag-afvist-409');
  });

  it('given a case, when a person with a codec role opens it, then the page links it in the configured Temporal UI; for anyone else there is no link', async () => {
    const opened = await whistleblowerCase('BRG-2026-453');
    const caseId: string = opened.body.id;
    const lene = await browserOf(PEOPLE.secretariat);
    await openCase(lene, caseId);
    const link = lene.getByRole('link', { name: /Temporal UI/ });
    expect(await link.getAttribute('href')).toBe(`${TEMPORAL_UI}/namespaces/default/workflows/${caseId}`);

    const anders = await browserOf(PEOPLE.arcLead);
    await openCase(anders, caseId);
    expect(await anders.getByRole('link', { name: /Temporal UI/ }).count()).toBe(0);
    const session = await anders.request.get('/auth/session', { headers: { 'x-requested-with': 'buf-web' } });
    expect(await session.json()).not.toHaveProperty('temporalUi');
  });

  it('given the BPMN export with its layout, when the case page shows the process, then bpmn-js draws it with the current step, the steps passed and the missed deadline marked', async () => {
    // Received Thursday 26.11.2026 10.00: the receipt briefing was due by the end of Monday 30.11.2026, so it is missed now.
    const opened = await whistleblowerCase('BRG-2026-454', { receivedAt: '2026-11-26T10:00' });
    const secretariat = await service.as(PEOPLE.secretariat);
    await eventually('the receipt briefing missed', async () => (await secretariat.get(`/cases/${opened.body.id}`)).body.deadlines.some((d: { name: string; state: string }) => d.name === 'receipt-briefing' && d.state === 'missed'));
    expect((await (await service.as(PEOPLE.arcLead)).act(opened.body.id, 'assign-jurist', { juristId: PEOPLE.jurist.sub })).status).toBe(200);
    const lene = await browserOf(PEOPLE.secretariat);
    await openCase(lene, opened.body.id);
    await lene.locator('.process-diagram .djs-element.step-current').waitFor();
    expect(await markedStep(lene)).toEqual({ current: ids('drafting')[0], done: ids('awaiting-jurist') });
    expect(await lene.locator('[aria-current="step"]').count()).toBe(0);
    // The deadline's timers, by the export's ids (deadline_<deadline>__<step>), on the steps it runs in.
    const missed = (await lene.evaluate(`[...document.querySelectorAll('.djs-element.deadline-missed')].map((e) => e.getAttribute('data-element-id')).sort()`)) as string[];
    expect(missed).toContain('deadline_receipt_briefing__awaiting_jurist');
    // Exactly the timers of the deadlines the API reports missed, every one of them, as the served BPMN names them.
    const now = (await secretariat.get(`/cases/${opened.body.id}`)).body as { deadlines: { name: string; state: string }[] };
    const missedNames = now.deadlines.filter((d) => d.state === 'missed').map((d) => d.name.replace(/[^A-Za-z0-9_]/g, '_'));
    const bpmn = await (await fetch(`${service.baseUrl}/api/v1/processes/whistleblower/bpmn`, { headers: { authorization: `Bearer ${secretariat.token}` } })).text();
    const timers = [...bpmn.matchAll(/<bpmn:boundaryEvent id="(deadline_[A-Za-z0-9_]+)"/g)].map((m) => m[1]);
    expect(missed).toEqual(timers.filter((id) => missedNames.some((n) => id.startsWith(`deadline_${n}__`))).sort());
    await expectAccessible(lene, 'sag med procesdiagram');
    await screenshot(lene, 'web-sag-diagram');
  });
});
