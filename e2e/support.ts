import { execFileSync } from 'node:child_process';
import { deflateSync } from 'node:zlib';
import { Browser, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

export const PASSWORD = 'violet-kettle-monsoon-42';

/** Verifies an organisation the way the programme's staff can before the admin queue: the CLI. */
export function verifyOrganisation(id: number) {
  execFileSync(process.env.SETUBASHI_SERVER_BIN ?? 'target/debug/server', ['org', 'verify', String(id)], {
    env: { ...process.env, SETUBASHI_DATA_DIR: process.env.E2E_DATA_DIR ?? 'target/e2e-data' },
    stdio: 'pipe',
  });
}

/** A page in a browser context of its own: another person, with their own cookies. */
export async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

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

/** A PNG of `width` × `height` pixels (a grey gradient), written here so no binary is checked in. */
export function pngBytes(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width + 1)] = 0; // no filter
    for (let x = 0; x < width; x++) rows[y * (width + 1) + 1 + x] = (x + y) % 256;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
