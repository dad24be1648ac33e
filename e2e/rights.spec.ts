import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { logIn, open, PASSWORD, SignUpPage, uniqueEmail } from './support';

test('a person downloads their data and deletes their account', async ({ page }) => {
  const email = uniqueEmail('leaving');
  await new SignUpPage(page).signUpEngineer('Arjun Mehta', email);

  // the name in the header leads to the account page
  await page.locator('header a.who').click();
  await page.waitForURL('**/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download my data (JSON)' }).click(),
  ]);
  const data = JSON.parse(await readFile(await download.path(), 'utf-8'));
  expect(data.format).toBe('setubashi-personal-data/1');
  expect(data.tables.users[0].email).toBe(email);
  expect(data.tables.users[0].password_hash).toBeUndefined();
  expect(data.tables.audit_log.map((e: { action: string }) => e.action)).toContain('user.signed_up');

  // a wrong password deletes nothing and says why, on the form
  await page.locator('form.delete-account-form #password').fill('not my password at all');
  await page.locator('form.delete-account-form button[type=submit]').click();
  await expect(page.locator('form.delete-account-form #password-error')).toBeVisible();

  await page.locator('form.delete-account-form #password').fill(PASSWORD);
  await page.locator('form.delete-account-form button[type=submit]').click();
  await page.waitForURL('**/?account_deleted=1');
  await expect(page.getByRole('status')).toContainText('Your account has been deleted');
  await expect(page.locator('header .account')).toHaveCount(0);

  // the account is gone: its address and password open nothing
  await logIn(page, email);
  await expect(page.locator('.alert-error')).toBeVisible();
});

test('the privacy notice says what is collected and how to exercise each right, in three languages', async ({ page, context }) => {
  const expected: Record<string, string> = { en: 'Privacy notice', ja: 'プライバシーポリシー', hi: 'गोपनीयता सूचना' };
  for (const [lang, title] of Object.entries(expected)) {
    await context.addCookies([{ name: 'setubashi_lang', value: lang, url: `http://127.0.0.1:${process.env.E2E_PORT ?? '3100'}` }]);
    await open(page, '/privacy');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(page.locator('article.privacy h2')).toHaveCount(7);
  }
});
