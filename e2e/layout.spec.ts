import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { APIRequestContext, Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { logIn, open, PASSWORD, SignUpPage, uniqueEmail } from './support';

// Every page of every role, in three languages, on a phone (390×844) and a laptop (1280×800):
// nothing wider than the screen, and on a phone a header that leaves the page its room. Key
// pages are saved as screenshots under target/screenshots to be looked at before a release.

const serverBin = process.env.SETUBASHI_SERVER_BIN ?? 'target/debug/server';
const dataDir = process.env.E2E_DATA_DIR ?? 'target/e2e-data';
const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}`;
const SHOTS = 'target/screenshots';
const LANGUAGES = ['en', 'ja', 'hi'];
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1280, height: 800 },
];
/** The most of a phone's height the header may take. */
const HEADER_SHARE = 0.15;

function cli(args: string[], extraEnv: Record<string, string> = {}) {
  execFileSync(serverBin, args, {
    env: { ...process.env, SETUBASHI_DATA_DIR: dataDir, ...extraEnv },
    stdio: 'pipe',
  });
}

async function signedIn(browser: Browser, setUp: (page: Page) => Promise<void>): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await setUp(page);
  return [context, page];
}

async function moveTo(request: APIRequestContext, application: number, body: object) {
  const response = await request.post(`/api/v1/applications/${application}/moves`, { data: body });
  expect(response.status(), JSON.stringify(body)).toBe(200);
}

interface Measured { path: string; lang: string; viewport: string; scrollWidth: number; innerWidth: number; header: number; widest: string[] }

async function measure(page: Page, path: string, lang: string, viewport: string): Promise<Measured> {
  await open(page, path);
  const sizes = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    header: document.querySelector('header.site-header')?.getBoundingClientRect().height ?? 0,
    // what sticks out: the innermost elements reaching past the screen's right edge, to name
    // in the failure (elements inside a sideways-scrolling region do not widen the page)
    widest: Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .filter((e) => !e.closest('.table-region, .site-header > nav:not(.language-switcher)'))
      .filter((e) => !Array.from(e.children).some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5))
      .slice(0, 3)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${Array.from(e.classList).join('.')} (${Math.round(e.getBoundingClientRect().right)}px)`),
  }));
  return { path, lang, viewport, ...sizes };
}

