import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible, logIn, open, PASSWORD, SignUpPage, uniqueEmail } from './support';

// The programme administrator verifies a new employer, reads the dashboard and exports a table.

const serverBin = process.env.SETUBASHI_SERVER_BIN ?? 'target/debug/server';
const dataDir = process.env.E2E_DATA_DIR ?? 'target/e2e-data';

function createAdmin(email: string) {
  execFileSync(serverBin, ['admin', 'create', '--email', email, '--name', 'Programme Admin'], {
    env: { ...process.env, SETUBASHI_DATA_DIR: dataDir, SETUBASHI_ADMIN_PASSWORD: PASSWORD },
    stdio: 'pipe',
  });
}

test('an administrator verifies an employer, reads the dashboard and exports it', async ({ browser }) => {
  test.setTimeout(120_000);
  const employer = await (await browser.newContext()).newPage();
  const company = `ひかりAI株式会社 ${Date.now()}`;
  await new SignUpPage(employer).signUpEmployer('Sato Ken', uniqueEmail('hr'), {
    ja: company, prefecture: 'fukuoka', sector: 'artificial_intelligence', size: 'medium',
  });

  const adminEmail = uniqueEmail('admin');
  createAdmin(adminEmail);
  const admin = await (await browser.newContext()).newPage();
  await logIn(admin, adminEmail);
  await admin.waitForURL((url) => url.pathname !== '/login');

  await open(admin, '/admin/verification');
  const card = admin.locator('ul.verification li.card', { hasText: company });
  await expect(card).toBeVisible();
  await expectAccessible(admin, 'verification queue');
  // a rejection needs a reason: refused without one, nothing changes
  await card.locator('form.reject-form button[type=submit]').click();
  // the error shows on the card whose form was sent, beside the reason
  await expect(card.locator('form.reject-form .field-error')).toBeVisible();
  await expect(card.locator('form.reject-form .form-status .alert-error')).toBeVisible();
  await expect(card).toBeVisible();
  await card.locator('form.approve-form button[type=submit]').click();
  await expect(admin.locator('ul.verification li.card', { hasText: company })).toHaveCount(0);
  // and is now among the verified organisations
  await expect(admin.locator('.verified-organisations li.card', { hasText: company })).toBeVisible();

  // the employer hears of it
  await open(employer, '/notifications');
  await expect(employer.locator('ul.notifications li').first()).toContainText(/verified/);
  await open(employer, '/organisation');
  await expect(employer.locator('.badge.verified')).toBeVisible();

  // the dashboard, in English and in Japanese, and one of its exports
  await open(admin, '/admin');
  await expect(admin.locator('[data-stat="counted"]')).toBeVisible();
  await expect(admin.locator('svg.chart[role="img"]')).toHaveCount(2);
  await expectAccessible(admin, 'dashboard');
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    admin.locator('a[href^="/admin/export/funnel.csv"]').click(),
  ]);
  const csv = readFileSync(await download.path());
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').replace(/^\uFEFF/, '').trim().split('\n');
  expect(lines[0]).toContain('Stage');
  expect(lines).toHaveLength(13);

  await admin.getByRole('button', { name: '日本語' }).click();
  await admin.waitForURL('**/admin');
  await expect(admin.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(admin.locator('h1')).toHaveText('プログラム ダッシュボード');
  await expectAccessible(admin, 'dashboard (ja)');

  for (const path of ['/admin/users', '/admin/audit', '/admin/mail?status=', '/admin/settings']) {
    await open(admin, path);
    await expectAccessible(admin, path);
  }
  await open(admin, '/admin/audit?action=organisation.');
  await expect(admin.locator('table.audit')).toContainText('organisation.verified');

  // the verification can be withdrawn, with a reason the employer is told
  await open(admin, '/admin/verification');
  const verified = admin.locator('.verified-organisations li.card', { hasText: company });
  await expect(verified).toBeVisible();
  await verified.locator('textarea').fill('登記事項証明書の会社名と一致しません');
  await verified.locator('form.withdraw-form button[type=submit]').click();
  await expect(admin.locator('.verified-organisations li.card', { hasText: company })).toHaveCount(0);
  await open(employer, '/organisation');
  await expect(employer.locator('.badge.verified')).toHaveCount(0);
});
