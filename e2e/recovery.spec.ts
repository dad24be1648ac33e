import { expect, test } from '@playwright/test';
import { logIn, open, SignUpPage, uniqueEmail } from './support';

const NEW_PASSWORD = 'a fresh passphrase for Setubashi 2027';

test('a person resets a forgotten password by following the link in the demo mailbox', async ({ page }) => {
  const email = uniqueEmail('forgetful');
  await new SignUpPage(page).signUpEngineer('Kavya Iyer', email);
  await page.context().clearCookies();

  await open(page, '/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL('**/forgot-password');
  await page.locator('#email').fill(email);
  await page.locator('form.forgot-form button[type=submit]').click();
  await page.waitForURL('**/forgot-password?sent=1');
  await expect(page.getByRole('status')).toContainText('30 minutes');

  // the demo writes mail to its mailbox instead of sending it; the sender runs in the background
  let link = '';
  await expect(async () => {
    await page.goto('/dev/mail');
    const message = page.locator('article', { hasText: email }).filter({ hasText: 'reset-password' }).first();
    link = (await message.locator('a[href*="/reset-password?token="]').getAttribute('href')) ?? '';
    expect(link).toContain('/reset-password?token=');
  }).toPass({ timeout: 15_000 });

  await open(page, new URL(link).pathname + new URL(link).search);
  await page.locator('#password').fill('password');
  await page.locator('form.reset-form button[type=submit]').click();
  await expect(page.locator('#password-error')).toBeVisible();
  await page.locator('#password').fill(NEW_PASSWORD);
  await page.locator('form.reset-form button[type=submit]').click();
  await page.waitForURL('**/login?reset=1');
  await expect(page.getByRole('status')).toContainText('Log in with the new password');

  // the old password no longer works; the new one does
  await logIn(page, email);
  await expect(page.locator('.alert-error')).toBeVisible();
  await open(page, '/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(NEW_PASSWORD);
  await page.locator('form.login-form button[type=submit]').click();
  await page.waitForURL('**/dashboard');

  // the link worked once
  await open(page, new URL(link).pathname + new URL(link).search);
  await page.locator('#password').fill(NEW_PASSWORD + ' again');
  await page.locator('form.reset-form button[type=submit]').click();
  await expect(page.locator('#token-error')).toBeVisible();
});