test('every page fits a phone and a laptop in every language, with a compact header on phones', async ({ browser }) => {
  test.setTimeout(600_000);
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });

  // an employer with a verified organisation and two roles, one posted only in Japanese
  const [employerContext, employer] = await signedIn(browser, (page) =>
    new SignUpPage(page).signUpEmployer('Tanaka Yui', uniqueEmail('layout-hr'), {
      ja: '九州シリコンデバイス株式会社', prefecture: 'kumamoto', sector: 'semiconductors', size: 'enterprise',
    }));
  const me = await (await employer.request.get('/api/v1/me')).json();
  const role = {
    title_ja: 'アナログ・ミックスドシグナル回路設計エンジニア（車載パワー半導体）',
    title_en: 'Analog/mixed-signal circuit design engineer (automotive power semiconductors)',
    description_ja: '車載向けパワー半導体のアナログ回路設計。',
    description_en: 'Analog circuit design for automotive power devices, from specification to silicon.',
    required_skills: [{ skill: 'Verilog', min_years: 3 }, { skill: '組み込み', min_years: 2 }],
    nice_skills: [{ skill: 'Python' }],
    min_jlpt: 'N3', working_language: 'mixed', salary_min_jpy: 6_500_000, salary_max_jpy: 10_500_000,
    prefecture: 'kumamoto', remote_policy: 'onsite', visa_sponsorship: true, apply_from_abroad: true,
  };
  const created = await employer.request.post('/api/v1/roles', { data: role });
  expect(created.status()).toBe(201);
  const roleId = (await created.json()).id;
  const japaneseOnly = await employer.request.post('/api/v1/roles', {
    data: { ...role, title_en: '', description_en: '', title_ja: '半導体プロセスエンジニア（熊本）' },
  });
  expect(japaneseOnly.status()).toBe(201);
  cli(['org', 'verify', String(me.organisation_id)]);

  // an engineer with a full profile who applied, and whose application reached the certificate
  const [engineerContext, engineer] = await signedIn(browser, (page) =>
    new SignUpPage(page).signUpEngineer('Venkata Subrahmanyam Lakshminarayanan', uniqueEmail('layout-engineer')));
  const profile = await engineer.request.put('/api/v1/me/profile', {
    data: {
      full_name: 'Venkata Subrahmanyam Lakshminarayanan', headline: 'Analog and mixed-signal IC designer, automotive power',
      years_experience: 1, jlpt_level: 'N3', indian_state: 'ap', city: 'Visakhapatnam', degree: 'masters',
      date_of_birth: '1994-02-11', desired_salary_jpy: 8_000_000,
      skills: [{ skill: 'verilog', years: 1 }, { skill: 'embedded-software', years: 4 }, { skill: 'python', years: 6 }],
    },
  });
  expect(profile.status()).toBe(200);
  const applied = await engineer.request.post(`/api/v1/roles/${roleId}/applications`, {
    data: { note: 'I have taped out two PMIC designs and would like to work in Kumamoto.', share_contact: true },
  });
  expect(applied.status()).toBe(201);
  const applicationId = (await applied.json()).summary.id;
  for (const body of [
    { to: 'shortlisted' },
    { to: 'interview', details: { interview_format: 'video', rating: 4 } },
    { to: 'offer_extended', message: 'We are delighted to offer you the position.', details: { salary_jpy: 9_800_000, employment_type: 'permanent', start_date: '2027-04-01', visa_route: 'highly_skilled_professional' } },
  ]) await moveTo(employer.request, applicationId, body);
  await moveTo(engineer.request, applicationId, { to: 'offer_accepted' });
  await moveTo(employer.request, applicationId, { to: 'coe_filed' });
  await moveTo(employer.request, applicationId, { to: 'coe_issued' });

  // an administrator
  const adminEmail = uniqueEmail('layout-admin');
  cli(['admin', 'create', '--email', adminEmail, '--name', 'Programme Admin'], { SETUBASHI_ADMIN_PASSWORD: PASSWORD });
  const [adminContext, admin] = await signedIn(browser, async (page) => {
    await logIn(page, adminEmail);
    await page.waitForURL('**/admin');
  });
  const [visitorContext, visitor] = await signedIn(browser, async () => {});

  const pages: [BrowserContext, Page, string[]][] = [
    [visitorContext, visitor, ['/', '/signup', '/login', '/forgot-password', '/jobs', `/jobs/${roleId}`, '/privacy']],
    [engineerContext, engineer, ['/dashboard', '/profile', '/jobs', '/jobs?q=組み込み&salary_min=600万', `/jobs/${roleId}`,
      '/applications', `/applications/${applicationId}`, '/notifications', '/account']],
    [employerContext, employer, ['/organisation', '/roles', '/roles/new', `/roles/${roleId}/edit`, `/roles/${roleId}/pipeline`,
      `/roles/${roleId}/candidates`, '/applications', `/applications/${applicationId}`, '/notifications', '/account']],
    [adminContext, admin, ['/admin', '/admin/verification', '/admin/users', '/admin/audit', '/admin/mail', '/admin/settings',
      `/applications/${applicationId}`, '/account']],
  ];
  const screenshots = new Set(['/', '/dashboard', `/jobs/${roleId}`, `/applications/${applicationId}`,
    `/roles/${roleId}/pipeline`, '/admin', '/admin/audit', '/profile']);

  const measured: Measured[] = [];
  for (const [context, page, paths] of pages) {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      for (const lang of LANGUAGES) {
        await context.addCookies([{ name: 'setubashi_lang', value: lang, url: BASE }]);
        for (const path of paths) {
          measured.push(await measure(page, path, lang, viewport.name));
          if (screenshots.has(path) && (lang !== 'hi' || viewport.name === 'phone')) {
            const name = `${viewport.name}-${lang}${path.replace(/[/?=&]+/g, '_')}.png`;
            await page.screenshot({ path: `${SHOTS}/${name}`, fullPage: true });
          }
        }
      }
    }
  }

  const overflowing = measured
    .filter((m) => m.scrollWidth > m.innerWidth)
    .map((m) => `${m.viewport} ${m.lang} ${m.path}: ${m.scrollWidth}px wide on a ${m.innerWidth}px screen (${m.widest.join(', ')})`);
  const tallHeaders = measured
    .filter((m) => m.viewport === 'phone' && m.header > 844 * HEADER_SHARE)
    .map((m) => `${m.lang} ${m.path}: header ${Math.round(m.header)}px`);
  expect(overflowing).toEqual([]);
  expect(tallHeaders).toEqual([]);
  // every page was measured, in each language and size
  expect(measured.length).toBe(pages.reduce((n, [, , paths]) => n + paths.length, 0) * LANGUAGES.length * VIEWPORTS.length);
});
