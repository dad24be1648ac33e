import { expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const PASSWORD = 'violet-kettle-monsoon-42';

/** A unique e-mail address per test run. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.in`;
}

/** What the browser reported the Content-Security-Policy refused, per page. */
const cspViolations = new WeakMap<Page, string[]>();

/**
 * Starts collecting the page's CSP violations: the `securitypolicyviolation` events of every
 * document it loads, and the console's reports (which also cover what was refused before a
 * script could listen).
 */
export async function watchCsp(page: Page) {
  if (cspViolations.has(page)) return;
  const seen: string[] = [];
  cspViolations.set(page, seen);
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) seen.push(message.text());
  });
  await page.exposeFunction('__reportCspViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as any).__reportCspViolation(`${event.violatedDirective}: ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
}

/** Fails if the page's policy refused anything since the page was first opened. */
export function expectNoCspViolation(page: Page, label: string) {
  expect(cspViolations.get(page) ?? [], `CSP violations on ${label}`).toEqual([]);
}

/** Opens a page and waits until the wasm has taken it over, under the site's CSP. */
export async function open(page: Page, path: string) {
  await watchCsp(page);
  await page.goto(path);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  expectNoCspViolation(page, path);
}

/** Page object for the sign-up page. */
export class SignUpPage {
  constructor(private page: Page) {}

  /** Signs up an engineer and, unless told not to, proves the address through the demo mailbox. */
  async signUpEngineer(name: string, email: string, confirm = true) {
    await open(this.page, '/signup');
    await this.page.locator('#role-engineer').check();
    await this.page.locator('#display_name').fill(name);
    await this.page.locator('#email').fill(email);
    await this.page.locator('#password').fill(PASSWORD);
    await this.page.locator('form.signup-form button[type=submit]').click();
    await this.page.waitForURL('**/profile');
    if (confirm) {
      await confirmEmail(this.page, email);
      await open(this.page, '/profile');
    }
  }

  async signUpEmployer(name: string, email: string, company: { ja: string; prefecture: string; sector: string; size: string }) {
    await open(this.page, '/signup');
    await this.page.locator('#role-employer').check();
    await this.page.locator('#display_name').fill(name);
    await this.page.locator('#email').fill(email);
    await this.page.locator('#password').fill(PASSWORD);
    await this.page.locator('#organisation-name_ja').fill(company.ja);
    await this.page.locator('#organisation-prefecture').selectOption(company.prefecture);
    await this.page.locator('#organisation-sector').selectOption(company.sector);
    await this.page.locator('#organisation-size').selectOption(company.size);
    await this.page.locator('form.signup-form button[type=submit]').click();
    await this.page.waitForURL('**/organisation');
    await confirmEmail(this.page, email);
    await open(this.page, '/organisation');
  }
}

/** Follows the verification link of `email`'s latest message in the demo mailbox. */
export async function confirmEmail(page: Page, email: string) {
  let link = '';
  await expect(async () => {
    await page.goto('/dev/mail');
    const message = page.locator('article', { hasText: email }).filter({ hasText: 'verify-email' }).first();
    link = (await message.locator('a[href*="/verify-email?token="]').getAttribute('href')) ?? '';
    expect(link).toContain('/verify-email?token=');
  }).toPass({ timeout: 15_000 });
  const url = new URL(link);
  await open(page, url.pathname + url.search);
  await page.locator('form.verify-form button[type=submit]').click();
  await page.waitForURL('**/verify-email?done=1');
}

export async function logIn(page: Page, email: string, next = '') {
  await open(page, next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('form.login-form button[type=submit]').click();
}

export async function logOut(page: Page) {
  await page.locator('header .account button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(page.locator('header .account')).toHaveCount(0);
}

/** Fails on any serious or critical accessibility violation. */
export async function expectAccessible(page: Page, label: string) {
  expectNoCspViolation(page, label);
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
