import * as fs from 'node:fs';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TokenClaims } from '@buf/auth';
import { PROJECT_ROOT } from './paths';

/** What the last run showed a person, to look at: .data/test-screenshots. */
export const SCREENSHOTS = path.join(PROJECT_ROOT, '.data', 'test-screenshots');

/** The web app's request header (apps/web/src/api.ts): without it the API refuses the session cookie. */
export const WEB_HEADERS = { 'x-requested-with': 'buf-web' } as const;

/** A person's own browser on the web app, signed in through the dev sign-in as `person`. */
export async function signedInPage(browser: Browser, baseUrl: string, person: TokenClaims): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'da-DK', timezoneId: 'Europe/Copenhagen' });
  const page = await context.newPage();
  const answer = await page.request.post('/auth/dev', { headers: { ...WEB_HEADERS, origin: baseUrl }, data: person });
  if (answer.status() !== 200) throw new Error(`dev sign-in as ${person.sub} answered ${answer.status()}: ${await answer.text()}`);
  return { context, page };
}

/**
 * WCAG 2.1 A and AA as axe checks them (webtilgængelighedsloven asks for AA): fails with the
 * rule, its impact and the elements when a serious or critical violation is on the page.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const described = grave.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`);
  expect({ page: what, violations: described }).toEqual({ page: what, violations: [] });
}

/** A screenshot of the whole page, named after what it shows. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
